"""What a nurse does to a patient's record: enrol, change, pause, resume, opt out, discharge.

Each function changes the record, adds and flushes, writes the audit log (by
the patient's id only, webapp.patients.audit), keeps the planned reminders
in step (webapp.reminders.planning) and works out the patient's figures and
worklist again (webapp.adherence.refresh), so the next page shows the change;
the caller commits once. Details come
checked by webapp.patients.details; a change that does not fit the patient's
status raises PatientStatusError.
"""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.clock import uk_today
from webapp.models.patients import OptOutBy, Patient, PatientStatus, Regimen
from webapp.models.staff import FlsService, StaffMember
from webapp.patients.audit import log_patient_change, log_patient_viewed, patient_state
from webapp.patients.details import PatientDetails, RegimenDetails


class PatientStatusError(ValueError):
    """A change the patient's status does not allow; the message says why."""


def new_regimen(details: RegimenDetails, now: datetime) -> Regimen:
    """A regimen row from checked details (added to a patient by the caller)."""
    return Regimen(
        medicine=details.medicine, first_dose_date=details.first_dose_date,
        last_given_date=details.last_given_date, end_date=details.end_date,
        daily_texts=details.daily_texts, created_at=now,
    )


def enrol_patient(
    session: Session, nurse: StaffMember | None, service: FlsService, details: PatientDetails,
    regimens: Sequence[RegimenDetails], now: datetime, *, plan_days: int, refresh: bool = True,
) -> Patient:
    """Add a patient with their medicines, and plan their welcome text and reminders.

    `refresh=False` leaves working out their figures to the caller (an import does
    every patient of a file at once)."""
    patient = Patient(fls_service=service, status=PatientStatus.ACTIVE, created_at=now,
                      updated_at=now)  # fmt: skip
    _apply_details(patient, details, nurse, now)
    session.add(patient)
    patient.regimens.extend(new_regimen(regimen, now) for regimen in regimens)
    session.flush()
    log_patient_change(session, nurse, "enrol", patient, None, now,
                       extra={"medicines": [regimen.medicine for regimen in regimens]})
    plan_for(session, patient, now, plan_days)
    if refresh:
        refresh_for(session, patient, now)
    return patient


def update_patient(
    session: Session, nurse: StaffMember | None, patient: Patient, details: PatientDetails,
    now: datetime, *, plan_days: int,
) -> Patient:
    """Change a patient's details; their reminders are planned again for the new details."""
    before = patient_state(patient)
    _apply_details(patient, details, nurse, now)
    patient.updated_at = now
    session.flush()
    log_patient_change(session, nurse, "update", patient, before, now)
    if patient.status == PatientStatus.ACTIVE:
        plan_for(session, patient, now, plan_days)
    refresh_for(session, patient, now)
    return patient


def pause_patient(
    session: Session, nurse: StaffMember | None, patient: Patient, until: date | None,
    now: datetime,
) -> None:
    """Stop texts for now, until `until` if given; planned reminders are skipped."""
    _require(patient, {PatientStatus.ACTIVE, PatientStatus.PAUSED}, "paused")
    before = patient_state(patient)
    patient.status = PatientStatus.PAUSED
    patient.paused_until = until
    patient.updated_at = now
    session.flush()
    log_patient_change(session, nurse, "pause", patient, before, now)
    cancel_for(session, patient, now, "paused")
    refresh_for(session, patient, now)


def resume_patient(
    session: Session, nurse: StaffMember | None, patient: Patient, now: datetime,
    *, plan_days: int,
) -> None:
    """Start texts again after a pause, and plan the coming reminders."""
    _require(patient, {PatientStatus.PAUSED}, "resumed")
    before = patient_state(patient)
    patient.status = PatientStatus.ACTIVE
    patient.paused_until = None
    patient.updated_at = now
    session.flush()
    log_patient_change(session, nurse, "resume", patient, before, now)
    plan_for(session, patient, now, plan_days)
    refresh_for(session, patient, now)


def resume_due_patients(session: Session, now: datetime) -> int:
    """Resume every patient whose pause ended (paused until today or before); returns how many.

    Logged as done by the command line. Their reminders are planned by the
    planning run that calls this (`plan_reminders` plans every active patient).
    """
    due = session.scalars(
        select(Patient).where(Patient.status == PatientStatus.PAUSED,
                              Patient.paused_until <= uk_today(now))  # fmt: skip
    ).all()
    for patient in due:
        before = patient_state(patient)
        patient.status = PatientStatus.ACTIVE
        patient.paused_until = None
        patient.updated_at = now
        session.flush()
        log_patient_change(session, None, "resume", patient, before, now,
                           extra={"pause_ended": True})  # fmt: skip
    return len(due)


def opt_out_patient(
    session: Session, nurse: StaffMember | None, patient: Patient, now: datetime
) -> None:
    """The patient told the nurse they want no more texts: none are sent from now."""
    _require(patient, {PatientStatus.ACTIVE, PatientStatus.PAUSED}, "opted out")
    before = patient_state(patient)
    patient.status = PatientStatus.OPTED_OUT
    patient.opted_out_by = OptOutBy.NURSE
    patient.opted_out_at = now
    patient.paused_until = None
    patient.updated_at = now
    session.flush()
    log_patient_change(session, nurse, "opt-out", patient, before, now)
    cancel_for(session, patient, now, "opted out")
    refresh_for(session, patient, now)


def discharge_patient(
    session: Session, nurse: StaffMember | None, patient: Patient, reason: str, now: datetime
) -> None:
    """The patient leaves the service: no more texts, with the reason kept on the record."""
    if patient.status == PatientStatus.DISCHARGED:
        raise PatientStatusError("This patient has already been discharged")
    before = patient_state(patient)
    patient.status = PatientStatus.DISCHARGED
    patient.discharged_at = now
    patient.discharge_reason = reason
    patient.paused_until = None
    patient.updated_at = now
    session.flush()
    log_patient_change(session, nurse, "discharge", patient, before, now)
    cancel_for(session, patient, now, "discharged")
    refresh_for(session, patient, now)


def record_patient_viewed(session: Session, nurse: StaffMember, patient: Patient,
                          now: datetime, page: str = "record") -> None:  # fmt: skip
    """Log that the nurse opened the record: every view of a patient is in the audit log."""
    log_patient_viewed(session, nurse, patient, now, page)


def plan_for(session: Session, patient: Patient, now: datetime, plan_days: int) -> None:
    """Plan the patient's coming reminders at once, so the nurse sees them on the record."""
    from webapp.reminders.planning import plan_for_patient

    plan_for_patient(session, patient, now, plan_days)


def cancel_for(session: Session, whose: Patient | Regimen, now: datetime, reason: str) -> None:
    """Mark the still-planned reminders of a patient or a regimen as skipped, with why."""
    from webapp.reminders.planning import cancel_planned

    cancel_planned(session, whose, now, reason)


def refresh_for(session: Session, patient: Patient, now: datetime) -> None:
    """Work out the patient's figures and worklist again at once, so the next page load
    shows the change rather than waiting for the scheduled job."""
    from webapp.adherence.refresh import refresh_patients

    refresh_patients(session, [patient.id], now)


def _apply_details(
    patient: Patient, details: PatientDetails, nurse: StaffMember | None, now: datetime
) -> None:
    consent_changed = patient.sms_consent != details.sms_consent or patient.id is None
    patient.nhs_number = details.nhs_number
    patient.first_name = details.first_name
    patient.last_name = details.last_name
    patient.date_of_birth = details.date_of_birth
    if patient.mobile != details.mobile:
        # A new number may be accepted where the old one was refused by the network.
        patient.sms_blocked_code = patient.sms_blocked_reason = patient.sms_blocked_at = None
    patient.mobile = details.mobile
    patient.reminder_time = details.reminder_time
    patient.discreet = details.discreet
    patient.named_nurse_id = details.named_nurse_id
    patient.fracture_date = details.fracture_date
    if consent_changed:
        patient.sms_consent = details.sms_consent
        patient.sms_consent_recorded_by_id = nurse.id if nurse is not None else None
        patient.sms_consent_recorded_at = now


def _require(patient: Patient, allowed: set[str], done: str) -> None:
    if patient.status not in allowed:
        status = patient.status.replace("_", " ")
        raise PatientStatusError(f"This patient cannot be {done}: they are {status}")

