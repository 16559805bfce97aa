"""The outbox's set-based SQL: which patients are planned for, and writing many
reminders at once with INSERT … ON CONFLICT on the natural key (regimen, due date, kind).

SQLite and PostgreSQL both speak ON CONFLICT; SQLAlchemy spells it per dialect.
"""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.reminders import Reminder, ReminderStatus

NATURAL_KEY = ["regimen_id", "due_on", "kind"]


def patient_may_be_texted():
    """SQL for `Patient.may_be_texted`: active, consented, number not refused."""
    return and_(
        Patient.status == PatientStatus.ACTIVE,
        Patient.sms_consent.is_(True),
        Patient.sms_blocked_code.is_(None),
    )


def regimen_is_current(today: date):
    """SQL for `Regimen.is_current(today)`."""
    return and_(
        or_(Regimen.stopped_on.is_(None), Regimen.stopped_on > today),
        or_(Regimen.end_date.is_(None), Regimen.end_date >= today),
    )


def has_current_regimen(today: date):
    return exists().where(Regimen.patient_id == Patient.id, regimen_is_current(today))


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Reminder.__table__)


def upsert_reminders(session: Session, rows: Sequence[dict], now: datetime) -> None:
    """Write planned reminders in one many-row statement.

    A row that already exists is left alone, unless it is still ahead of time
    (its old and new send times both after `now`, no message yet) and either
    skipped or planned for another time: then it is planned again at the new
    time. So resuming a paused patient brings their reminders back, a changed
    reminder time moves them, and a row a dispatcher holds is never touched.
    No RETURNING: with it SQLite would write one row a statement.
    """
    if not rows:
        return
    table = Reminder.__table__
    statement = _insert(session)
    new = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=NATURAL_KEY,
        set_={"status": ReminderStatus.PLANNED, "skip_reason": None,
              "send_at": new.send_at, "status_changed_at": new.status_changed_at},
        where=and_(
            # Spelled with OR: an expanding IN cannot go in a many-row statement.
            or_(table.c.status == ReminderStatus.PLANNED, table.c.status == ReminderStatus.SKIPPED),
            table.c.sms_message_id.is_(None),
            table.c.send_at > now,
            new.send_at > now,
            or_(table.c.status == ReminderStatus.SKIPPED, table.c.send_at != new.send_at),
        ),
    )  # fmt: skip
    session.execute(statement, list(rows))


def needs_writing(row: dict, existing) -> bool:
    """Whether `upsert_reminders` would change anything for `row`, given the stored row
    with its key (None if there is none): so a run sends only new or changed rows."""
    if existing is None:
        return True
    if existing.sms_message_id is not None:
        return False
    if existing.status == ReminderStatus.SKIPPED:
        return True
    return existing.status == ReminderStatus.PLANNED and existing.send_at != row["send_at"]


def insert_new_reminders(session: Session, rows: Sequence[dict]) -> int:
    """Write reminders whose key is not taken yet (a taken key is left alone); returns
    how many rows were offered, which the caller has already checked are new."""
    if not rows:
        return 0
    statement = _insert(session).on_conflict_do_nothing(index_elements=NATURAL_KEY)
    session.execute(statement, list(rows))
    return len(rows)


def eligible_ids_query(today: date):
    """Ids of patients who may be texted and have a current regimen, in id order."""
    return (
        select(Patient.id)
        .where(patient_may_be_texted(), has_current_regimen(today))
        .order_by(Patient.id)
    )
