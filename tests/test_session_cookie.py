"""The session cookie (webapp/session_cookie.py) is Flask's, byte for byte, read and written
with less work: whatever a session holds, it is written as Flask writes it and read back."""

import uuid
from datetime import UTC, datetime

import pytest
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

from webapp.session_cookie import SessionCookies, SessionSerializer

SESSIONS = [
    {},
    {"check": {"age": {"years": 72}, "height": {"cm": 160.5}, "conditions": ["asthma", "ra"]},
     "csrf_token": "abc", "_fresh": False, "staff_last_seen": 1733100000.25, "n": None},
    {"text": 'a {" t": ["not", "a", "tag"]} in words', "ünïcode": "café ☕"},
    {"a tuple": (1, 2)},
    {"bytes": b"\x00\x01"},
    {"markup": Markup("<b>x</b>")},
    {"when": datetime(2026, 12, 1, 23, 0, tzinfo=UTC)},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"nested": [{"t": 1}, {" t": [1, 2]}, [(3, 4)]]},
    {" di": {"a lone tag key": True}},
    {1: "a number as a key"},
]  # fmt: skip


@pytest.mark.parametrize("value", SESSIONS)
def test_written_and_read_as_flask_does(app, value):
    flasks, ours = TaggedJSONSerializer(), SessionSerializer()
    written = flasks.dumps(value)
    assert ours.dumps(value) == written
    assert ours.loads(written) == flasks.loads(written)


def test_plain_values_skip_the_walk(app, monkeypatch):
    walked = []
    def walk(self, value):
        walked.append(value)

    monkeypatch.setattr(TaggedJSONSerializer, "tag", walk)
    monkeypatch.setattr(TaggedJSONSerializer, "_untag_scan", walk)
    serializer = SessionSerializer()
    assert serializer.loads(serializer.dumps(SESSIONS[1])) == SESSIONS[1]
    assert walked == []


def test_a_cookie_written_by_flask_is_read_and_the_other_way_round(app):
    session = {"check": {"sex": "female", "age": {"years": 65}}, "when": (1, 2)}
    flasks, ours = SecureCookieSessionInterface(), SessionCookies()
    from_flask = flasks.get_signing_serializer(app).dumps(session)
    from_ours = ours.get_signing_serializer(app).dumps(session)
    assert ours.get_signing_serializer(app).loads(from_flask) == session
    assert flasks.get_signing_serializer(app).loads(from_ours) == session


def test_the_signing_serializer_follows_the_secret_key(app):
    cookies = SessionCookies()
    first = cookies.get_signing_serializer(app)
    assert cookies.get_signing_serializer(app) is first
    written = first.dumps({"a": 1})
    app.secret_key = "another-secret"
    assert cookies.get_signing_serializer(app) is not first
    with pytest.raises(Exception, match="Signature"):
        cookies.get_signing_serializer(app).loads(written)


def test_the_app_uses_it(app):
    assert isinstance(app.session_interface, SessionCookies)
