"""The nurse's own pages: who needs attention today (the worklist), and the service overview.

Nurses only: `require_nurse` is attached to the whole blueprint, so anyone not
signed in is sent to sign in, and an admin or a nurse without a service gets
404. Every query is scoped to the nurse's own service, so another service's
patient is a 404 too, never a 403 that says the record exists.
"""

from flask import Blueprint, abort
from flask_login import current_user

from webapp.auth.guards import require_staff
from webapp.blueprints.nurse import figures
from webapp.patients.queries import nurse_service_id

bp = Blueprint("nurse", __name__)


def require_nurse():
    """Like `require_staff`, and then 404 for anyone who is not a nurse in a service."""
    response = require_staff()
    if response is not None:
        return response
    if nurse_service_id(current_user) is None:
        abort(404)
    return None


bp.before_request(require_nurse)
for _name, _helper in figures.TEMPLATE_HELPERS.items():
    bp.add_app_template_global(_helper, _name)


from webapp.blueprints.nurse import overview_views, views  # noqa: E402,F401  (routes attach to bp)
