"""One follow-up to a prompt with no reply, then "no response".

A dose, check-in or clinic-due prompt that was sent and has no reply gets one
follow-up, the catalogue's `follow_up_days` after its due date at the
patient's time (weekly tablets the next morning, as their leaflets' missed-dose
advice is "the morning after you remember"; clinic doses 7 days on:
docs/clinical/medicines.md, FOLLOW-UP). The follow-up has the prompt's due date
and the kind `follow_up`, so each prompt has at most one. A day after a
follow-up was sent with still no reply, the prompt's outcome becomes
`no_response`. A follow-up still planned when its prompt is answered, or when
the nurse records a clinic dose as given, is skipped.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

from webapp.clock import uk_today
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder, ReminderKind, ReminderStatus
from webapp.models.staff import FlsService
from webapp.reminders.medicines import MEDICINES
from webapp.reminders.outbox_sql import (
    insert_new_reminders,
    patient_may_be_texted,
    regimen_is_current,
)
from webapp.reminders.sending_times import SendingRules

PROMPT_KINDS = (ReminderKind.DOSE, ReminderKind.CHECK_IN, ReminderKind.CLINIC_DUE)
# Prompts the provider accepted: the patient had the chance to reply.
_REACHED = (ReminderStatus.SENT, ReminderStatus.DELIVERED)
# How long a patient has to answer the follow-up before the dose counts as no response.
NO_RESPONSE_AFTER = timedelta(hours=24)
NO_RESPONSE = "no_response"
_LONGEST_FOLLOW_UP = max(entry.follow_up_days or 0 for entry in MEDICINES.values())


@dataclass
class FollowUpSummary:
    """What a follow-up run did."""

    follow_ups: int = 0  # follow-ups planned
    answered: int = 0  # planned follow-ups skipped because the prompt was answered
    no_response: int = 0  # prompts now counted as no response

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def plan_follow_ups(session: Session, now: datetime) -> FollowUpSummary:
    """Plan the follow-ups now due to be planned, skip answered ones, mark no responses."""
    summary = FollowUpSummary()
    summary.follow_ups = insert_new_reminders(session, list(_follow_up_rows(session, now)))
    summary.answered = _skip_answered(session, now) + _skip_given_in_clinic(session, now)
    summary.no_response = mark_no_response(session, now)
    return summary


def _follow_up_rows(session: Session, now: datetime):
    today = uk_today(now)
    follow_up = aliased(Reminder)
    prompts = session.execute(
        select(
            Reminder.patient_id, Reminder.regimen_id, Reminder.due_on, Regimen.medicine,
            Regimen.last_given_date, Patient.reminder_time, FlsService.sms_sending_starts,
            FlsService.sms_sending_ends,
        )
        .join(Regimen, Regimen.id == Reminder.regimen_id)
        .join(Patient, Patient.id == Reminder.patient_id)
        .join(FlsService, FlsService.id == Patient.fls_service_id)
        .where(
            Reminder.kind.in_(PROMPT_KINDS), Reminder.status.in_(_REACHED),
            Reminder.outcome.is_(None),
            Reminder.due_on >= today - timedelta(days=_LONGEST_FOLLOW_UP),
            patient_may_be_texted(), regimen_is_current(today),
            ~exists().where(
                follow_up.regimen_id == Reminder.regimen_id, follow_up.due_on == Reminder.due_on,
                follow_up.kind == ReminderKind.FOLLOW_UP,
            ),
        )
    )  # fmt: skip
    for prompt in prompts:
        entry = MEDICINES.get(prompt.medicine)
        if entry is None or entry.follow_up_days is None:
            continue
        day = prompt.due_on + timedelta(days=entry.follow_up_days)
        if day < today or _given_in_clinic(entry, prompt.last_given_date, prompt.due_on):
            continue  # too late to be of use, or the nurse has recorded the dose given
        rules = SendingRules(prompt.reminder_time, prompt.sms_sending_starts,
                             prompt.sms_sending_ends)  # fmt: skip
        yield {
            "patient_id": prompt.patient_id, "regimen_id": prompt.regimen_id,
            "kind": str(ReminderKind.FOLLOW_UP), "due_on": prompt.due_on,
            "send_at": rules.send_at(day, entry), "status": str(ReminderStatus.PLANNED),
            "status_changed_at": now, "created_at": now,
        }  # fmt: skip


def _given_in_clinic(entry, last_given: date | None, due_on: date) -> bool:
    """Whether the nurse has recorded a clinic dose given for the one due on `due_on`: on
    or after the day its booking note went (doses may be given early)."""
    if not entry.in_clinic or last_given is None:
        return False
    return last_given >= due_on - timedelta(days=entry.book_ahead_days or 0)


def _skip_given_in_clinic(session: Session, now: datetime) -> int:
    """Skip planned follow-ups to clinic doses the nurse has since recorded as given."""
    planned = session.execute(
        select(Reminder.id, Reminder.due_on, Regimen.medicine, Regimen.last_given_date)
        .join(Regimen, Regimen.id == Reminder.regimen_id)
        .where(
            Reminder.kind == ReminderKind.FOLLOW_UP, Reminder.status == ReminderStatus.PLANNED,
            Regimen.last_given_date.is_not(None),
        )
    )  # fmt: skip
    given = [
        row.id for row in planned
        if row.medicine in MEDICINES
        and _given_in_clinic(MEDICINES[row.medicine], row.last_given_date, row.due_on)
    ]  # fmt: skip
    if not given:
        return 0
    session.execute(
        update(Reminder)
        .where(Reminder.id.in_(given), Reminder.status == ReminderStatus.PLANNED)
        .values(status=ReminderStatus.SKIPPED, skip_reason="given in clinic", status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    return len(given)


def _answered_prompt(follow_up):
    prompt = aliased(Reminder)
    return exists().where(
        prompt.regimen_id == follow_up.regimen_id,
        prompt.due_on == follow_up.due_on,
        prompt.kind.in_(PROMPT_KINDS),
        prompt.outcome.is_not(None),
    )


def _skip_answered(session: Session, now: datetime) -> int:
    """Skip planned follow-ups whose prompt has an outcome by now (a reply, say)."""
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.status == ReminderStatus.PLANNED,
            _answered_prompt(Reminder),
        )
        .values(status=ReminderStatus.SKIPPED, skip_reason="answered", status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def mark_no_response(session: Session, now: datetime) -> int:
    """Count as `no_response` each prompt still unanswered a day after its follow-up went."""
    follow_up = aliased(Reminder)
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.kind.in_(PROMPT_KINDS),
            Reminder.outcome.is_(None),
            exists().where(
                follow_up.regimen_id == Reminder.regimen_id,
                follow_up.due_on == Reminder.due_on,
                follow_up.kind == ReminderKind.FOLLOW_UP,
                follow_up.status.in_([*_REACHED, ReminderStatus.UNKNOWN]),
                follow_up.send_at <= now - NO_RESPONSE_AFTER,
            ),
        )
        .values(outcome=NO_RESPONSE)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
