"""Every text, in and out, as CSV in time order: `flask sms export`.

One row a message: each reminder text sent (or kept in the offline outbox), each
text received, and each answer we sent to one. Columns: `time` (ISO 8601 with
the UK offset), `direction` (in/out), `nhs_number` (blank for a number that is
no patient's), `kind` (out: the reminder kinds the text carried, joined by "+",
or `answer`; in: `reply`), `outcome` (in only), `urgent` (yes/no), `status`
(Twilio's in lower case, `outbox` offline, `received` for in). No body and no
phone number is written. Written through webapp.reminders.export's atomic,
defused CSV writer.
"""

from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.csv_safe import write_csv_atomically
from webapp.models.patients import Patient
from webapp.models.reminders import Reminder, SmsMessage
from webapp.models.replies import InboundMessage, ReplyChannel
from webapp.reminders.export import uk_timestamp
from webapp.sms.outbox import OUTBOX_SID_PREFIX  # the offline outbox's texts have SIDs OUTBOX<id>

COLUMNS = ("time", "direction", "nhs_number", "kind", "outcome", "urgent", "status")


def sms_rows(session: Session, service_id: int | None = None) -> list[tuple]:
    """Every message in and out (of one service's patients, or all), oldest first."""
    rows = [*_texts_out(session, service_id), *_texts_in(session, service_id)]
    rows.sort(key=lambda row: (row[0], row[1]))  # a reply before its answer at the same time
    return [(uk_timestamp(at), *rest) for at, _order, *rest in rows]


def _texts_out(session: Session, service_id: int | None):
    sent_at = func.coalesce(SmsMessage.sent_at, SmsMessage.claimed_at)
    query = (
        select(SmsMessage.id, sent_at, Patient.nhs_number, SmsMessage.status,
               SmsMessage.provider_sid)
        .outerjoin(Patient, SmsMessage.patient_id == Patient.id)
    )  # fmt: skip
    if service_id is not None:
        query = query.where(Patient.fls_service_id == service_id)
    kinds = _kinds_by_message(session, service_id)
    for message_id, at, nhs, status, sid in session.execute(query):
        offline = (sid or "").startswith(OUTBOX_SID_PREFIX)
        kind = "+".join(kinds.get(message_id, []))
        yield (at, 0, "out", nhs, kind, None, False, "outbox" if offline else status.lower())


def _kinds_by_message(session: Session, service_id: int | None) -> dict[int, list[str]]:
    query = select(Reminder.sms_message_id, Reminder.kind).where(
        Reminder.sms_message_id.is_not(None))
    if service_id is not None:
        query = query.join(Patient, Reminder.patient_id == Patient.id).where(
            Patient.fls_service_id == service_id)
    kinds: dict[int, list[str]] = defaultdict(list)
    for message_id, kind in session.execute(query.order_by(Reminder.id)):
        if kind not in kinds[message_id]:
            kinds[message_id].append(kind)
    return kinds


def _texts_in(session: Session, service_id: int | None):
    query = (
        select(InboundMessage.received_at, Patient.nhs_number, InboundMessage.outcome,
               InboundMessage.urgent, InboundMessage.answer, InboundMessage.channel)
        .outerjoin(Patient, InboundMessage.patient_id == Patient.id)
    )  # fmt: skip
    if service_id is not None:
        query = query.where(Patient.fls_service_id == service_id)
    for at, nhs, outcome, urgent, answer, channel in session.execute(query):
        yield (at, 1, "in", nhs, "reply", outcome, urgent, "received")
        if answer:
            status = "outbox" if channel == ReplyChannel.OUTBOX else "sent"
            yield (at, 2, "out", nhs, "answer", None, False, status)


def write_sms_csv(session: Session, path: Path, service_id: int | None = None) -> int:
    """Write every message to `path` atomically; returns how many rows."""
    return write_csv_atomically(path, COLUMNS, sms_rows(session, service_id))
