"""The SMS outbox page: the texts sent (or kept offline) to one service's patients.

Nurses only, and only their own service's texts: anyone not signed in is sent
to sign in; an admin, or a nurse with no service, gets 404.
"""

from flask import Blueprint, abort
from flask_login import current_user

from webapp.auth.guards import require_staff

bp = Blueprint("sms_outbox", __name__)


@bp.before_request
def _nurses_of_a_service_only():
    response = require_staff()
    if response is not None:
        return response
    if not current_user.is_nurse or current_user.fls_service_id is None:
        abort(404)
    return None


@bp.after_request
def _never_cache(response):
    """Patients' names, numbers and texts are never stored by the browser."""
    response.headers["Cache-Control"] = "no-store"
    return response


from webapp.blueprints.sms_outbox import replies, views  # noqa: E402,F401  (routes attach to bp)
