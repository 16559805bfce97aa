"""Signing in through the pages: password, security code, set-up, locks and limits."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from bs4 import BeautifulSoup

from config import TestConfig
from tests.accounts.factories import PASSWORD, code_for, create_staff_member, sign_in
from tests.pages import error_messages, get_page, post_form, submit
from webapp import create_app
from webapp.accounts.sign_in import count_failure, email_key
from webapp.auth.sessions import sign_in_policy
from webapp.clock import utc_now
from webapp.extensions import db

SIGN_IN = "/staff/sign-in"
CODE = "/staff/security-code"
SET_UP = "/staff/set-up-security-code"
NOT_RIGHT = "The email address or password is not right"


def _from(number: int) -> dict:
    """A request from client address number `number` (guessing spread over many addresses)."""
    return {"environ_base": {"REMOTE_ADDR": f"203.0.113.{number}"}}


def _password(client, email, password=PASSWORD, **kwargs):
    return submit(client, SIGN_IN, {"email": email, "password": password}, **kwargs)


def test_sign_in_page_renders_with_a_csrf_protected_form(client):
    page = get_page(client, SIGN_IN)
    assert page.h1.get_text(strip=True) == "Sign in to BoneCheck"
    assert page.select_one("input[name=password]")["autocomplete"] == "current-password"


def test_password_only_account_signs_in_and_reaches_its_account_page(client, database):
    staff = create_staff_member(database, full_name="Pat Nurse")
    response = _password(client, staff.email)
    assert response.status_code == 302 and response.location == "/staff/"
    page = get_page(client, "/staff/")
    assert "Pat Nurse" in page.get_text()


def test_password_then_code_signs_in(client, database):
    staff = create_staff_member(database, with_security_code=True)
    response = _password(client, staff.email)
    assert response.location == CODE
    assert client.get("/staff/").location == CODE  # half signed in: only the code step
    assert client.get("/admin/staff").location == CODE
    page = get_page(client, CODE)
    assert page.h1.get_text(strip=True) == "Enter your security code"
    response = submit(client, CODE, {"code": code_for(staff)})
    assert response.status_code == 302 and response.location == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_is_refused_and_a_used_code_cannot_sign_in_again(client, app, database):
    staff = create_staff_member(database, with_security_code=True)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC), tick=False):
        _password(client, staff.email)
        page = post_form(client, CODE, {"code": "000000"})
        assert error_messages(page) == [
            "The security code is not right. Enter the code your app shows now"
        ]
        code = code_for(staff)
        assert submit(client, CODE, {"code": code}).location == "/staff/"
        other = app.test_client()
        _password(other, staff.email)
        page = post_form(other, CODE, {"code": code})
        assert "not right" in error_messages(page)[0]


def test_code_set_up_is_required_when_configured_and_confirmed_with_a_first_code(
    client, app, database
):
    app.config["STAFF_TOTP_REQUIRED"] = True
    staff = create_staff_member(database)
    assert _password(client, staff.email).location == SET_UP
    assert client.get("/staff/").location == CODE
    page = get_page(client, SET_UP)
    key = page.find("code").get_text().replace(" ", "")
    qr = client.get(page.find("main").find("img")["src"])  # not the header's logo
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.headers["Cache-Control"] == "no-store"
    assert error_messages(post_form(client, SET_UP, {"code": "123456"}))
    database.refresh(staff)
    assert staff.totp_secret is None
    response = submit(client, SET_UP, {"code": pyotp.TOTP(key).now()})
    assert response.location == "/staff/"
    database.refresh(staff)
    assert staff.totp_secret == key


def test_unknown_email_and_wrong_password_get_the_same_answer(client, database):
    staff = create_staff_member(database)
    wrong_password = _password(client, staff.email, "not my password")
    unknown_email = _password(client, "nobody@nhs.net", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 200
    for response in (wrong_password, unknown_email):
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert error_messages(page) == [NOT_RIGHT]
    assert "nobody@nhs.net" not in error_messages(
        BeautifulSoup(unknown_email.get_data(as_text=True), "html.parser")
    )[0]


def test_twenty_failures_lock_the_account_and_say_how_to_get_help(client, database):
    staff = create_staff_member(database)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        for number in range(19):
            assert error_messages(post_form(client, SIGN_IN, {"email": staff.email,
                                                              "password": "nope"},
                                            **_from(number))) == [NOT_RIGHT]  # fmt: skip
        page = post_form(client, SIGN_IN, {"email": staff.email, "password": "nope"})
        message = error_messages(page)[0]
        assert "locked" in message and "10:15 UTC" in message
        assert "ask an admin of your Fracture Liaison Service" in message
        locked = post_form(client, SIGN_IN, {"email": staff.email, "password": PASSWORD})
        assert "locked" in error_messages(locked)[0]
    with time_machine.travel(datetime(2026, 3, 2, 10, 16, tzinfo=UTC), tick=False):
        assert _password(client, staff.email).location == "/staff/"


def test_the_lock_holds_across_two_app_instances_sharing_the_database(app, database):
    """Two web processes: failures on one count on the other."""
    staff = create_staff_member(database)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    second_app = create_app(type("SecondProcess", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    first, second = app.test_client(), second_app.test_client()
    try:
        for number in range(19):
            client = (first, second)[number % 2]
            assert error_messages(post_form(client, SIGN_IN, {"email": staff.email,
                                                              "password": "nope"},
                                            **_from(number))) == [NOT_RIGHT]  # fmt: skip
        page = post_form(second, SIGN_IN, {"email": staff.email, "password": "nope"})
        assert "locked" in error_messages(page)[0]
        page = post_form(first, SIGN_IN, {"email": staff.email, "password": PASSWORD})
        assert "locked" in error_messages(page)[0]
    finally:
        with second_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_five_failures_hold_that_account_from_that_address_only(client, database):
    staff = create_staff_member(database)
    busy = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(5):
        response = _password(client, staff.email, "nope", environ_base=busy)
        assert response.status_code == 200
    held = _password(client, staff.email, environ_base=busy)
    assert held.status_code == 429
    page = BeautifulSoup(held.get_data(as_text=True), "html.parser")
    assert "too many failed attempts to sign in to this account from your network" in (
        error_messages(page)[0]
    )
    elsewhere = _password(client, staff.email, environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert elsewhere.location == "/staff/"


def test_two_people_behind_one_address_one_guessing_and_the_other_signs_in(app, database):
    """A hospital's staff share one address: one person's wrong guesses hold back only them."""
    admin = create_staff_member(database)
    create_staff_member(database, email="guessed@nhs.net")
    hospital = {"REMOTE_ADDR": "203.0.113.50"}
    guesser, colleague = app.test_client(), app.test_client()
    for attempt in range(30):
        email = ("guessed@nhs.net", "nobody@nhs.net", f"guess{attempt}@nhs.net")[attempt % 3]
        _password(guesser, email, "wrong guess", environ_base=hospital)
    assert _password(guesser, "guessed@nhs.net", environ_base=hospital).status_code == 429
    assert _password(colleague, admin.email, environ_base=hospital).location == "/staff/"


@pytest.fixture
def app_behind_one_proxy(app):
    """The same database, with TRUSTED_PROXIES=1 as behind the documented nginx."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    config = type("BehindProxy", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                 "TRUSTED_PROXIES": 1})  # fmt: skip
    proxied = create_app(config)
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def test_behind_a_proxy_two_people_are_told_apart_by_the_address_it_saw(
    app_behind_one_proxy, database
):
    staff = create_staff_member(database)
    proxy = "10.0.0.2"  # every request reaches gunicorn from the proxy

    def through_proxy(client_address: str) -> dict:
        return {"environ_base": {"REMOTE_ADDR": proxy},
                "headers": {"X-Forwarded-For": client_address}}  # fmt: skip

    guesser, colleague = app_behind_one_proxy.test_client(), app_behind_one_proxy.test_client()
    for _ in range(6):
        _password(guesser, staff.email, "wrong guess", **through_proxy("198.51.100.1"))
    assert _password(guesser, staff.email, **through_proxy("198.51.100.1")).status_code == 429
    assert _password(colleague, staff.email, **through_proxy("198.51.100.2")).location == (
        "/staff/"
    )


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(app, client, database):
    staff = create_staff_member(database)
    assert app.config["TRUSTED_PROXIES"] == 0
    for number in range(5):
        # A guesser cannot escape the hold by making up a new X-Forwarded-For each time.
        _password(client, staff.email, "wrong guess",
                  headers={"X-Forwarded-For": f"198.51.100.{number}"})  # fmt: skip
    held = _password(client, staff.email, headers={"X-Forwarded-For": "192.0.2.99"})
    assert held.status_code == 429


def test_a_temporary_password_must_be_changed_before_anything_else(client, database):
    staff = create_staff_member(database, must_change_password=True)
    sign_in(client, staff)
    assert client.get("/staff/").location == "/staff/change-password"
    page = get_page(client, "/staff/change-password")
    assert page.h1.get_text(strip=True) == "Choose a new password"
    response = submit(client, "/staff/change-password", {
        "current_password": PASSWORD, "password": "my own long phrase",
        "confirm_password": "my own long phrase",
    })
    assert response.location == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_idle_for_thirty_minutes_signs_out(client, database):
    staff = create_staff_member(database)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/staff/").status_code == 200  # activity resets the clock
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/staff/")
        assert response.status_code == 302
        assert response.location.startswith("/staff/sign-in")


def test_a_copied_cookie_is_refused_after_thirty_idle_minutes(client, app, database):
    staff = create_staff_member(database)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        replay = app.test_client()
        replay.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        assert replay.get("/staff/").location.startswith("/staff/sign-in")


def test_five_wrong_codes_hold_the_code_step_from_this_address(client, database):
    staff = create_staff_member(database, with_security_code=True)
    _password(client, staff.email)
    for _ in range(5):
        assert "not right" in error_messages(post_form(client, CODE, {"code": "000000"}))[0]
    page = post_form(client, CODE, {"code": code_for(staff)}, status=429)
    assert "too many failed attempts" in error_messages(page)[0]


def test_a_locked_account_ends_the_half_signed_in_session(client, database):
    staff = create_staff_member(database, with_security_code=True)
    _password(client, staff.email)
    policy = sign_in_policy()
    for _ in range(policy.lockout_threshold - 1):
        count_failure(db.session, policy, email_key(policy, staff.email), utc_now())
    db.session.commit()
    page = post_form(client, CODE, {"code": "000000"})
    assert page.h1.get_text(strip=True) == "Sign in to BoneCheck"
    assert "locked" in error_messages(page)[0]
    assert client.get(CODE).location == SIGN_IN
    assert "locked" in error_messages(post_form(client, SIGN_IN, {
        "email": staff.email, "password": PASSWORD}))[0]
