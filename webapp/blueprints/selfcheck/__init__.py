"""The public bone health self-check: one question a page, then the result."""

import math

from flask import Blueprint, current_app, session

from webapp.session_cookie import signature_age

bp = Blueprint("selfcheck", __name__)

# The timeout warning opens this long before the answers are deleted.
WARN_MINUTES = 2
# A cookie signed less than this long ago is not signed again just to restart the clock:
# signing and sending it was a sixth of a page's cost, and a person moving through the
# check changes their answers (so the cookie) on most requests anyway.
RESIGN_AFTER_SECONDS = 60


@bp.before_request
def _restart_the_clock():
    """Any page of the check restarts its 30 minutes (PERMANENT_SESSION_LIFETIME): the
    cookie's signature carries the time it was last written, so write it again, unless
    it was written in the last RESIGN_AFTER_SECONDS. The clock then restarts up to that
    late, and the timeout warning counts from when the cookie was really signed."""
    if session.get("check"):
        age = signature_age(session)
        if age is None or age >= RESIGN_AFTER_SECONDS:
            session.modified = True


@bp.context_processor
def _timeout_minutes() -> dict:
    """The idle limit in minutes (for the words), and the seconds it has left as this page
    is drawn (for the warning's timers): less than the whole limit when the cookie was
    signed a little earlier and is not signed again by this request."""
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    age = None if session.modified else signature_age(session)
    left = lifetime if age is None else max(0, math.ceil(lifetime - age))
    return {"session_minutes": int(lifetime // 60), "warn_minutes": WARN_MINUTES,
            "session_seconds": int(lifetime), "session_seconds_left": int(left)}

from webapp.blueprints.selfcheck import views  # noqa: E402,F401  (routes attach to bp)
