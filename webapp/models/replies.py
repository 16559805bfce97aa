"""Texts patients send us (replies to reminders), and the answers we send back.

One row a message Twilio told us about, keyed by its MessageSid: the UNIQUE
constraint makes Twilio's retries of the same webhook one record, however
they race. A message from a number that is no patient's keeps neither the body
nor the full number (only its masked form). Our answer, sent back in the same
webhook response (TwiML) or shown in the offline outbox, is kept on the same
row, so the conversation reads in order without a second kind of outbound text.
Times are naive UTC.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base
from webapp.models.patients import Patient
from webapp.models.reminders import SmsMessage


class ReplyChannel(StrEnum):
    """How a message reached us: Twilio's webhook, or a nurse typing it in the outbox."""

    TWILIO = "twilio"
    OUTBOX = "outbox"


class InboundMessage(Base):
    """One text received, what it was understood to mean, and what we answered."""

    __tablename__ = "inbound_message"
    __table_args__ = (
        Index("ix_inbound_message_from_number_received_at", "from_number", "received_at"),
        Index("ix_inbound_message_patient_id_received_at", "patient_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(40), unique=True)  # Twilio's MessageSid
    channel: Mapped[str] = mapped_column(String(8), default=ReplyChannel.TWILIO)
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE")
    )
    # E.164 for a patient's number; only the masked form for anyone else's.
    from_number: Mapped[str] = mapped_column(String(24))
    body: Mapped[str | None] = mapped_column(Text)  # never kept for an unknown number
    outcome: Mapped[str | None] = mapped_column(String(12))  # a ReplyOutcome; None: ignored
    urgent: Mapped[bool] = mapped_column(default=False)
    late: Mapped[bool] = mapped_column(default=False)  # answered a dose after its follow-up
    # Why nothing was applied: an automatic reply, a burst, no reminder open…
    ignored_reason: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: still for the nurse
    # The text it answered (the most recent reminder text awaiting an answer), if any.
    answered_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_message.id", ondelete="SET NULL")
    )
    answer: Mapped[str | None] = mapped_column(Text)  # what we sent back; None: no answer

    patient: Mapped[Patient | None] = relationship()
    answered_message: Mapped[SmsMessage | None] = relationship()

    def __repr__(self) -> str:  # never the number or the body
        return f"<InboundMessage {self.id} {self.outcome}>"
