"""The session: fully signed in, half signed in (password only), idle expiry, safe redirects.

A fully signed-in session holds Flask-Login's `_user_id`, which is
"<id>:<session token>"; the loader refuses it once the token has changed. A
half-signed-in session holds the same value under `staff_pending` instead,
which nothing but the security-code pages reads.
"""

import hmac
import logging
import time
from urllib.parse import urlsplit

from flask import current_app, g, session
from flask_login import login_user, logout_user

from webapp.accounts.passwords import make_hasher
from webapp.accounts.sign_in import SignInPolicy
from webapp.extensions import db
from webapp.logs import log_event
from webapp.models.staff import StaffMember

SIGNED_IN = "_user_id"  # where Flask-Login keeps a signed-in member's id
LAST_SEEN = "staff_last_seen"
PENDING = "staff_pending"
NEXT = "staff_next"
SIGNED_OUT_IDLE = "staff_signed_out_idle"

log = logging.getLogger(__name__)


def load_staff_member(session_id: str) -> StaffMember | None:
    """Flask-Login's user loader: the active staff member whose id and token match."""
    return staff_for_session_id(session_id)


def staff_for_session_id(session_id: str | None) -> StaffMember | None:
    """The staff member named by "<id>:<token>", if active and the token is current."""
    try:
        id_text, token = (session_id or "").split(":", 1)
        staff = db.session.get(StaffMember, int(id_text))
    except ValueError:
        return None
    if staff is None or not staff.active:
        return None
    if not hmac.compare_digest(staff.session_token.encode(), token.encode()):
        return None
    return staff


def sign_in_policy() -> SignInPolicy:
    """The sign-in settings from config; the hasher is built once per app."""
    config = current_app.config
    hasher = current_app.extensions.get("bonecheck_password_hasher")
    if hasher is None:
        hasher = make_hasher(config["PASSWORD_HASH_PROFILE"])
        current_app.extensions["bonecheck_password_hasher"] = hasher
    return SignInPolicy(
        hasher=hasher,
        secret_key=config["SECRET_KEY"],
        totp_required=config["STAFF_TOTP_REQUIRED"],
        lockout_threshold=config["STAFF_LOCKOUT_THRESHOLD"],
        lockout_duration=config["STAFF_LOCKOUT_DURATION"],
        client_limit=config["SIGN_IN_CLIENT_LIMIT"],
        client_window=config["SIGN_IN_CLIENT_WINDOW"],
    )


def begin_half_signed_in(staff: StaffMember, next_url: str | None) -> None:
    """Password accepted, code still to come: a fresh session that only the code pages accept."""
    _clear_session()
    session.permanent = True
    session[PENDING] = staff.get_id()
    session[LAST_SEEN] = time.time()
    if next_url:
        session[NEXT] = next_url


def half_signed_in_staff() -> StaffMember | None:
    """The staff member who has given their password but not yet a code, if any."""
    return staff_for_session_id(session.get(PENDING))


def finish_sign_in(staff: StaffMember, next_url: str | None = None) -> str | None:
    """Both steps done: a fresh permanent session for `staff`. Returns where to go next."""
    next_url = next_url or session.get(NEXT)
    _clear_session()
    session.permanent = True
    login_user(staff)
    session[LAST_SEEN] = time.time()
    return next_url


def sign_out() -> None:
    """End this session entirely."""
    logout_user()
    _clear_session()


def _clear_session() -> None:
    """Empty the session, CSRF token included, so nothing carries across a sign-in or out.

    Flask-WTF caches this request's token on `g`; it is dropped too, or a form
    rendered after the clear would carry a token the session no longer holds.
    """
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def forget_cached_identity() -> None:
    """Start every request without a user or CSRF token cached on `g` by an earlier one.

    In a deployed app each request has its own `g`, so this changes nothing;
    under a test client that keeps one app context across requests, it stops
    a signed-out or switched-off person from carrying on as the cached user.
    """
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def may_be_signed_in() -> bool:
    """Whether a staff member may be signed in on this session. Staff sign in only
    through the session's Flask-Login id (no remember-me cookie, no request loader):
    without one, nobody is, and no one need be loaded to find that out."""
    return SIGNED_IN in session


def expire_idle_session() -> None:
    """Sign out a session that has been idle for longer than the session lifetime.

    The cookie's own expiry does the same in the browser, but a copied cookie
    could be replayed; the signed last-seen time inside it cannot be changed.
    """
    if SIGNED_IN not in session and PENDING not in session:
        return
    now = time.time()
    limit = current_app.permanent_session_lifetime.total_seconds()
    last_seen = session.get(LAST_SEEN)
    if not isinstance(last_seen, int | float) or now - last_seen > limit:
        staff_id = _staff_id_in(session.get(SIGNED_IN) or session.get(PENDING))
        log_event(log, "sign_out", "Signed out after being idle", staff_id=staff_id, reason="idle")
        sign_out()
        session[SIGNED_OUT_IDLE] = True
        return
    session[LAST_SEEN] = now


def _staff_id_in(session_id: str | None) -> int | None:
    """The id part of "<id>:<token>", for logs; never the token."""
    id_text = str(session_id or "").split(":", 1)[0]
    return int(id_text) if id_text.isascii() and id_text.isdigit() else None


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, otherwise None.

    Only a relative path starting with a single "/" is allowed: "//evil",
    "https://evil", backslashes (which browsers treat as slashes) and control
    characters are refused.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(character) < 32 or ord(character) == 127 for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
