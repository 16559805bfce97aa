"""A patient's medicines: add one, stop one, switch to another, record a clinic dose given.

Stopping or switching keeps the regimen with its date and reason, so the
history stays whole. Every change is logged on the patient (by id, with the
medicine code and dates, never the free-text reason), and the planned reminders
and the patient's figures and worklist follow it at once. The caller commits.
"""

from datetime import date, datetime

from sqlalchemy.orm import Session

from webapp.models.follow_up import DOSES_GIVEN, Contact, ContactKind
from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.staff import StaffMember
from webapp.patients.audit import RECORDED, log_patient_change, patient_state, regimen_state
from webapp.patients.details import RegimenDetails
from webapp.patients.records import (
    PatientStatusError,
    cancel_for,
    new_regimen,
    plan_for,
    refresh_for,
)
from webapp.reminders.medicines import medicine


def add_regimen(
    session: Session, nurse: StaffMember | None, patient: Patient, details: RegimenDetails,
    now: datetime, *, plan_days: int,
) -> Regimen:
    """Start the patient on another medicine, and plan its reminders."""
    _require_not_discharged(patient)
    regimen = new_regimen(details, now)
    patient.regimens.append(regimen)
    patient.updated_at = now
    session.flush()
    _log(session, nurse, "add-medicine", patient, now, regimen)
    _replan(session, patient, now, plan_days)
    refresh_for(session, patient, now)
    return regimen


def stop_regimen(
    session: Session, nurse: StaffMember | None, regimen: Regimen, stopped_on: date,
    reason: str, now: datetime,
) -> None:
    """Record that the patient stopped a medicine, and why; its planned reminders are skipped."""
    _require_current(regimen)
    regimen.stopped_on = stopped_on
    regimen.stop_reason = reason
    regimen.patient.updated_at = now
    session.flush()
    _log(session, nurse, "stop-medicine", regimen.patient, now, regimen)
    cancel_for(session, regimen, now, "medicine stopped")
    refresh_for(session, regimen.patient, now)


def switch_regimen(
    session: Session, nurse: StaffMember | None, regimen: Regimen, stopped_on: date,
    reason: str, details: RegimenDetails, now: datetime, *, plan_days: int,
) -> Regimen:
    """Stop one medicine and start another in its place, linking the two."""
    _require_current(regimen)
    patient = regimen.patient
    _require_not_discharged(patient)
    replacement = new_regimen(details, now)
    patient.regimens.append(replacement)
    session.flush()
    regimen.stopped_on = stopped_on
    regimen.stop_reason = reason
    regimen.switched_to_id = replacement.id
    patient.updated_at = now
    session.flush()
    _log(session, nurse, "switch-medicine", patient, now, regimen,
         new_regimen=regimen_state(replacement))  # fmt: skip
    cancel_for(session, regimen, now, "medicine switched")
    _replan(session, patient, now, plan_days)
    refresh_for(session, patient, now)
    return replacement


def record_dose_given(
    session: Session, nurse: StaffMember | None, regimen: Regimen, given_on: date,
    now: datetime, *, plan_days: int, kind: str = ContactKind.DOSE_GIVEN_CLINIC,
    note: str | None = None,
) -> Contact:
    """Record the day a clinic injection or infusion was given: the next one counts from it.

    The dose is also kept as a contact (given in clinic unless `kind` says at the GP
    practice), so the patient's timeline and the audit indicators see it. A dose
    recorded late, before one already recorded, is kept in the history and leaves
    the next dose counted from the latest.
    """
    _require_current(regimen)
    if not medicine(regimen.medicine).in_clinic:
        raise PatientStatusError("Only injections and infusions given in clinic are recorded here")
    if kind not in DOSES_GIVEN:
        raise ValueError(f"{kind} is not a dose given")
    if regimen.last_given_date is None or given_on >= regimen.last_given_date:
        regimen.last_given_date = given_on
    regimen.patient.updated_at = now
    contact = Contact(patient_id=regimen.patient_id, regimen_id=regimen.id, kind=kind,
                      happened_on=given_on, note=note,
                      recorded_by_id=nurse.id if nurse else None, recorded_at=now)
    session.add(contact)
    session.flush()
    _log(session, nurse, "record-dose-given", regimen.patient, now, regimen,
         contact={"contact_id": contact.id, "kind": kind, "happened_on": given_on.isoformat(),
                  **({"note": RECORDED} if note else {})})  # fmt: skip
    _replan(session, regimen.patient, now, plan_days)
    refresh_for(session, regimen.patient, now)
    return contact


def _replan(session: Session, patient: Patient, now: datetime, plan_days: int) -> None:
    if patient.status == PatientStatus.ACTIVE:
        plan_for(session, patient, now, plan_days)


def _log(session, nurse, action: str, patient: Patient, now: datetime, regimen: Regimen,
         **extra) -> None:  # fmt: skip
    details = {"regimen": regimen_state(regimen), **extra}
    if regimen.stop_reason:
        details["stop_reason"] = RECORDED
    before = patient_state(patient)
    log_patient_change(session, nurse, action, patient, before, now, extra=details)


def _require_current(regimen: Regimen) -> None:
    if regimen.stopped_on is not None:
        raise PatientStatusError("This medicine has already been stopped")


def _require_not_discharged(patient: Patient) -> None:
    if patient.status == PatientStatus.DISCHARGED:
        raise PatientStatusError("This patient has been discharged: medicines cannot be added")
