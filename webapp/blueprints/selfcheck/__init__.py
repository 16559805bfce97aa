"""The public bone health self-check: one question a page, then the result."""

from flask import Blueprint, current_app, session

bp = Blueprint("selfcheck", __name__)

# The timeout warning opens this long before the answers are deleted.
WARN_MINUTES = 2


@bp.before_request
def _restart_the_clock():
    """Any page of the check restarts its 30 minutes (PERMANENT_SESSION_LIFETIME): the
    cookie's signature carries the time it was last written, so write it again."""
    if session.get("check"):
        session.modified = True


@bp.context_processor
def _timeout_minutes() -> dict:
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    return {"session_minutes": int(lifetime // 60), "warn_minutes": WARN_MINUTES}

from webapp.blueprints.selfcheck import views  # noqa: E402,F401  (routes attach to bp)
