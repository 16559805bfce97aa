"""Pages for FLS nurses: their service's patients and the medicines they take, under /patients.

Nurses only: `require_nurse` is attached to the whole blueprint, so anyone not
signed in is sent to sign in, and an admin or a nurse without a service gets
404 on every patient URL. A nurse of another service gets 404 too, because
each record is read through a query scoped to the nurse's own service.
"""

from flask import Blueprint, abort
from flask_login import current_user

from webapp.auth.guards import require_staff
from webapp.patients.nhs_number import format_nhs_number
from webapp.patients.queries import nurse_service_id
from webapp.reminders.medicines import MEDICINES

bp = Blueprint("patients", __name__)


def require_nurse():
    """Like `require_staff`, and then 404 for anyone who is not a nurse in a service."""
    response = require_staff()
    if response is not None:
        return response
    if nurse_service_id(current_user) is None:
        abort(404)
    return None


bp.before_request(require_nurse)


@bp.app_template_filter("nhs_number")
def _nhs_number_filter(digits: str) -> str:
    """943 476 5919, as NHS letters print it."""
    return format_nhs_number(digits)


@bp.app_template_filter("medicine_label")
def _medicine_label_filter(code: str) -> str:
    """A medicine code as a nurse reads it: "Alendronic acid 70 mg"."""
    entry = MEDICINES.get(code)
    return entry.label if entry else code


from webapp.blueprints.patients import follow_up, views  # noqa: E402,F401  (routes attach to bp)
