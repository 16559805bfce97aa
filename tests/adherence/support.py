"""Helpers for the rollup tests: rows written directly, and a counter of SQL statements."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import count as counter

from sqlalchemy import event

from webapp.adherence.facts import REASONS, Reason
from webapp.extensions import db
from webapp.models.follow_up import PatientMeasures, WorklistEntry

COMPUTED = datetime(2027, 3, 1, 6, 0)
_serials = counter(1)


def unique_nhs_number() -> str:
    """Ten digits no other test patient has (rows written directly are not checked)."""
    return f"7{next(_serials):09d}"


def add_measures(session, patient, **overrides) -> PatientMeasures:
    """A patient's rollup row as a refresh would leave it (nothing measured unless given)."""
    values = {
        "fls_service_id": patient.fls_service_id, "medicine": "alendronic_acid_weekly",
        "pdc_90": None, "pdc_180": None, "pdc_365": None, "days_covered_365": 0,
        "days_measured_365": 0, "persistent_12m": None, "prompts_asked": 0,
        "prompts_answered": 0, "kpi_9": "not_due", "kpi_10": "not_due", "kpi_11": "not_due",
        "computed_at": COMPUTED, **overrides,
    }  # fmt: skip
    row = PatientMeasures(patient_id=patient.id, **values)
    session.add(row)
    session.flush()
    return row


def add_entry(session, patient, reason: Reason, since: date, cause_key: str = "1",
              **overrides) -> WorklistEntry:  # fmt: skip
    """One worklist entry for `patient`, as a refresh would write it."""
    values = {"urgency": int(REASONS[reason].urgency), "detail": REASONS[reason].label,
              "computed_at": COMPUTED, **overrides}  # fmt: skip
    row = WorklistEntry(patient_id=patient.id, fls_service_id=patient.fls_service_id,
                        reason=str(reason), cause_key=cause_key, since=since, **values)
    session.add(row)
    session.flush()
    return row


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block, in order."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def bulk_patients(session, service, count: int, start: int = 0) -> list[int]:
    """`count` patients of `service`, each with a rollup and two worklist entries, inserted
    in a few many-row statements (cheap enough for a thousand); returns their ids. Their
    NHS numbers are only unique (`start` keeps batches apart), not valid."""
    from webapp.models.patients import Patient

    rows = [
        {"fls_service_id": service.id, "nhs_number": f"8{start + n:09d}",
         "first_name": "Bulk", "last_name": f"Patient{start + n:05d}",
         "date_of_birth": date(1950, 1, 1), "mobile": "+447700900001", "sms_consent": True,
         "reminder_time": datetime(2027, 1, 1, 8, 0).time(), "status": "active",
         "discreet": False, "is_example": True, "fracture_date": date(2027, 1 + n % 6, 3),
         "created_at": datetime(2027, 1 + n % 6, 10, 9, 0),
         "updated_at": datetime(2027, 1 + n % 6, 10, 9, 0)}
        for n in range(count)
    ]  # fmt: skip
    session.execute(Patient.__table__.insert(), rows)
    ids = list(session.scalars(
        Patient.__table__.select().with_only_columns(Patient.id)
        .where(Patient.fls_service_id == service.id).order_by(Patient.id)
    ))[-count:]  # fmt: skip
    session.execute(PatientMeasures.__table__.insert(), [
        {"patient_id": pid, "fls_service_id": service.id, "medicine": "alendronic_acid_weekly",
         "pdc_365": (pid % 10) / 10, "days_covered_365": 0, "days_measured_365": 0,
         "persistent_12m": pid % 3 == 0, "prompts_asked": 10, "prompts_answered": pid % 10,
         "kpi_9": "met", "kpi_10": "not_met", "kpi_11": "not_due", "computed_at": COMPUTED}
        for pid in ids
    ])  # fmt: skip
    session.execute(WorklistEntry.__table__.insert(), [
        {"patient_id": pid, "fls_service_id": service.id, "reason": str(reason),
         "urgency": int(REASONS[reason].urgency), "cause_key": "1", "detail": "Detail",
         "since": date(2027, 7, 1 + pid % 20), "computed_at": COMPUTED}
        for pid in ids for reason in (Reason.NO_REPLIES, Reason.CONTACT_DUE)
    ])  # fmt: skip
    session.flush()
    return ids
