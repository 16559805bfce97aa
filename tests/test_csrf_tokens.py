"""A session's signed CSRF token is made once and kept (webapp/csrf_tokens.py): fast tests."""

import re

from flask import session
from flask_wtf.csrf import generate_csrf, validate_csrf

from tests.test_page_frame import _confirmed_result
from webapp import csrf_tokens

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_every_page_of_a_session_carries_one_token_that_still_works(app):
    client = app.test_client()
    first = FORM_TOKEN.findall(_confirmed_result(client).get_data(as_text=True))
    again = FORM_TOKEN.findall(client.get("/check/result").get_data(as_text=True))

    assert len(set(first)) == 1 and set(again) == set(first)
    started_again = client.post("/check/start-again", data={"csrf_token": first[0]})
    assert started_again.status_code == 302


def test_another_session_gets_its_own_token(app):
    tokens = [
        set(FORM_TOKEN.findall(_confirmed_result(app.test_client()).get_data(as_text=True)))
        for _ in range(2)
    ]
    assert len(tokens[0]) == len(tokens[1]) == 1 and tokens[0] != tokens[1]


def test_a_kept_token_is_the_one_flask_wtf_signed_for_this_session(app):
    with app.test_request_context():
        signed = csrf_tokens.signed_csrf_token()
        raw = session["csrf_token"]
    with app.test_request_context():
        session["csrf_token"] = raw
        assert csrf_tokens.signed_csrf_token() == signed
        validate_csrf(signed)  # raises if it is not this session's


def test_with_a_time_limit_every_request_signs_afresh_as_flask_wtf_does(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    kept_before = dict(app.extensions[csrf_tokens.KEPT])
    with app.test_request_context():
        assert csrf_tokens.signed_csrf_token() == generate_csrf()
    assert app.extensions[csrf_tokens.KEPT] == kept_before
