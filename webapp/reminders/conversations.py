"""One patient's texts, in and out, in time order: what the nurse reads as a conversation.

Out: each reminder text (SmsMessage) and each answer we sent to a reply. In:
each reply. Two queries whatever the length (the newest `limit` of each).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models.patients import Patient
from webapp.models.reminders import SmsMessage
from webapp.models.replies import InboundMessage


@dataclass(frozen=True)
class ConversationEntry:
    """One text in a conversation: when, which way, what it said, and for a reply what it meant."""

    at: datetime  # naive UTC
    direction: str  # "in" or "out"
    text: str
    outcome: str | None = None
    urgent: bool = False
    status: str | None = None  # an outgoing reminder text's status


def conversation(session: Session, patient: Patient, limit: int = 100) -> list[ConversationEntry]:
    """The newest texts with `patient`, oldest first, an answer just after its reply."""
    sent_at = func.coalesce(SmsMessage.sent_at, SmsMessage.claimed_at)
    texts = session.execute(
        select(SmsMessage.body, SmsMessage.status, sent_at.label("at"))
        .where(SmsMessage.patient_id == patient.id).order_by(sent_at.desc()).limit(limit)
    ).all()  # fmt: skip
    replies = session.scalars(
        select(InboundMessage).where(InboundMessage.patient_id == patient.id)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc()).limit(limit)
    ).all()  # fmt: skip
    entries = [ConversationEntry(row.at, "out", row.body, status=row.status) for row in texts]
    for reply in replies:
        entries.append(ConversationEntry(reply.received_at, "in", reply.body or "",
                                         reply.outcome, reply.urgent))  # fmt: skip
        if reply.answer:
            entries.append(ConversationEntry(reply.received_at, "out", reply.answer,
                                             status="answer"))  # fmt: skip
    # Stable sort: a reply and its answer share a time and keep their order.
    return sorted(entries, key=lambda entry: entry.at)
