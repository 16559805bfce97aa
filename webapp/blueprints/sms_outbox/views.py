"""`/sms-outbox`: the newest texts to the signed-in nurse's patients, a page at a time."""

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from webapp.blueprints.sms_outbox import bp
from webapp.clock import to_uk
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.models.reminders import SmsMessage
from webapp.phones import national_format

TEXTS_PER_PAGE = 50

# How each status reads to a nurse, and the colour of its tag.
STATUS_LABELS = {
    "sending": ("Sending", "yellow"),
    "sent": ("Sent", "blue"),
    "delivered": ("Delivered", "green"),
    "undelivered": ("Not delivered", "red"),
    "failed": ("Failed", "red"),
    "unknown": ("No delivery report", "grey"),
    "needs_check": ("Needs checking", "orange"),
}


@bp.route("")
def outbox():
    """Texts to this service's patients, newest first, with status, time (UK) and wording."""
    page = db.paginate(
        _texts_for_service(current_user.fls_service_id),
        per_page=TEXTS_PER_PAGE, max_per_page=TEXTS_PER_PAGE,
    )
    return render_template(
        "sms_outbox/outbox.html", page=page, offline=current_app.config["SMS_BACKEND"] == "outbox",
        status_label=_status_label, uk_time=_uk_time, national_format=national_format,
    )


def _texts_for_service(service_id: int) -> Select:
    """Every text to a patient of `service_id`, newest first; each row's patient in the
    same query, so a page costs the same number of queries however long it is."""
    when = func.coalesce(SmsMessage.sent_at, SmsMessage.claimed_at)
    return (
        select(SmsMessage)
        .join(Patient, SmsMessage.patient_id == Patient.id)
        .where(Patient.fls_service_id == service_id)
        .options(joinedload(SmsMessage.patient))
        .order_by(when.desc(), SmsMessage.id.desc())
    )


def _status_label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, (status.replace("_", " ").capitalize(), "grey"))


def _uk_time(moment) -> str:
    """A stored UTC time as UK clocks showed it, for example 2 Dec 2026, 09:00."""
    if moment is None:
        return "Not yet"
    local = to_uk(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"
