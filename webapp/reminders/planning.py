"""Planning the reminder outbox: a `Reminder` row for every prompt in the coming days.

Rows have the natural key (regimen, due date, kind) and are written with
INSERT … ON CONFLICT, so planning twice, or in two processes at once, adds
nothing twice. Work is set-based: a batch of patients costs five queries
whatever its size, so `flask reminders plan` handles 100,000 patients.

Only active patients with consent (and a number the provider has not refused)
are planned for, and only their current regimens. A reminder skipped ahead of
time (the patient was paused, or the schedule changed) is planned again when
the patient is planned for again, at its new time; one already handed to a
dispatcher is never touched. Times: the patient's UK wall-clock reminder time,
kept inside the service's sending hours and the medicine's window, converted
with `webapp.clock.utc_from_uk` (docs/clinical/medicines.md, FOLLOW-UP and
BOOK-AHEAD, for when booking notes and follow-ups go).
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from webapp.clock import uk_today, utc_from_uk
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder, ReminderKind, ReminderStatus
from webapp.models.staff import FlsService
from webapp.reminders.follow_ups import PROMPT_KINDS, mark_no_response, plan_follow_ups
from webapp.reminders.medicines import Medicine, UnknownMedicine, medicine
from webapp.reminders.outbox_sql import (
    eligible_ids_query,
    needs_writing,
    patient_may_be_texted,
    regimen_is_current,
    upsert_reminders,
)
from webapp.reminders.schedule import check_in_dates, due_dates
from webapp.reminders.sending_times import SendingRules

__all__ = [
    "PlanSummary", "cancel_planned", "mark_no_response", "plan_follow_ups", "plan_for_patient",
    "plan_reminders",
]  # fmt: skip

log = logging.getLogger(__name__)

BATCH_PATIENTS = 2000


@dataclass
class PlanSummary:
    """What a planning run did, for the command's output and its log line.

    Counted as written: with another planner running at once, some rows counted
    here may have been written by the other one first (the rows stay right).
    """

    patients: int = 0
    regimens: int = 0
    planned: int = 0  # new reminders, welcomes included
    replanned: int = 0  # skipped or moved ahead of time, planned again at their new time
    welcomes: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class _Batch:
    """Patient ids planned together: a contiguous run of eligible ids, or exactly these."""

    ids: list[int]
    exact: bool

    def covers(self, column):
        return column.in_(self.ids) if self.exact else column.between(self.ids[0], self.ids[-1])


def plan_reminders(
    session: Session, now: datetime, days_ahead: int, patient_ids: Iterable[int] | None = None
) -> PlanSummary:
    """Plan every eligible patient's reminders from now to `days_ahead` days ahead."""
    summary = PlanSummary()
    today = uk_today(now)
    for batch in _patient_batches(session, today, patient_ids):
        rows, welcomed = _regimen_rows(session, today, batch), _welcomed(session, batch)
        stored = _stored_ahead(session, batch, now)
        writing = []
        for row in _planned_rows(rows, welcomed, now, days_ahead, summary):
            found = stored.get((row["regimen_id"], row["due_on"], row["kind"]))
            if needs_writing(row, found):
                writing.append(row)
                summary.planned += found is None
                summary.replanned += found is not None
        upsert_reminders(session, writing, now)
        summary.patients += len(batch.ids)
    return summary


def plan_for_patient(
    session: Session, patient: Patient, now: datetime, days_ahead: int
) -> PlanSummary:
    """Plan one patient's reminders at once (after enrolment, resuming, a regimen change),
    the welcome included on enrolment, and skip planned ones the schedule no longer has."""
    session.flush()
    summary = plan_reminders(session, now, days_ahead, [patient.id])
    batch = _Batch([patient.id], exact=True)
    rows = _regimen_rows(session, uk_today(now), batch)
    scheduled = {
        (row["regimen_id"], row["due_on"], row["kind"])
        for row in _planned_rows(rows, {patient.id}, now, days_ahead, PlanSummary())
    }
    _skip_unscheduled(session, patient, scheduled, now, days_ahead)
    session.expire_all()
    return summary


def cancel_planned(session: Session, patient_or_regimen, now: datetime, reason: str) -> int:
    """Mark the still-planned reminders of a patient or a regimen `skipped`, with why
    (on pause, opt-out, discharge, stop). Returns how many."""
    column = Reminder.regimen_id if isinstance(patient_or_regimen, Regimen) else Reminder.patient_id
    session.flush()
    result = session.execute(
        update(Reminder)
        .where(column == patient_or_regimen.id, Reminder.status == ReminderStatus.PLANNED)
        .values(status=ReminderStatus.SKIPPED, skip_reason=reason[:60], status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return result.rowcount


def _patient_batches(
    session: Session, today: date, patient_ids: Iterable[int] | None
) -> Iterator[_Batch]:
    """Eligible patients, a batch at a time: keyset paging in id order, or the ids asked for."""
    if patient_ids is not None:
        wanted = sorted(set(patient_ids))
        for start in range(0, len(wanted), BATCH_PATIENTS):
            chunk = wanted[start : start + BATCH_PATIENTS]
            ids = list(session.scalars(eligible_ids_query(today).where(Patient.id.in_(chunk))))
            if ids:
                yield _Batch(ids, exact=True)
        return
    after = 0
    while True:
        query = eligible_ids_query(today).where(Patient.id > after).limit(BATCH_PATIENTS)
        ids = list(session.scalars(query))
        if not ids:
            return
        yield _Batch(ids, exact=False)
        after = ids[-1]


def _regimen_rows(session: Session, today: date, batch: _Batch):
    """The current regimens of these patients, with each patient's sending rules."""
    return session.execute(
        select(
            Regimen.id, Regimen.patient_id, Regimen.medicine, Regimen.first_dose_date,
            Regimen.end_date, Regimen.last_given_date, Regimen.daily_texts, Regimen.stopped_on,
            Patient.reminder_time, FlsService.sms_sending_starts, FlsService.sms_sending_ends,
        )
        .join(Patient, Patient.id == Regimen.patient_id)
        .join(FlsService, FlsService.id == Patient.fls_service_id)
        .where(patient_may_be_texted(), regimen_is_current(today), batch.covers(Patient.id))
        .order_by(Regimen.patient_id, Regimen.id)
    ).all()  # fmt: skip


def _welcomed(session: Session, batch: _Batch) -> set[int]:
    """Those of these patients who already have a welcome text (sent or not)."""
    return set(
        session.scalars(
            select(Reminder.patient_id).where(
                Reminder.kind == ReminderKind.WELCOME, batch.covers(Reminder.patient_id)
            )
        )
    )


def _stored_ahead(session: Session, batch: _Batch, now: datetime) -> dict:
    """These patients' reminders not yet due before `now`, by their natural key."""
    stored = session.execute(
        select(
            Reminder.regimen_id, Reminder.due_on, Reminder.kind, Reminder.status,
            Reminder.send_at, Reminder.sms_message_id,
        ).where(batch.covers(Reminder.patient_id), Reminder.send_at >= now)
    )  # fmt: skip
    return {(row.regimen_id, row.due_on, row.kind): row for row in stored}


def _planned_rows(rows, welcomed: set[int], now: datetime, days_ahead: int, summary):
    """Reminder rows (dicts) for these regimens: every prompt from now to the horizon,
    and a welcome for each patient who has none yet."""
    today = uk_today(now)
    end = today + timedelta(days=days_ahead)
    for row in rows:
        try:
            entry = medicine(row.medicine)
        except UnknownMedicine:
            log.warning("Regimen %s has an unknown medicine code", row.id,
                        extra={"regimen_id": row.id})  # fmt: skip
            continue
        summary.regimens += 1
        rules = SendingRules(row.reminder_time, row.sms_sending_starts, row.sms_sending_ends)
        if row.patient_id not in welcomed:
            welcomed.add(row.patient_id)
            summary.welcomes += 1
            yield _welcome_row(row, rules, now)
        for kind, due_on, send_at in _prompts(row, entry, rules, today, end, now):
            if send_at >= now:  # a time already gone today is not planned late
                yield _row(row, kind, due_on, send_at, now)


def _prompts(row, entry: Medicine, rules: SendingRules, today: date, end: date, now: datetime):
    """(kind, due date, send time) of each prompt of one regimen in the window."""
    if entry.in_clinic:
        ahead = timedelta(days=entry.book_ahead_days or 0)
        for due_on in due_dates(row, entry, today, end + ahead):
            booking = _booking_time(due_on, ahead, rules, today, now)
            if booking is not None and booking[0] <= end:
                yield ReminderKind.BOOK, due_on, booking[1]
            if due_on <= end:
                yield ReminderKind.CLINIC_DUE, due_on, rules.send_at(due_on)
    elif entry.is_daily:
        for due_on in check_in_dates(row, entry, today, end):
            yield ReminderKind.CHECK_IN, due_on, rules.send_at(due_on, entry)
    else:
        for due_on in due_dates(row, entry, today, end):
            yield ReminderKind.DOSE, due_on, rules.send_at(due_on, entry)


def _booking_time(due_on, ahead, rules, today, now) -> tuple[date, datetime] | None:
    """The booking note goes `ahead` of the due date; planned late (a new patient, a new
    last dose given), it goes at the next reminder time still before the due date."""
    day = max(due_on - ahead, today)
    while day < due_on:
        send_at = rules.send_at(day)
        if send_at >= now:
            return day, send_at
        day += timedelta(days=1)
    return None


def _welcome_row(row, rules: SendingRules, now: datetime) -> dict:
    send_at = rules.next_moment(now)
    return _row(row, ReminderKind.WELCOME, uk_today(send_at), send_at, now)


def _row(row, kind, due_on: date, send_at: datetime, now: datetime) -> dict:
    return {
        "patient_id": row.patient_id, "regimen_id": row.id, "kind": str(kind),
        "due_on": due_on, "send_at": send_at, "status": str(ReminderStatus.PLANNED),
        "status_changed_at": now, "created_at": now,
    }  # fmt: skip


def _skip_unscheduled(session, patient, keys, now: datetime, days_ahead: int) -> None:
    """Skip this patient's planned prompts that the current schedule no longer holds
    (a new last dose given, a changed end date), within the planning window."""
    horizon = utc_from_uk(uk_today(now) + timedelta(days=days_ahead + 1), time(0))
    planned = session.execute(
        select(Reminder.id, Reminder.regimen_id, Reminder.due_on, Reminder.kind).where(
            Reminder.patient_id == patient.id,
            Reminder.status == ReminderStatus.PLANNED,
            Reminder.kind.in_([*PROMPT_KINDS, ReminderKind.BOOK]),
            Reminder.send_at > now,
            Reminder.send_at < horizon,
        )
    ).all()
    stale = [item.id for item in planned if (item.regimen_id, item.due_on, item.kind) not in keys]
    if stale:
        session.execute(
            update(Reminder).where(Reminder.id.in_(stale), Reminder.status == "planned")
            .values(status=ReminderStatus.SKIPPED, skip_reason="schedule changed",
                    status_changed_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
