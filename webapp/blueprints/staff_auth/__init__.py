"""Staff sign-in: password, security code, sign out, change password, your account.

Protected centrally: sign-in and sign-out are open, the security-code pages
need the password step done, and everything else needs a full sign-in.
"""

from flask import Blueprint, request

from webapp.auth.guards import require_half_signed_in, require_staff

bp = Blueprint("staff_auth", __name__)

OPEN_ENDPOINTS = frozenset({"staff_auth.sign_in", "staff_auth.sign_out"})
SECOND_STEP_ENDPOINTS = frozenset(
    {
        "staff_auth.security_code",
        "staff_auth.set_up_security_code",
        "staff_auth.security_code_qr",
    }
)


@bp.before_request
def _guard():
    """Open, second-step or signed-in only, by endpoint."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.endpoint in SECOND_STEP_ENDPOINTS:
        return require_half_signed_in()
    return require_staff()


from webapp.blueprints.staff_auth import views  # noqa: E402,F401  (routes attach to bp)
