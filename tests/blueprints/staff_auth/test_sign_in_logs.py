"""Every sign-in event is one structured log line naming the person by staff id, never by email."""

import io
import logging
import re
import time
from datetime import UTC, datetime

import pytest
import time_machine

from tests.accounts.factories import PASSWORD, code_for, create_staff_member, sign_in
from tests.pages import csrf_token, post_form, submit
from webapp.accounts.sign_in import keyed_hash
from webapp.auth.sessions import LAST_SEEN
from webapp.logs import OneLineFormatter

SIGN_IN = "/staff/sign-in"
CODE = "/staff/security-code"
EMAIL = "pat.nurse@nhs.net"
FULL_NAME = "Patricia Nurseworthy"
ADDRESS = "203.0.113.77"
# A run of 10 or more digits standing alone would be an NHS or phone number. (Hex keys
# can hold runs of digits, so a run touching a hex letter is part of a key.)
LONE_NUMBER = re.compile(r"(?<![0-9a-f])\d{10,}(?![0-9a-f])")


@pytest.fixture
def app_log(app):
    """What the app writes to stdout, through its own handler and formatter."""
    (handler,) = [
        handler for handler in logging.getLogger("webapp").handlers
        if isinstance(handler.formatter, OneLineFormatter)
    ]  # fmt: skip
    stream = io.StringIO()
    original = handler.setStream(stream)
    yield stream
    handler.setStream(original)


def _events(app_log) -> dict[str, list[dict[str, str]]]:
    """The logged events, each as its fields (bare values only, which these all are)."""
    events = {}
    for line in app_log.getvalue().splitlines():
        fields = dict(re.findall(r'(\w+)=([^\s"]*)', line))
        if "event" in fields:
            events.setdefault(fields["event"], []).append(fields)
    return events


def _assert_nothing_personal(app_log, staff) -> None:
    text = app_log.getvalue()
    assert text, "nothing was logged"
    for secret in (EMAIL, EMAIL.split("@")[0], "nhs.net", FULL_NAME, "Nurseworthy", PASSWORD,
                   ADDRESS, staff.session_token):  # fmt: skip
        assert secret not in text
    assert "@" not in text
    assert not LONE_NUMBER.search(text)
    assert all(line.startswith("time=") for line in text.splitlines())


def _password(client, email, password=PASSWORD):
    environ = {"REMOTE_ADDR": ADDRESS}
    return submit(client, SIGN_IN, {"email": email, "password": password}, environ_base=environ)


def test_a_successful_sign_in_and_sign_out_are_logged_by_staff_id(client, app, database, app_log):
    staff = create_staff_member(database, email=EMAIL, full_name=FULL_NAME)
    assert _password(client, EMAIL).location == "/staff/"
    token = csrf_token(client, "/staff/")
    assert client.post("/staff/sign-out", data={"csrf_token": token}).location == SIGN_IN
    events = _events(app_log)
    (succeeded,) = events["sign_in.succeeded"]
    assert succeeded["staff_id"] == str(staff.id) and succeeded["step"] == "password"
    assert succeeded["level"] == "info"
    assert succeeded["address_key"] == keyed_hash(app.config["SECRET_KEY"], "address", ADDRESS)
    (signed_out,) = events["sign_out"]
    assert signed_out["staff_id"] == str(staff.id) and signed_out["reason"] == "signed_out"
    _assert_nothing_personal(app_log, staff)


def test_wrong_passwords_then_the_hold_are_logged_without_the_email(client, database, app_log):
    staff = create_staff_member(database, email=EMAIL, full_name=FULL_NAME)
    for _ in range(5):
        _password(client, EMAIL, "not my password")
    assert _password(client, EMAIL).status_code == 429  # this address is held for this account
    _password(client, "nobody.at.all@nhs.net", "a guess")
    events = _events(app_log)
    refused = events["sign_in.password_refused"]
    assert [event["staff_id"] for event in refused] == [str(staff.id)] * 5 + [""]
    assert {event["level"] for event in refused} == {"warning"}
    (held,) = events["sign_in.too_many_attempts"]
    assert held["staff_id"] == str(staff.id) and held["level"] == "warning"
    assert "sign_in.succeeded" not in events
    _assert_nothing_personal(app_log, staff)


def test_a_locked_account_is_logged_with_when_the_lock_ends(client, app, database, app_log):
    app.config["STAFF_LOCKOUT_THRESHOLD"] = 3
    staff = create_staff_member(database, email=EMAIL, full_name=FULL_NAME)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        for _ in range(3):
            _password(client, EMAIL, "not my password")
        _password(client, EMAIL)
    events = _events(app_log)
    refused = events["sign_in.password_refused"]
    assert [event["staff_id"] for event in refused] == [str(staff.id)] * 2
    first_lock, still_locked = events["sign_in.locked"]
    assert first_lock["staff_id"] == still_locked["staff_id"] == str(staff.id)
    assert first_lock["locked_until"] == still_locked["locked_until"] == "2026-03-02T10:15:00"
    assert "sign_in.succeeded" not in events
    _assert_nothing_personal(app_log, staff)


def test_security_code_accepted_and_refused_are_logged(client, database, app_log):
    staff = create_staff_member(
        database, email=EMAIL, full_name=FULL_NAME, with_security_code=True
    )
    _password(client, EMAIL)
    post_form(client, CODE, {"code": "000000"})
    assert submit(client, CODE, {"code": code_for(staff)}).location == "/staff/"
    events = _events(app_log)
    (accepted,) = events["sign_in.password_accepted"]
    assert accepted["staff_id"] == str(staff.id) and accepted["step"] == "password"
    (refused,) = events["sign_in.security_code_refused"]
    assert refused["staff_id"] == str(staff.id) and refused["level"] == "warning"
    (succeeded,) = events["sign_in.succeeded"]
    assert succeeded["staff_id"] == str(staff.id) and succeeded["step"] == "security_code"
    _assert_nothing_personal(app_log, staff)


def test_password_changes_and_idle_sign_outs_are_logged(client, database, app_log):
    staff = create_staff_member(database, email=EMAIL, full_name=FULL_NAME)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, staff)
        post_form(client, "/staff/change-password", {
            "current_password": "not my password", "password": "a new long phrase",
            "confirm_password": "a new long phrase",
        })  # fmt: skip
        submit(client, "/staff/change-password", {
            "current_password": PASSWORD, "password": "a new long phrase",
            "confirm_password": "a new long phrase",
        })  # fmt: skip
        # The server's own idle check: a session whose last activity is over 30 minutes old.
        with client.session_transaction() as session:
            session[LAST_SEEN] = time.time() - 31 * 60
        assert client.get("/staff/").location.startswith(SIGN_IN)
    events = _events(app_log)
    (refused,) = events["password.change_refused"]
    assert refused["staff_id"] == str(staff.id) and refused["field"] == "current_password"
    (changed,) = events["password.changed"]
    assert changed["staff_id"] == str(staff.id)
    (idle,) = events["sign_out"]
    assert idle["staff_id"] == str(staff.id) and idle["reason"] == "idle"
    _assert_nothing_personal(app_log, staff)


def test_a_sign_in_line_is_one_line_whatever_is_typed(client, database, app_log):
    staff = create_staff_member(database, email=EMAIL, full_name=FULL_NAME)
    _password(client, f"{EMAIL}\nevent=sign_in.succeeded staff_id={staff.id}", "x\ny")
    lines = app_log.getvalue().splitlines()
    assert len(lines) == 1
    assert "event=sign_in.password_refused" in lines[0]
    assert "sign_in.succeeded" not in lines[0]
