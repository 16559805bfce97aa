"""`/sms-outbox/replies`: texts from the nurse's patients still to be read, urgent ones first.

A reply is kept for the team (unread) when it needs a person: a possible side
effect (urgent), STOP or START, anything not understood, or an answer when no
reminder awaited one. Marking one read records who and when in the audit log.
"""

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.accounts.audit import record_change
from webapp.blueprints.sms_outbox import bp
from webapp.blueprints.sms_outbox.views import OUTCOME_NAMES
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.models.replies import InboundMessage

MOST_SHOWN = 200


class MarkReadForm(FlaskForm):
    """A button that posts only the CSRF token."""


@bp.route("/replies")
def replies_to_read():
    """Unread replies from this service's patients, urgent first, then oldest first."""
    unread = db.session.scalars(
        _service_replies(current_user.fls_service_id).where(InboundMessage.read_at.is_(None))
        .order_by(InboundMessage.urgent.desc(), InboundMessage.received_at, InboundMessage.id)
        .limit(MOST_SHOWN)
    ).all()  # fmt: skip
    return render_template("sms_outbox/replies.html", replies=unread, form=MarkReadForm(),
                           outcome_names=OUTCOME_NAMES)  # fmt: skip


@bp.route("/replies/<int:reply_id>/read", methods=["POST"])
def mark_read(reply_id: int):
    """Record that a nurse has read one reply (and acted on it if needed)."""
    reply = db.session.scalars(
        _service_replies(current_user.fls_service_id).where(InboundMessage.id == reply_id)
    ).first()
    if reply is None:
        abort(404)
    if MarkReadForm().validate_on_submit() and reply.read_at is None:
        reply.read_at = utc_now()
        record_change(db.session, current_user, "reply.read", reply, {"read_at": None},
                      {"read_at": reply.read_at.isoformat()}, now=reply.read_at)  # fmt: skip
        db.session.commit()
    return redirect(url_for("sms_outbox.replies_to_read"))


def _service_replies(service_id: int):
    return (
        select(InboundMessage)
        .join(Patient, InboundMessage.patient_id == Patient.id)
        .where(Patient.fls_service_id == service_id)
        .options(joinedload(InboundMessage.patient))
    )
