"""Every route is either on the public list or closed to anyone not signed in.

Walks the whole URL map, so a route added later is checked without anyone
remembering to add a test. Admin pages answer a signed-in nurse with 404, and patient and
nurse pages (worklist, overview) a signed-in admin (tests/blueprints/patients and
tests/blueprints/nurse cover nurses of other services).
"""

import uuid

import pytest
from werkzeug.routing import UUIDConverter

from config import TestConfig
from tests.accounts.factories import PASSWORD, create_staff_member
from webapp import create_app
from webapp.extensions import db
from webapp.models.staff import Role

# Whole blueprints anyone may use: information pages, the self-check, design-system
# assets, and the public support-group and service finder.
PUBLIC_BLUEPRINTS = frozenset({"pages", "selfcheck", "assets", "groups"})
PUBLIC_ENDPOINTS = frozenset({
    "static", "staff_auth.sign_in", "staff_auth.sign_out",
    # Twilio's delivery receipts: no session, but every request must carry Twilio's
    # signature (tests/sms/test_status_callbacks.py checks unsigned ones get 403).
    "sms_webhook.status_callback",
    # Patients' texts, the same way (tests/sms/test_inbound_webhook.py).
    "sms_webhook.inbound_message",
})
SIGN_IN = "/staff/sign-in"
NOTHING_THERE = {404, 405}


def _is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


def _url(app, rule) -> str:
    """The rule's URL with a made-up value for each part (1, or a UUID where one is needed)."""
    values = {
        name: uuid.UUID(int=1) if isinstance(converter, UUIDConverter) else 1
        for name, converter in rule._converters.items()
    }
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _protected_rules(app):
    return [rule for rule in app.url_map.iter_rules() if not _is_public(rule.endpoint)]


@pytest.fixture
def app_without_csrf(app):
    """A second app on the same database with CSRF off, so a POST reaches the guards."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    config = type("NoCsrf", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                            "WTF_CSRF_ENABLED": False})
    other = create_app(config)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_there_are_protected_routes_to_check(app):
    endpoints = {rule.endpoint for rule in _protected_rules(app)}
    assert {"staff_auth.account", "admin_staff.staff_list", "admin_staff.audit_log"} <= endpoints


def _open_routes(app, client_app) -> list[str]:
    """Protected routes that answer an anonymous request with anything but sign-in or 404/405."""
    open_routes = []
    for rule in _protected_rules(app):
        url = _url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client_app.test_client().open(url, method=method)
            redirected_to_sign_in = response.status_code in (302, 303) and (
                response.location.startswith(SIGN_IN)
            )
            if not (redirected_to_sign_in or response.status_code in NOTHING_THERE):
                open_routes.append(f"{method} {url} ({rule.endpoint}) → {response.status_code}")
    return open_routes


def test_every_route_not_on_the_public_list_sends_anonymous_visitors_to_sign_in(
    app, app_without_csrf
):
    assert _open_routes(app_without_csrf, app_without_csrf) == []


def test_the_walk_would_catch_a_route_left_open(app_without_csrf):
    @app_without_csrf.route("/patients-left-open")
    def left_open():
        return "patient list"

    assert _open_routes(app_without_csrf, app_without_csrf) == [
        "GET /patients-left-open (left_open) → 200"
    ]


def test_public_list_names_only_real_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC_ENDPOINTS <= endpoints


def test_a_nurse_gets_not_found_from_every_admin_page(app, app_without_csrf, database):
    nurse = create_staff_member(database, Role.NURSE)
    client = app_without_csrf.test_client()
    signed_in = client.post(SIGN_IN, data={"email": nurse.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/staff/").status_code == 200
    admin_rules = [
        rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin")
    ]
    assert admin_rules
    answered = {
        f"{method} {rule.rule}": client.open(_url(app, rule), method=method).status_code
        for rule in admin_rules
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    }
    assert {key: status for key, status in answered.items() if status != 404} == {}


def test_an_admin_gets_not_found_from_every_patient_and_nurse_page(app, app_without_csrf, database):
    admin = create_staff_member(database, Role.ADMIN)
    client = app_without_csrf.test_client()
    signed_in = client.post(SIGN_IN, data={"email": admin.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    patient_rules = [
        rule for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("patients.", "nurse."))
    ]
    assert patient_rules
    answered = {
        f"{method} {rule.rule}": client.open(_url(app, rule), method=method).status_code
        for rule in patient_rules
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    }
    assert {key: status for key, status in answered.items() if status != 404} == {}
