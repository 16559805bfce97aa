"""The nurse marks worklist rows handled, with a short note.

A mark covers one cause (patient, reason, cause_key): the row leaves the
worklist at once, and comes back when the cause happens again with a new key.
Marking the same cause twice (a double click, a second tab) keeps the first
mark. The note is kept on the patient's timeline; the audit log names the
patient by id with the reasons, and says only that a note was recorded, since
a note may name someone.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change
from webapp.adherence.facts import Reason
from webapp.models.follow_up import WorklistHandled
from webapp.models.patients import Patient
from webapp.models.staff import StaffMember
from webapp.patients.audit import RECORDED
from webapp.patients.queries import nurse_service_id
from webapp.text_checks import text_problem

LONGEST_NOTE = 500
LONGEST_CAUSE_KEY = 80


class HandlingError(ValueError):
    """A mark that cannot be kept; the message says what to do."""


def note_problem(note: str | None) -> str | None:
    """A message for the nurse when the note cannot be kept, else None."""
    if not (note or "").strip():
        return "Enter a note saying what you did"
    return text_problem(note.strip(), "The note", LONGEST_NOTE)


def mark_handled(
    session: Session, nurse: StaffMember, patient: Patient, reasons: Sequence[tuple[str, str]],
    note: str, now: datetime,
) -> None:
    """Record that `nurse` handled these (reason, cause_key) causes of `patient`, with a note.

    Raises HandlingError for a missing or unsuitable note, no reason, an unknown
    reason, or a patient outside the nurse's service. Adds and flushes; the
    caller commits.
    """
    problem = note_problem(note)
    if problem is not None:
        raise HandlingError(problem)
    if nurse_service_id(nurse) is None or nurse_service_id(nurse) != patient.fls_service_id:
        raise HandlingError("Only a nurse of the patient's service can mark their rows handled")
    causes = _checked_causes(reasons)
    rows = [{"patient_id": patient.id, "reason": reason, "cause_key": cause_key,
             "note": note.strip(), "handled_by_id": nurse.id, "handled_at": now}
            for reason, cause_key in causes]  # fmt: skip
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(WorklistHandled.__table__).on_conflict_do_nothing(
            index_elements=["patient_id", "reason", "cause_key"]),
        rows,
    )  # fmt: skip
    record_change(session, nurse, "worklist-handled", patient, None,
                  {"reasons": [{"reason": reason, "cause_key": key} for reason, key in causes],
                   "note": RECORDED}, now=now)  # fmt: skip


def _checked_causes(reasons: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The causes once each, in the order given; HandlingError if any cannot be a cause."""
    known = {str(reason) for reason in Reason}
    causes = list(dict.fromkeys((str(reason), str(key)) for reason, key in reasons))
    if not causes:
        raise HandlingError("Choose at least one reason you handled")
    for reason, cause_key in causes:
        if reason not in known:
            raise HandlingError("That reason is not one the worklist shows: reload the page")
        if not cause_key or text_problem(cause_key, "The cause", LONGEST_CAUSE_KEY):
            raise HandlingError("That row has changed since the page loaded: reload the page")
    return causes
