"""The signed session cookie, read and written with less work: the same cookie, byte for byte.

The self-check keeps a person's answers in the session cookie, and every page of the
check writes it again (its signature carries the time, which restarts the 30 minutes).
Flask's serializer walks every value on the way out and again on the way in, looking
for the few types plain JSON cannot hold (tuples, bytes, Markup, UUIDs, datetimes),
and builds a new signing serializer for each read and each write: together about a
tenth of a self-check page's time.

Here the walk is skipped when it can change nothing: on the way out when every value
is a plain JSON value (text, numbers, booleans, None, lists, dicts with text keys and
none a lone tag key), on the way in when the text holds no tagged value (a tagged value
is always written as a one-key object whose key starts with a space, `{" t":…}`). The
signing serializer depends only on the secret keys, so it is built once for them.
Cookies written before and after read the same.

A session read from a cookie also knows when that cookie was signed (`signed_at`), so
a page can tell how long its idle limit has left without writing the cookie again.
"""

from datetime import UTC, datetime

from flask import Flask, Request
from flask.json import dumps, loads
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

TAGGED_VALUE_STARTS = '{" '


class SessionSerializer(TaggedJSONSerializer):
    """Flask's tagged JSON, with the walk over the values skipped when it would change nothing."""

    def dumps(self, value) -> str:
        """As TaggedJSONSerializer.dumps: plain values are written as they are."""
        if _is_plain(value, self.tags):
            return dumps(value, separators=(",", ":"))
        return super().dumps(value)

    def loads(self, value: str):
        """As TaggedJSONSerializer.loads: text with no tagged value is read as it is."""
        if TAGGED_VALUE_STARTS not in value:
            return loads(value)
        return super().loads(value)


def _is_plain(value, tags) -> bool:
    """Whether the tagged serializer would write `value` unchanged as plain JSON."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return True
    if kind is dict:
        if len(value) == 1 and next(iter(value)) in tags:
            return False
        return all(type(name) is str and _is_plain(item, tags) for name, item in value.items())
    if kind is list:
        return all(_is_plain(item, tags) for item in value)
    return False


class SignedSession(SecureCookieSession):
    """Flask's cookie session, with the time its cookie was signed (None for a new one)."""

    signed_at: datetime | None = None


def signature_age(session, now: datetime | None = None) -> float | None:
    """Seconds since `session`'s cookie was signed, or None if it was not read from one."""
    signed_at = getattr(session, "signed_at", None)
    if signed_at is None:
        return None
    return ((now or datetime.now(UTC)) - signed_at).total_seconds()


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie sessions with SessionSerializer, and one signing serializer
    for each set of secret keys."""

    serializer = SessionSerializer()
    session_class = SignedSession

    def __init__(self) -> None:
        self._signing = (None, None)

    def get_signing_serializer(self, app: Flask):
        """Flask's signing serializer, built again only when the secret keys change."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept_keys, serializer = self._signing
        if kept_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._signing = (keys, serializer)
        return serializer

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        """As Flask's, keeping the time the cookie was signed on the session."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session


def register(app: Flask) -> None:
    """Use SessionCookies for this app's sessions."""
    app.session_interface = SessionCookies()
