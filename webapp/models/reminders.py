"""The SMS outbox: reminders to send, and the texts that carry them.

A `Reminder` is one planned prompt about one dose (or the welcome), with the
natural key (regimen, due date, kind), so planning twice is harmless. Reminders
due to one patient at the same moment go as one `SmsMessage`; the message holds
what the provider knows (its SID, delivery status, error code), and each of its
reminders follows that status. Times are naive UTC.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base
from webapp.models.patients import Patient, Regimen


class ReminderKind(StrEnum):
    WELCOME = "welcome"  # on enrolment: who is texting, what to expect, how to stop
    DOSE = "dose"  # a tablet at home, on the due day at the chosen time
    CHECK_IN = "check_in"  # daily medicines: "did you take it every day this week?"
    BOOK = "book"  # an injection or infusion in clinic: book it, ahead of the due date
    CLINIC_DUE = "clinic_due"  # on the due date: reply when it is done
    FOLLOW_UP = "follow_up"  # one more prompt when a dose had no reply
    LATER = "later"  # the one extra prompt a patient asked for by replying LATER


class ReminderStatus(StrEnum):
    PLANNED = "planned"
    SENDING = "sending"  # claimed by a dispatcher; the provider has not answered yet
    SENT = "sent"  # accepted by the provider, with its SID
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    EXPIRED = "expired"  # too late to send: nobody gets a 09:00 reminder at 23:00
    SKIPPED = "skipped"  # not sent, and why is in `skip_reason`
    UNKNOWN = "unknown"  # no final status from the provider after a few days
    NEEDS_CHECK = "needs_check"  # the send may or may not have happened: a nurse checks
    # A message only (its reminders stay `sending`): the provider asked us to try
    # again later (429, 5xx, a timeout); sent again at `next_attempt_at`.
    RETRY = "retry"


# Statuses a message never leaves once it has them.
FINAL_STATUSES = frozenset(
    {
        ReminderStatus.DELIVERED,
        ReminderStatus.UNDELIVERED,
        ReminderStatus.FAILED,
        ReminderStatus.EXPIRED,
        ReminderStatus.SKIPPED,
    }
)


class Reminder(Base):
    """One planned text about one dose of one regimen (the outbox row)."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("regimen_id", "due_on", "kind"),
        Index("ix_reminder_status_send_at", "status", "send_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    regimen_id: Mapped[int] = mapped_column(ForeignKey("regimen.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    due_on: Mapped[date] = mapped_column(Date)  # the dose's date (the week's, for a check-in)
    send_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, from the UK wall-clock time
    status: Mapped[str] = mapped_column(String(12), default=ReminderStatus.PLANNED)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime)
    skip_reason: Mapped[str | None] = mapped_column(String(60))
    sms_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_message.id", ondelete="SET NULL"), index=True
    )
    # The patient's answer once replies exist (taken, missed, no_response…).
    outcome: Mapped[str | None] = mapped_column(String(20))
    # The reply that gave the outcome, and whether it came after the follow-up or the next day.
    reply_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_message.id", ondelete="SET NULL")
    )
    late: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime)

    patient: Mapped[Patient] = relationship()
    regimen: Mapped[Regimen] = relationship()
    sms_message: Mapped["SmsMessage | None"] = relationship(back_populates="reminders")

    def __repr__(self) -> str:
        return f"<Reminder {self.id} {self.kind} {self.due_on} {self.status}>"


class SmsMessage(Base):
    """One text sent (or being sent) to a patient, carrying one or more reminders.

    Recorded as `sending` with `claimed_at` before the provider is called, and as
    `sent` with the provider's SID after: a process killed in between leaves a
    `sending` row for the sweep to reconcile, never a blind resend.
    """

    __tablename__ = "sms_message"
    __table_args__ = (
        Index("ix_sms_message_status_claimed_at", "status", "claimed_at"),
        # The "same text to the same number lately" check reads by number and time.
        Index("ix_sms_message_to_number_claimed_at", "to_number", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    to_number: Mapped[str] = mapped_column(String(16))  # E.164
    body: Mapped[str] = mapped_column(Text)
    segments: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default=ReminderStatus.SENDING)
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    provider_sid: Mapped[str | None] = mapped_column(String(40), unique=True)
    error_code: Mapped[int | None]
    error_message: Mapped[str | None] = mapped_column(String(200))

    patient: Mapped[Patient | None] = relationship()
    reminders: Mapped[list[Reminder]] = relationship(back_populates="sms_message")

    def __repr__(self) -> str:
        return f"<SmsMessage {self.id} {self.status}>"
