"""Delivery receipts: what a text's status may become, and what a refusal means for the patient.

Pure rules with `now` passed in, used by the status-callback route and by the
dispatch and sweep jobs. A message's status only moves forward (sending, then
sent, then a final status); a final status never changes. Each SmsMessage's
reminders follow its status. A refusal that is about the number itself
(invalid, not a mobile, unsubscribed…) stops texts to that number until a
nurse changes it; 21610 means the person replied STOP, so they are opted out.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change, snapshot
from webapp.models.patients import OptOutBy, Patient, PatientStatus
from webapp.models.reminders import FINAL_STATUSES, Reminder, ReminderStatus, SmsMessage
from webapp.reminders.planning import cancel_planned

UNSUBSCRIBED = 21610
# What stopping texts changes on a patient, as the audit log records it.
BLOCK_FIELDS = ("status", "opted_out_by", "opted_out_at", "sms_blocked_code", "sms_blocked_reason")
# Twilio error codes that are about the number, not the moment: texting it again
# will not work, so texts stop until a nurse changes the number. Worded for the nurse.
NUMBER_REFUSED = {
    21211: "Twilio says this is not a valid phone number (21211)",
    21408: "Twilio cannot text numbers in this region (21408)",
    21610: "The patient replied STOP to our texts, so Twilio will not send them more (21610)",
    21612: "Twilio says this number cannot receive texts from us (21612)",
    21614: "Twilio says this is not a mobile number (21614)",
    30004: "The number has blocked our texts (30004)",
    30005: "The network says this number does not exist or is switched off for good (30005)",
    30006: "The network says this is a landline or cannot take texts (30006)",
}

# Twilio's message statuses as ours. Anything Twilio has accepted but not yet
# delivered is "sent" for us; "canceled" only happens to texts that never went.
TWILIO_STATUSES = {
    "accepted": ReminderStatus.SENT,
    "scheduled": ReminderStatus.SENT,
    "queued": ReminderStatus.SENT,
    "sending": ReminderStatus.SENT,
    "sent": ReminderStatus.SENT,
    "delivered": ReminderStatus.DELIVERED,
    "read": ReminderStatus.DELIVERED,
    "undelivered": ReminderStatus.UNDELIVERED,
    "failed": ReminderStatus.FAILED,
    "canceled": ReminderStatus.FAILED,
}
# How far along a message is; a receipt only ever moves it further.
_PROGRESS = {
    ReminderStatus.SENDING: 0,
    ReminderStatus.NEEDS_CHECK: 0,
    ReminderStatus.SENT: 1,
    ReminderStatus.UNKNOWN: 1,
}
_FINAL_PROGRESS = 2
# Statuses a message's reminders have while they follow it (not expired or skipped).
_FOLLOWING = frozenset({ReminderStatus.SENDING, ReminderStatus.SENT, ReminderStatus.UNKNOWN,
                        ReminderStatus.NEEDS_CHECK})

_SID = re.compile(r"(SM|MM)[0-9a-fA-F]{32}")
_MESSAGE_ID = re.compile(r"[1-9][0-9]{0,17}")
_ERROR_CODE = re.compile(r"[0-9]{1,6}")
_NUMBER = re.compile(r"\+[1-9][0-9]{6,14}")


class ReceiptOutcome(StrEnum):
    """What applying a receipt did, for the log line."""

    APPLIED = "applied"
    NO_CHANGE = "no_change"  # a repeat, or older news than we have
    UNKNOWN_MESSAGE = "unknown_message"
    MISMATCH = "mismatch"  # names a message that has another SID or number


@dataclass(frozen=True)
class StatusReceipt:
    """A delivery report, checked: every field is well formed or absent."""

    provider_sid: str
    provider_status: str
    status: ReminderStatus
    message_id: int | None = None
    error_code: int | None = None
    to: str | None = None


@dataclass(frozen=True)
class ReceiptResult:
    outcome: ReceiptOutcome
    message: SmsMessage | None = None
    number_blocked: bool = False


def read_receipt(query: Mapping, form: Mapping) -> StatusReceipt | None:
    """A StatusReceipt from a callback's query string and form, or None if it is not one.

    Anything malformed (an unknown status, a SID or id of the wrong shape, a huge
    value) makes the whole callback unrecognised: it then changes nothing.
    """
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    provider_status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    message_id = query.get("message") or ""
    error_code = form.get("ErrorCode") or ""
    to = form.get("To") or ""
    if not _SID.fullmatch(sid) or provider_status not in TWILIO_STATUSES:
        return None
    if (message_id and not _MESSAGE_ID.fullmatch(message_id)) or (
        error_code and not _ERROR_CODE.fullmatch(error_code)
    ) or (to and not _NUMBER.fullmatch(to)):
        return None
    return StatusReceipt(
        provider_sid=sid, provider_status=provider_status,
        status=TWILIO_STATUSES[provider_status],
        message_id=int(message_id) if message_id else None,
        error_code=int(error_code) if error_code else None, to=to or None,
    )


def apply_receipt(session: Session, receipt: StatusReceipt, now: datetime) -> ReceiptResult:
    """Move the message (and its reminders) to the receipt's status if that is news.

    The message is found by our id from the callback URL (so a receipt matches a
    message whose SID was never recorded, after a crash), else by SID. Adds and
    flushes; the caller commits.
    """
    message = _find_message(session, receipt)
    if message is None:
        return ReceiptResult(ReceiptOutcome.UNKNOWN_MESSAGE)
    if _conflicts(session, message, receipt):
        return ReceiptResult(ReceiptOutcome.MISMATCH, message)
    learned_sid = message.provider_sid is None
    if learned_sid:
        message.provider_sid = receipt.provider_sid
        message.sent_at = message.sent_at or now
    if progress(receipt.status) <= progress(message.status):
        session.flush()
        return ReceiptResult(ReceiptOutcome.APPLIED if learned_sid else ReceiptOutcome.NO_CHANGE,
                             message)
    _move(message, receipt, now)
    blocked = False
    if receipt.status in (ReminderStatus.FAILED, ReminderStatus.UNDELIVERED):
        blocked = _stop_texts_and_record(session, message.patient, message.to_number,
                                         receipt.error_code, now)
    session.flush()
    return ReceiptResult(ReceiptOutcome.APPLIED, message, number_blocked=blocked)


def progress(status: str) -> int:
    """How far along a status is: sending 0, sent 1, final 2."""
    if status in FINAL_STATUSES:
        return _FINAL_PROGRESS
    return _PROGRESS.get(status, 0)


def stop_texts_to_number(
    patient: Patient | None, number: str, code: int | None, now: datetime
) -> bool:
    """Stop texts to `number` when `code` is a refusal of the number itself.

    Only while it is still the patient's number (a nurse may have changed it since).
    21610 also opts the patient out, by SMS. Returns True if anything changed.
    The caller audits the change (dispatch does, as the callback route does here).
    """
    if patient is None or code not in NUMBER_REFUSED or patient.mobile != number:
        return False
    changed = False
    if patient.sms_blocked_code is None:
        patient.sms_blocked_code = code
        patient.sms_blocked_reason = NUMBER_REFUSED[code]
        patient.sms_blocked_at = now
        changed = True
    if code == UNSUBSCRIBED and patient.status in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
        patient.status = PatientStatus.OPTED_OUT
        patient.opted_out_by = OptOutBy.SMS
        patient.opted_out_at = now
        changed = True
    if changed:
        patient.updated_at = now
    return changed


def _stop_texts_and_record(
    session: Session, patient: Patient | None, number: str, code: int | None, now: datetime
) -> bool:
    """`stop_texts_to_number`, audited by the patient's id; an opt-out skips planned reminders."""
    if patient is None:
        return False
    before = snapshot(patient, BLOCK_FIELDS)
    if not stop_texts_to_number(patient, number, code, now):
        return False
    record_change(session, None, "patient.texts_stopped", patient, before,
                  snapshot(patient, BLOCK_FIELDS), now=now)
    if before["status"] != PatientStatus.OPTED_OUT and patient.status == PatientStatus.OPTED_OUT:
        cancel_planned(session, patient, now, "opted out by SMS")
    return True


def describe_error(code: int | None) -> str | None:
    """The nurse's words for a provider error code."""
    if code is None:
        return None
    return NUMBER_REFUSED.get(code, f"Twilio error {code}")


def mark_silent_messages_unknown(session: Session, now: datetime, after: timedelta) -> int:
    """Mark texts sent more than `after` ago with no final status as `unknown`, for the nurse.

    Their reminders follow. A late receipt can still move them to a final status.
    Returns how many messages were marked. For the sweep job; the caller commits.
    """
    silent = select(SmsMessage.id).where(
        SmsMessage.status == ReminderStatus.SENT, SmsMessage.sent_at < now - after
    )
    ids = list(session.scalars(silent))
    if not ids:
        return 0
    session.execute(
        update(Reminder)
        .where(Reminder.sms_message_id.in_(ids), Reminder.status.in_(_FOLLOWING))
        .values(status=ReminderStatus.UNKNOWN, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SmsMessage)
        .where(SmsMessage.id.in_(ids), SmsMessage.status == ReminderStatus.SENT)
        .values(status=ReminderStatus.UNKNOWN, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return len(ids)


def _find_message(session: Session, receipt: StatusReceipt) -> SmsMessage | None:
    """The message, locked until commit so two reports for it apply one after the other
    (PostgreSQL; SQLite lets one writer in at a time anyway)."""
    if receipt.message_id is not None:
        message = session.get(SmsMessage, receipt.message_id, with_for_update=True)
        if message is not None:
            return message
    return session.scalar(
        select(SmsMessage).where(SmsMessage.provider_sid == receipt.provider_sid)
        .with_for_update()
    )


def _conflicts(session: Session, message: SmsMessage, receipt: StatusReceipt) -> bool:
    """True when the receipt cannot be about this message."""
    if receipt.to is not None and receipt.to != message.to_number:
        return True
    if message.provider_sid is not None:
        return message.provider_sid != receipt.provider_sid
    # We never heard this message's SID: take the receipt's, unless another has it.
    return session.scalar(
        select(SmsMessage.id).where(SmsMessage.provider_sid == receipt.provider_sid)
    ) is not None


def _move(message: SmsMessage, receipt: StatusReceipt, now: datetime) -> None:
    message.status = receipt.status
    message.status_changed_at = now
    if receipt.status in (ReminderStatus.FAILED, ReminderStatus.UNDELIVERED):
        message.error_code = receipt.error_code
        message.error_message = describe_error(receipt.error_code)
    for reminder in message.reminders:
        if reminder.status in _FOLLOWING:
            reminder.status = receipt.status
            reminder.status_changed_at = now
