"""Keeping the rollups fresh: each patient's `patient_measures` row and `worklist_entry` rows,
and their services' `service_measures` (webapp.adherence.overview_rollup).

`refresh_patients` loads the facts of some patients (webapp.adherence.loading),
runs the pure measures (`summarise`) and writes what they return, in a fixed
number of statements: the pages then read these rows, never the dose rows.
The scheduled job calls `refresh_recent` every few minutes (patients whose rows
changed lately) and `refresh_all` overnight and when the scheduler starts, since
time passing alone moves a dose into "overdue" or an audit point into "due".

Two refreshes of one patient may overlap (the job and a reply): the rows are
written with INSERT … ON CONFLICT on their natural keys, so the later write
wins and neither fails; a refresh that read older rows is corrected by the next
run, since the change it missed is newer than the window it looks back over.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from webapp.adherence.facts import PatientSummary
from webapp.adherence.loading import load_facts
from webapp.adherence.overview_rollup import refresh_service_measures
from webapp.adherence.summary import stored_months, summarise
from webapp.clock import uk_today
from webapp.models.follow_up import Contact, PatientMeasures, WorklistEntry
from webapp.models.patients import Patient
from webapp.models.reminders import Reminder, SmsMessage
from webapp.models.replies import InboundMessage

# The scheduled job runs every 5 minutes and looks back 15, so a late or failed run
# leaves nobody behind (webapp.reminders.jobs).
RECENT_LOOK_BACK = timedelta(minutes=15)
_MEASURES = ("medicine", "pdc_90", "pdc_180", "pdc_365", "days_covered_365",
             "days_measured_365", "persistent_12m", "prompts_asked", "prompts_answered",
             "kpi_9", "kpi_10", "kpi_11")  # fmt: skip
_ENTRY = ("fls_service_id", "urgency", "cause_key", "detail", "since", "computed_at")


def refresh_patients(session: Session, patient_ids: Sequence[int], now: datetime) -> int:
    """Work out these patients' measures and worklist afresh and store them; returns how
    many patients were refreshed. Flushes, never commits: the caller's transaction decides."""
    today = uk_today(now)
    facts = load_facts(session, patient_ids, today)
    if not facts:
        return 0
    services = {patient_id: service_id for patient_id, service_id in session.execute(
        select(Patient.id, Patient.fls_service_id).where(Patient.id.in_(list(facts))))}
    summaries = [summarise(facts[patient_id], today) for patient_id in sorted(facts)]
    _write_measures(session, summaries, services, now)
    _write_worklist(session, summaries, services, now)
    refresh_service_measures(session, list(services))
    session.flush()
    return len(summaries)


def _insert(session: Session, table):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _write_measures(session, summaries: list[PatientSummary], services, now) -> None:
    rows = [
        {"patient_id": summary.patient_id, "fls_service_id": services[summary.patient_id],
         "computed_at": now, "monthly_coverage": stored_months(summary.months),
         **{name: _plain(getattr(summary, name)) for name in _MEASURES}}
        for summary in summaries
    ]  # fmt: skip
    statement = _insert(session, PatientMeasures.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["patient_id"],
        set_={name: statement.excluded[name]
              for name in ("fls_service_id", "computed_at", "monthly_coverage", *_MEASURES)},
    )  # fmt: skip
    session.execute(statement, rows)


def _write_worklist(session, summaries: list[PatientSummary], services, now) -> None:
    """Delete the patients' entries and write the current ones (upserted: see the module)."""
    session.execute(
        delete(WorklistEntry)
        .where(WorklistEntry.patient_id.in_([summary.patient_id for summary in summaries]))
        .execution_options(synchronize_session=False)
    )
    rows = [
        {"patient_id": summary.patient_id, "fls_service_id": services[summary.patient_id],
         "reason": str(reason.reason), "urgency": int(reason.urgency),
         "cause_key": reason.cause_key, "detail": reason.detail, "since": reason.since,
         "computed_at": now}
        for summary in summaries for reason in summary.worklist
    ]  # fmt: skip
    if not rows:
        return
    statement = _insert(session, WorklistEntry.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["patient_id", "reason"],
        set_={name: statement.excluded[name] for name in _ENTRY},
    )
    session.execute(statement, rows)


def _plain(value):
    """Enum members as their stored text; anything else as it is."""
    return value.value if hasattr(value, "value") else value


def refresh_all(sessions: Session | sessionmaker, now: datetime, batch_size: int = 500) -> int:
    """Refresh every patient of every service, `batch_size` at a time; returns how many.

    Commits after each batch: a full pass over ten thousand patients takes a
    while, and one long transaction would hold its row locks and old row
    versions all that time; each batch is whole on its own, and a pass stopped
    half way leaves the rest as fresh as the last pass made them. `sessions` is
    a session (the job's) or a sessionmaker, whose session is closed at the end.
    """
    session = sessions() if isinstance(sessions, sessionmaker) else sessions
    done, after = 0, 0
    try:
        while True:
            batch = session.scalars(
                select(Patient.id).where(Patient.id > after).order_by(Patient.id)
                .limit(batch_size)
            ).all()  # fmt: skip
            if not batch:
                return done
            done += refresh_patients(session, batch, now)
            session.commit()
            after = batch[-1]
    finally:
        if session is not sessions:
            session.close()


def recently_changed(session: Session, since: datetime) -> list[int]:
    """Patients with a row changed at or after `since`: their record or a regimen (both move
    `updated_at`), a reminder or a text changing status, a reply received or read, a contact
    recorded, or no measures yet."""
    changed = union(
        select(Patient.id.label("patient_id")).where(Patient.updated_at >= since),
        select(Reminder.patient_id).where(Reminder.status_changed_at >= since),
        select(SmsMessage.patient_id).where(SmsMessage.status_changed_at >= since,
                                            SmsMessage.patient_id.is_not(None)),
        select(InboundMessage.patient_id).where(InboundMessage.patient_id.is_not(None),
                                                (InboundMessage.received_at >= since)
                                                | (InboundMessage.read_at >= since)),
        select(Contact.patient_id).where(Contact.recorded_at >= since),
        select(Patient.id).where(~Patient.id.in_(select(PatientMeasures.patient_id))),
    ).subquery()  # fmt: skip
    return list(session.scalars(select(changed.c.patient_id).order_by(changed.c.patient_id)))


def refresh_recent(session: Session, now: datetime, looking_back: timedelta,
                   batch_size: int = 500) -> int:  # fmt: skip
    """Refresh the patients with a change in the last `looking_back`; returns how many.

    The job looks back over more than its interval, so a run that was late or
    failed leaves nobody behind; a patient refreshed twice costs only time.
    Committed a batch at a time, as `refresh_all` is.
    """
    patient_ids = recently_changed(session, now - looking_back)
    for start in range(0, len(patient_ids), batch_size):
        refresh_patients(session, patient_ids[start:start + batch_size], now)
        session.commit()
    return len(patient_ids)
