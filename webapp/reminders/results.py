"""Recording what the SMS provider answered, and reconciling texts whose answer was lost.

Every change here is conditional on the status it is read in (`sending`), so a
status callback that arrived first, or a second process doing the same work,
is never overwritten: a final status never moves back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change, snapshot
from webapp.models.patients import Patient
from webapp.models.reminders import Reminder, ReminderStatus, SmsMessage
from webapp.reminders.claiming import ClaimedText
from webapp.sms.receipts import stop_texts_to_number

SENDING = ReminderStatus.SENDING
# The provider may have taken the text but its answer was lost (a read timeout): the
# text stays `sending`, with the error, until reconciliation asks the provider.
UNANSWERED = "unanswered"
BLOCK_FIELDS = ("status", "opted_out_by", "opted_out_at", "sms_blocked_code", "sms_blocked_reason")
_reminders = Reminder.__table__
_messages = SmsMessage.__table__


@dataclass(frozen=True)
class SendOutcome:
    """What happened to one claimed text: sent, retry, failed; unanswered or unknown
    (both left `sending` for reconciliation)."""

    text: ClaimedText
    status: str
    at: datetime
    provider_sid: str | None = None
    error_code: int | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class RetryDelays:
    """Exponential backoff: first, doubled each attempt, never longer than longest."""

    first: timedelta
    longest: timedelta

    def after(self, attempt: int) -> timedelta:
        return min(self.first * 2 ** max(attempt - 1, 0), self.longest)


def record_outcomes(session: Session, outcomes: list[SendOutcome], delays: RetryDelays) -> None:
    """Write each text's outcome, and its reminders', in the caller's transaction."""
    by_status: dict[str, list[SendOutcome]] = {}
    for outcome in outcomes:
        by_status.setdefault(outcome.status, []).append(outcome)
    _record_sent(session, by_status.get(ReminderStatus.SENT, []))
    _record_retry(session, by_status.get(ReminderStatus.RETRY, []), delays)
    _record_failed(session, by_status.get(ReminderStatus.FAILED, []))
    _record_unanswered(session, by_status.get(UNANSWERED, []))


def _record_sent(session, outcomes) -> None:
    if not outcomes:
        return
    params = [{"b_id": o.text.message_id, "b_sid": o.provider_sid, "b_at": o.at} for o in outcomes]
    session.execute(
        update(_messages)
        .where(_messages.c.id == bindparam("b_id"), _messages.c.provider_sid.is_(None))
        .values(provider_sid=bindparam("b_sid"), sent_at=bindparam("b_at")),
        params,
    )
    session.execute(
        update(_messages)
        .where(_messages.c.id == bindparam("b_id"), _messages.c.status == SENDING)
        .values(status=ReminderStatus.SENT, status_changed_at=bindparam("b_at")),
        params,
    )
    _move_reminders(session, [o.text.message_id for o in outcomes], ReminderStatus.SENT,
                    outcomes[-1].at)  # fmt: skip


def _record_retry(session, outcomes, delays: RetryDelays) -> None:
    """Back to waiting, with the error and the time of the next attempt: nothing is lost."""
    if not outcomes:
        return
    session.execute(
        update(_messages)
        .where(_messages.c.id == bindparam("b_id"), _messages.c.status == SENDING)
        .values(status=ReminderStatus.RETRY, next_attempt_at=bindparam("b_next"),
                error_code=bindparam("b_code"), error_message=bindparam("b_error"),
                status_changed_at=bindparam("b_at")),
        [{"b_id": o.text.message_id, "b_next": o.at + delays.after(o.text.attempt),
          "b_code": o.error_code, "b_error": _short(o.error_message), "b_at": o.at}
         for o in outcomes],
    )  # fmt: skip


def _record_unanswered(session, outcomes) -> None:
    """Keep the error on a text that may have gone; it stays `sending` for reconciliation."""
    if not outcomes:
        return
    session.execute(
        update(_messages)
        .where(_messages.c.id == bindparam("b_id"), _messages.c.status == SENDING)
        .values(error_code=bindparam("b_code"), error_message=bindparam("b_error")),
        [{"b_id": o.text.message_id, "b_code": o.error_code, "b_error": _short(o.error_message)}
         for o in outcomes],
    )  # fmt: skip


def _record_failed(session, outcomes) -> None:
    """A permanent refusal: the text failed, and no more texts go to that number."""
    if not outcomes:
        return
    session.execute(
        update(_messages)
        .where(_messages.c.id == bindparam("b_id"), _messages.c.status == SENDING)
        .values(status=ReminderStatus.FAILED, error_code=bindparam("b_code"),
                error_message=bindparam("b_error"), status_changed_at=bindparam("b_at")),
        [{"b_id": o.text.message_id, "b_code": o.error_code, "b_error": _short(o.error_message),
          "b_at": o.at} for o in outcomes],
    )  # fmt: skip
    _move_reminders(session, [o.text.message_id for o in outcomes], ReminderStatus.FAILED,
                    outcomes[-1].at)  # fmt: skip
    for outcome in outcomes:
        stop_texts_to(session, outcome.text, outcome.error_code, outcome.at)


def stop_texts_to(session: Session, text: ClaimedText, code: int | None, now: datetime) -> None:
    """Stop texts to the number the provider refused, so the nurse sees why.

    The rule (which codes refuse a number; 21610 opts the patient out by SMS) is
    the receipts' own (webapp.sms.receipts). A change is audited by patient id.
    """
    patient = session.get(Patient, text.patient_id) if text.patient_id else None
    if patient is None:
        return
    before = snapshot(patient, BLOCK_FIELDS)
    if stop_texts_to_number(patient, text.to, code, now):
        record_change(session, None, "patient.texts_stopped", patient, before,
                      snapshot(patient, BLOCK_FIELDS), now=now)  # fmt: skip


def _move_reminders(session, message_ids, status, now) -> int:
    return session.execute(
        update(_reminders)
        .where(_reminders.c.sms_message_id.in_(message_ids), _reminders.c.status == SENDING)
        .values(status=status, status_changed_at=now)
    ).rowcount


def release_unsent(session: Session, texts: list[ClaimedText], now: datetime) -> None:
    """Give back texts claimed but never handed to the provider (the pass stopped first).

    A first attempt's reminders go back to `planned` and its message is removed;
    a retry goes back to waiting. Either way the next pass sends them once.
    """
    first = [t.message_id for t in texts if t.attempt == 1]
    again = [t.message_id for t in texts if t.attempt > 1]
    if first:
        session.execute(
            update(_reminders)
            .where(_reminders.c.sms_message_id.in_(first), _reminders.c.status == SENDING)
            .values(status=ReminderStatus.PLANNED, sms_message_id=None, status_changed_at=now)
        )
        session.execute(
            _messages.delete().where(_messages.c.id.in_(first), _messages.c.status == SENDING)
        )
    if again:
        session.execute(
            update(_messages)
            .where(_messages.c.id.in_(again), _messages.c.status == SENDING)
            .values(status=ReminderStatus.RETRY, next_attempt_at=now, status_changed_at=now)
        )


@dataclass(frozen=True)
class StuckText:
    """A text left `sending` past the grace period: its process died between claim and answer."""

    message_id: int
    to: str
    body: str
    claimed_at: datetime


def find_stuck(session: Session, now: datetime, stuck_after: timedelta,
               limit: int = 500) -> list[StuckText]:  # fmt: skip
    """Texts still `sending` `stuck_after` after their claim, oldest first."""
    rows = session.execute(
        select(SmsMessage.id, SmsMessage.to_number, SmsMessage.body, SmsMessage.claimed_at)
        .where(SmsMessage.status == SENDING, SmsMessage.claimed_at < now - stuck_after)
        .order_by(SmsMessage.claimed_at, SmsMessage.id)
        .limit(limit)
    ).all()
    return [StuckText(*row) for row in rows]


def record_reconciled(session: Session, stuck: StuckText, found_sid: str | None,
                      now: datetime) -> tuple[str | None, int]:  # fmt: skip
    """Sent (the provider has it, with this SID) or `needs_check`, and how many reminders.

    (None, 0) when another process settled it first.

    Conditional on the claim being unchanged, so two sweeps at once agree.
    """
    if found_sid and session.scalar(
        select(SmsMessage.id).where(SmsMessage.provider_sid == found_sid)
    ):
        found_sid = None  # that SID already belongs to another text: a nurse checks
    status = ReminderStatus.SENT if found_sid else ReminderStatus.NEEDS_CHECK
    values = {"status": status, "status_changed_at": now}
    if found_sid:
        values |= {"provider_sid": found_sid, "sent_at": stuck.claimed_at}
    else:
        values["error_message"] = "No answer from the SMS provider: check whether it arrived"
    changed = session.execute(
        update(_messages)
        .where(_messages.c.id == stuck.message_id, _messages.c.status == SENDING,
               _messages.c.claimed_at == stuck.claimed_at)
        .values(**values)
    ).rowcount  # fmt: skip
    if not changed:
        return None, 0
    return status, _move_reminders(session, [stuck.message_id], status, now)


def _short(text: str | None) -> str | None:
    return text[:200] if text else text
