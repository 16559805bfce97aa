"""Guards attached to whole blueprints at registration: `bp.before_request(require_staff)`.

Attaching them centrally means a new view cannot be left open by forgetting a
decorator; tests/test_route_protection.py checks every route in the app.
A signed-in nurse gets 404 from admin pages: never a 403 that confirms the
page exists.
"""

from flask import abort, redirect, request, url_for
from flask_login import current_user

from webapp.auth.sessions import half_signed_in_staff, safe_next_url

CHANGE_PASSWORD_ENDPOINT = "staff_auth.change_password"


def require_staff():
    """Let a fully signed-in staff member through; send anyone else to sign in.

    Someone half signed in goes back to the security-code step; someone who
    must change a temporary password goes to that page first.
    """
    if not current_user.is_authenticated:
        if half_signed_in_staff() is not None:
            return redirect(url_for("staff_auth.security_code"))
        return redirect(url_for("staff_auth.sign_in", next=_this_page()))
    if current_user.must_change_password and request.endpoint != CHANGE_PASSWORD_ENDPOINT:
        return redirect(url_for(CHANGE_PASSWORD_ENDPOINT))
    return None


def require_admin():
    """Like `require_staff`, and then 404 for anyone who is not an admin."""
    response = require_staff()
    if response is not None:
        return response
    if not current_user.is_admin:
        abort(404)
    return None


def require_half_signed_in():
    """For the security-code pages: someone who has given their password (or is signed in)."""
    if current_user.is_authenticated or half_signed_in_staff() is not None:
        return None
    return redirect(url_for("staff_auth.sign_in"))


def _this_page() -> str | None:
    """The page to come back to after signing in (GET only: a POST cannot be replayed)."""
    if request.method != "GET":
        return None
    return safe_next_url(request.full_path.rstrip("?"))
