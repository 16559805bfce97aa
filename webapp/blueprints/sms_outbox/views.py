"""`/sms-outbox`: the newest texts to the signed-in nurse's patients, a page at a time; and,
while texts are kept offline, each patient's conversation with a reply typed as the patient."""

from uuid import uuid4

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from webapp.blueprints.sms_outbox import bp
from webapp.blueprints.sms_outbox.forms import PatientReplyForm
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.models.reminders import SmsMessage
from webapp.models.replies import ReplyChannel
from webapp.patients.queries import patient_for_nurse
from webapp.phones import national_format
from webapp.reminders import conversations
from webapp.reminders.inbound import receive_reply, reply_settings
from webapp.sms.outbox import OUTBOX_SID_PREFIX

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

# How each reply's outcome reads to a nurse.
OUTCOME_NAMES = {
    "taken": "Taken", "missed": "Missed", "later": "Remind later", "stop": "Stop texts",
    "start": "Start texts again", "help": "Asked for help", "side_effect": "Possible side effect",
    "unclear": "Not understood",
}  # fmt: skip


@bp.route("")
def outbox():
    """Texts to this service's patients, newest first, with status, time (UK) and wording."""
    page = db.paginate(
        _texts_for_service(current_user.fls_service_id),
        per_page=TEXTS_PER_PAGE, max_per_page=TEXTS_PER_PAGE,
    )
    return render_template(
        "sms_outbox/outbox.html", page=page, offline=current_app.config["SMS_BACKEND"] == "outbox",
        status_label=_status_label, national_format=national_format,
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


def _status_label(message: SmsMessage) -> tuple[str, str]:
    """How a text's status reads to a nurse; one the offline outbox kept was never sent."""
    if message.provider_sid and message.provider_sid.startswith(OUTBOX_SID_PREFIX):
        return ("Kept, not sent", "grey")
    status = message.status
    return STATUS_LABELS.get(status, (status.replace("_", " ").capitalize(), "grey"))


@bp.route("/patients/<int:patient_id>", methods=["GET", "POST"])
def conversation(patient_id: int):
    """Offline only: one patient's texts in and out, and a reply typed as the patient, which
    goes through the same service as Twilio's webhook."""
    patient = _offline_patient_or_404(patient_id)
    form = PatientReplyForm()
    if form.validate_on_submit():
        receive_reply(
            db.session, f"IN{uuid4().hex}", patient.mobile, form.body.data, utc_now(),
            reply_settings(current_app.config), channel=ReplyChannel.OUTBOX, patient=patient,
        )  # fmt: skip
        db.session.commit()
        flash("The reply has been received as if the patient had sent it.")
        return redirect(url_for("sms_outbox.conversation", patient_id=patient.id))
    return render_template(
        "sms_outbox/conversation.html", patient=patient, form=form,
        entries=conversations.conversation(db.session, patient), outcome_name=_outcome_name,
    )  # fmt: skip


def _offline_patient_or_404(patient_id: int) -> Patient:
    """The nurse's own patient, while texts are kept offline; otherwise 404."""
    if current_app.config["SMS_BACKEND"] != "outbox":
        abort(404)
    patient = patient_for_nurse(db.session, current_user, patient_id)
    if patient is None:
        abort(404)
    return patient


def _outcome_name(outcome: str | None) -> str:
    return OUTCOME_NAMES.get(outcome or "", "Not read as a reply")
