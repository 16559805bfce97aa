"""The factory, configuration, security headers and error pages."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from config import ProductionConfig
from tests.pages import get_page
from webapp import create_app
from webapp.security import content_security_policy


def test_production_refuses_to_start_without_secret_key_and_database_url(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app(ProductionConfig)


def test_building_the_app_leaves_what_one_page_or_command_needs_unimported():
    """Every worker and every `flask` command builds the app: icalendar (a calendar file),
    NumPy and pyarrow (case-finding) are imported where they are used."""
    code = "import json, sys, wsgi; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                         capture_output=True, text=True, check=True)  # fmt: skip
    imported = {name.split(".")[0] for name in json.loads(run.stdout.splitlines()[-1])}

    assert "webapp" in imported
    assert not {"icalendar", "numpy", "pyarrow"} & imported


def test_production_cookies_are_secure_httponly_and_samesite():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_every_response_carries_a_csp_without_unsafe_inline(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_one_inline_script_carries_this_responses_nonce(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_csp_nonce_is_new_for_every_response(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_a_views_own_security_header_is_replaced_and_its_own_caching_kept():
    from flask import Flask

    from webapp.security import init_security_headers

    app = Flask(__name__)
    app.config.update(OWNER_NAME="BoneCheck", OWNER_CONTACT="", OWNER_LOGO="", NHS_BRANDING=False)
    init_security_headers(app)

    @app.route("/framed")
    def framed():
        return "x", {"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "max-age=60"}

    @app.route("/plain")
    def plain():
        return "x"

    framed_headers = app.test_client().get("/framed").headers
    plain_headers = app.test_client().get("/plain").headers

    assert framed_headers.getlist("X-Frame-Options") == ["DENY"]
    assert framed_headers.getlist("Cache-Control") == ["max-age=60"]
    assert plain_headers.getlist("Cache-Control") == ["no-store"]
    assert len(plain_headers.getlist("Content-Security-Policy")) == 1


def test_policy_forbids_framing_and_plugins():
    policy = content_security_policy("abc")
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_unknown_page_gets_the_nhs_style_404(client):
    page = get_page(client, "/no-such-page", status=404)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_unexpected_error_gets_the_500_page_and_says_nothing_was_saved(app, client):
    @app.route("/explode")
    def explode():
        raise RuntimeError("boom")

    page = get_page(client, "/explode", status=500)
    assert "Nothing you entered has been saved" in page.get_text()


@pytest.mark.parametrize("url", ["/", "/cookies", "/privacy", "/accessibility", "/sources"])
def test_information_pages_render(client, url):
    get_page(client, url)


def test_cookies_page_lists_only_the_session_cookie(client):
    page = get_page(client, "/cookies")
    rows = page.select("table tbody tr")
    assert len(rows) == 1
    assert "bonecheck_session" in rows[0].get_text()
    assert "analytics" not in page.get_text().lower() or "do not use" in page.get_text()


def test_assets_are_served_from_the_npm_package(client):
    with client.get("/assets/nhsuk-frontend.min.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


@pytest.mark.parametrize("address", ["/", "/check/age", "/about", "/staff/sign-in", "/sources"])
def test_the_layout_writes_every_page_in_ascii(client, address):
    # The title's dash and the footer's copyright sign are character references: one
    # character past ASCII makes Python hold the whole page at two bytes a character, and
    # turning it into UTF-8 then costs some fifty times what copying it does, every request.
    body = client.get(address).get_data()

    assert body.isascii()
    assert b"&ndash; BoneCheck</title>" in body and b"&copy; BoneCheck" in body


def test_footer_does_not_claim_nhs_england_copyright(client):
    page = get_page(client, "/")
    footer = page.select_one("footer").get_text()
    assert "© BoneCheck" in footer
    assert "NHS England" not in footer
