"""Every public page in a real browser: no accessibility violation, no CSP violation.

The page fixture already fails a test on a CSP violation or a script error; these
tests add axe's WCAG 2.1 AA scan. Pages are found from the app: every GET route
without arguments, then every page a person can reach by following links from
the home page (which finds pages whose URLs carry an argument, like a region).
"""

from urllib.parse import urljoin, urlsplit

import pytest
from flask import url_for

from config import TestConfig
from tests.browser.axe import assert_accessible, axe_violations, describe_violations
from tests.browser.keyboard import press_button, type_into
from webapp import create_app

pytestmark = pytest.mark.browser

# The pages the service promises; the list found from the app must include them.
PROMISED_PAGES = ["/", "/about", "/cookies", "/privacy", "/accessibility", "/sources"]

# Endpoints that are not pages (files), and the self-check, whose pages are
# reached by walking the journey (tests/browser/test_selfcheck.py).
NOT_PAGES = ("static", "assets.")
WALKED_BY_JOURNEY = ("selfcheck.",)
# Staff pages need a signed-in account; signed out, each must send people to sign in.
STAFF_AREAS = ("/staff/", "/admin/", "/sms-outbox", "/patients", "/worklist", "/overview")
NOT_HTML = (".ics", ".csv", ".svg", ".png", ".pdf")
MOST_CRAWLED_PAGES = 60
ERROR_SUMMARY_HAS_FOCUS = (
    "() => !!document.activeElement && !!document.activeElement.closest('.nhsuk-error-summary')"
)


def _app():
    return create_app(TestConfig)


def _pages_without_arguments() -> list[str]:
    """Every GET URL the app knows that takes no argument, so new pages are scanned too."""
    urls = set()
    for rule in _app().url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods:
            continue
        if rule.endpoint.startswith(NOT_PAGES + WALKED_BY_JOURNEY):
            continue
        if rule.rule.endswith(NOT_HTML):
            continue
        urls.add(rule.rule)
    return sorted(urls)


PAGES = _pages_without_arguments()


@pytest.fixture(scope="module")
def sign_in_path(live_app):
    with live_app.test_request_context():
        return url_for("staff_auth.sign_in")


def test_every_promised_page_is_found_from_the_app():
    assert set(PROMISED_PAGES) <= set(PAGES), PAGES


@pytest.mark.parametrize("url", PAGES)
def test_page_is_accessible(page, url, sign_in_path):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    landed = urlsplit(page.url).path
    if url.startswith(STAFF_AREAS) and landed != url:
        # A staff page, signed out: it must ask for sign-in, and the sign-in page
        # is scanned as a page of its own.
        assert landed == sign_in_path, f"{url} sent a signed-out person to {page.url}"
        return
    assert landed == url, f"{url} redirected to {page.url}"
    assert page.locator("h1").count() == 1
    assert page.title().startswith(page.locator("h1").inner_text().strip())
    assert_accessible(page)


def test_pages_reached_by_following_links_are_accessible(page, live_server):
    """Follow every link from the home page (outside the self-check and staff areas)."""
    to_visit, seen, found = ["/"], set(), {}
    while to_visit and len(seen) < MOST_CRAWLED_PAGES:
        path = to_visit.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        if path not in PAGES:
            violations = axe_violations(page)
            if violations:
                found[path] = describe_violations(violations)
        to_visit += [link for link in _links(page, live_server) if link not in seen]
    assert len(seen) > len(PROMISED_PAGES), sorted(seen)
    assert not found, "\n\n".join(f"{path}:\n{report}" for path, report in found.items())


def _links(page, live_server) -> list[str]:
    """Same-site page links on the page, as paths, outside the journey and staff areas."""
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(urljoin(page.url, href))
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(live_server).netloc:
            continue
        path = parts.path
        if path.startswith(("/check", "/static", "/assets") + STAFF_AREAS):
            continue
        if path.endswith(NOT_HTML):
            continue
        paths.append(path)
    return paths


def test_page_not_found_is_accessible(page):
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)


def test_skip_link_is_the_first_thing_a_keyboard_reaches_and_moves_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text().strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"


def test_group_finder_errors_and_results_are_accessible(page):
    page.goto("/groups/")
    press_button(page, "main form button")
    assert page.evaluate(ERROR_SUMMARY_HAS_FOCUS), "the error summary did not get focus"
    assert_accessible(page)

    type_into(page, "postcode", "DH1 3LN")
    press_button(page, "main form button")
    assert urlsplit(page.url).path.startswith("/groups/near/"), page.url
    assert "3LN" not in page.url, "the full postcode must never reach a URL"
    assert_accessible(page)


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'],
    ids=["script", "img-onerror"],
)
def test_markup_typed_as_a_postcode_is_shown_as_text(page, payload):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/groups/")
    type_into(page, "postcode", payload)
    press_button(page, "main form button")

    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.locator("input[name=postcode]").input_value() == payload
    assert page.locator("main img, main script").count() == 0
    assert dialogs == []


def test_without_nhs_branding_no_font_or_file_is_fetched_from_the_nhs(page):
    """The NHS's Frutiger font is theirs to use: by default pages ask nothing of assets.nhs.uk."""
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto("/")
    page.goto("/check/age")
    assert not [url for url in asked if "nhs.uk" in url], asked
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.lower().startswith("arial")
