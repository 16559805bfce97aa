"""Contacts that are not texts: a call, a visit, a dose given, treatment confirmed.

A nurse records them so that a patient who never texts still counts for the
audit's indicators (webapp.models.follow_up: MONITORING_CONTACTS, DOSES_GIVEN,
CONFIRMATIONS). `record_contact` checks everything first and writes nothing
unless all of it is right; then it adds the contact, logs it on the patient by
id (the note as "recorded", never its words) and works out the patient's
figures and worklist again, so the worklist and the indicators count it at
once. A clinic dose goes through `regimens.record_dose_given`, which re-plans
the next dose. The caller commits.
"""

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from webapp.clock import to_uk, uk_today
from webapp.models.follow_up import CONFIRMATIONS, DOSES_GIVEN, Contact, ContactKind
from webapp.models.patients import Patient, Regimen
from webapp.models.staff import StaffMember
from webapp.patients import regimens as regimen_changes
from webapp.patients.audit import RECORDED, log_patient_change, patient_state
from webapp.patients.details import check_past_date
from webapp.patients.records import refresh_for
from webapp.reminders.medicines import MEDICINES, Route
from webapp.text_checks import text_problem

MAX_NOTE_LENGTH = 500
# How far before the fracture (or enrolment, if earlier) a contact may be dated: a year
# covers the last 6-monthly injection or yearly infusion given before the patient was
# referred. Earlier than that is far more likely a mistyped year.
EARLIEST_MARGIN = timedelta(days=365)
ABOUT_A_MEDICINE = DOSES_GIVEN | CONFIRMATIONS
INJECTED = (Route.INJECTION, Route.INFUSION)
WHEN = "of the contact"


class ContactError(ValueError):
    """What is wrong with a contact, by field name (kind, regimen_id, happened_on, note)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def record_contact(
    session: Session, nurse: StaffMember | None, patient: Patient, kind: str,
    happened_on: date | None, note: str | None, regimen: Regimen | None, now: datetime,
    *, plan_days: int,
) -> Contact:
    """Record a contact with or about `patient`, or raise ContactError having written nothing."""
    kind, regimen, note = check_contact(patient, kind, happened_on, note, regimen, uk_today(now))
    if kind in DOSES_GIVEN and MEDICINES[regimen.medicine].in_clinic:
        contact = regimen_changes.record_dose_given(
            session, nurse, regimen, happened_on, now, plan_days=plan_days, kind=kind, note=note)
    else:
        contact = Contact(patient_id=patient.id, regimen_id=regimen.id if regimen else None,
                          kind=kind, happened_on=happened_on, note=note,
                          recorded_by_id=nurse.id if nurse else None, recorded_at=now)
        session.add(contact)
        session.flush()
        log_patient_change(session, nurse, "record-contact", patient, patient_state(patient),
                           now, extra={"contact": contact_state(contact)})  # fmt: skip
        refresh_for(session, patient, now)  # a clinic dose is refreshed by record_dose_given
    return contact


def contact_state(contact: Contact) -> dict:
    """What the audit log keeps of a contact: its kind, day and medicine; the note only as
    "recorded", since it may name someone."""
    state = {"contact_id": contact.id, "kind": contact.kind,
             "happened_on": contact.happened_on.isoformat(), "regimen_id": contact.regimen_id}
    if contact.note:
        state["note"] = RECORDED
    return state


def check_contact(
    patient: Patient, kind: str, happened_on: date | None, note: str | None,
    regimen: Regimen | None, today: date,
) -> tuple[ContactKind, Regimen | None, str | None]:
    """(kind, regimen or None, note or None) when the contact is right, else ContactError."""
    errors: dict[str, str] = {}
    chosen = _kind(kind, errors)
    regimen = _regimen(chosen, patient, regimen, errors)
    _day(patient, chosen, regimen, happened_on, today, errors)
    note = _note(note, errors)
    if errors:
        raise ContactError(errors)
    return chosen, regimen, note


def _kind(kind: str, errors: dict) -> ContactKind | None:
    try:
        return ContactKind(kind)
    except ValueError:
        errors["kind"] = "Select what kind of contact it was"
        return None


def _regimen(kind, patient: Patient, regimen: Regimen | None, errors: dict) -> Regimen | None:
    """The medicine a dose or a confirmation is about; None for a call or a visit."""
    if kind not in ABOUT_A_MEDICINE:
        return None
    if regimen is None or regimen not in patient.regimens:
        errors["regimen_id"] = "Select the medicine the contact was about"
        return None
    entry = MEDICINES.get(regimen.medicine)
    if kind in DOSES_GIVEN:
        if entry is None or not (entry.in_clinic or entry.route in INJECTED):
            name = entry.label if entry else regimen.medicine
            errors["regimen_id"] = (f"{name} is taken at home: record a dose given only for "
                                    "an injection or an infusion")  # fmt: skip
            return None
        if regimen.stopped_on is not None:
            errors["regimen_id"] = ("This medicine has been stopped: a dose cannot be recorded "
                                    "for it")  # fmt: skip
            return None
    return regimen


def _day(patient, kind, regimen, happened_on, today: date, errors: dict) -> None:
    problem = check_past_date(happened_on, WHEN, today, None)
    if problem is None:
        problem = _too_early(patient, happened_on) or _outside_regimen(kind, regimen, happened_on)
    if problem:
        errors["happened_on"] = problem


def _too_early(patient: Patient, happened_on: date) -> str | None:
    enrolled = to_uk(patient.created_at).date()
    fracture = patient.fracture_date
    start, what = (fracture, "fracture") if fracture and fracture < enrolled else (
        enrolled, "patient was enrolled")
    earliest = start - EARLIEST_MARGIN
    if happened_on < earliest:
        return (f"The date {WHEN} must be on or after {earliest:%-d %B %Y}, a year before the "
                f"{what}")  # fmt: skip
    return None


def _outside_regimen(kind, regimen: Regimen | None, happened_on: date) -> str | None:
    """A dose or confirmation must fall while the medicine was being taken."""
    if regimen is None:
        return None
    if kind in DOSES_GIVEN and happened_on < regimen.first_dose_date:
        return check_past_date(happened_on, WHEN, happened_on, regimen.first_dose_date)
    if regimen.stopped_on is not None and happened_on > regimen.stopped_on:
        return (f"The date {WHEN} must be on or before {regimen.stopped_on:%-d %B %Y}, when "
                "the medicine was stopped")  # fmt: skip
    return None


def _note(note: str | None, errors: dict) -> str | None:
    note = (note or "").strip()
    problem = text_problem(note, "The note", MAX_NOTE_LENGTH)
    if problem:
        errors["note"] = problem
    return note or None
