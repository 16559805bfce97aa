"""`POST /sms/inbound`: a text a patient (or anyone) sent to our number, from Twilio.

Unsigned, forged or signed for another URL: 403, nothing recorded. Signed: the
message is recorded and applied (webapp.reminders.inbound) and committed
before the answer goes back, as TwiML in this response; an empty response
where Twilio answers itself (STOP, START) or nothing should answer. A request
with fields missing or junk in them gets an empty answer, never an error, and
the log names the number masked, never the text.
"""

import logging

from flask import Response, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from twilio.twiml.messaging_response import MessagingResponse

from webapp.blueprints.sms_webhook import bp
from webapp.blueprints.sms_webhook.views import signed_by_twilio
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.logs import log_event
from webapp.models.replies import InboundMessage
from webapp.phones import mask_number
from webapp.reminders import inbound

log = logging.getLogger(__name__)
EVENT = "sms.inbound"


@bp.route("/inbound", methods=["POST"])
def inbound_message():
    """Record one signed inbound text and answer it in TwiML; refuse anything unsigned."""
    if not signed_by_twilio():
        log_event(log, EVENT, "Inbound SMS refused: not signed by Twilio",
                  level=logging.WARNING, outcome="refused")  # fmt: skip
        return Response("Forbidden\n", status=403, mimetype="text/plain")
    sid = request.form.get("MessageSid") or request.form.get("SmsSid") or ""
    number = request.form.get("From", "")
    try:
        result = inbound.receive_reply(
            db.session, sid, number, request.form.get("Body"), utc_now(),
            inbound.reply_settings(current_app.config),
        )  # fmt: skip
        db.session.commit()
    except inbound.InvalidInboundMessage:
        db.session.rollback()
        log_event(log, EVENT, "Inbound SMS without its MessageSid or From number",
                  outcome="unrecognised", masked_number=mask_number(number[:24]))  # fmt: skip
        return twiml(None)
    except IntegrityError:
        # The same MessageSid committed by a retry racing this one: give its answer.
        db.session.rollback()
        return twiml(_answer_already_given(sid))
    _log_reply(sid, number, result)
    return twiml(result.answer)


def twiml(answer: str | None) -> Response:
    """The TwiML answer: one message, or none (an empty <Response/>)."""
    response = MessagingResponse()
    if answer:
        response.message(answer)
    return Response(str(response), mimetype="application/xml")


def _answer_already_given(sid: str) -> str | None:
    return db.session.scalar(
        select(InboundMessage.answer).where(InboundMessage.provider_sid == sid)
    )


def _log_reply(sid: str, number: str, result: inbound.ReplyResult) -> None:
    """One line a message: ids, outcome and flags; the number masked; never the text."""
    message = result.message
    log_event(
        log, EVENT, "Inbound SMS %s", message.outcome or message.ignored_reason or "recorded",
        outcome=message.outcome, inbound_message_id=message.id, provider_sid=sid,
        patient_id=message.patient_id, urgent=message.urgent, late=message.late,
        repeated=result.repeated, answered=result.answer is not None,
        ignored_reason=message.ignored_reason, masked_number=mask_number(number[:24]),
    )  # fmt: skip
