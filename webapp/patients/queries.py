"""Reading patients, always through the signed-in nurse's service.

A nurse sees only the patients of their own service: `patient_for_nurse`
returns None for anyone else's patient (and for an admin), so the page can
answer 404 without saying the record exists. Each function costs a fixed
number of queries, whatever the number of patients.
"""

from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder
from webapp.models.staff import Role, StaffMember

MAX_SEARCH_RESULTS = 50


def nurse_service_id(nurse: StaffMember | None) -> int | None:
    """The service whose patients `nurse` may see; None for anyone who is not a nurse in one."""
    if nurse is None or not nurse.is_nurse or not nurse.active:
        return None
    return nurse.fls_service_id


def patient_for_nurse(session: Session, nurse: StaffMember, patient_id: int) -> Patient | None:
    """The patient with this id if they are in the nurse's service, else None."""
    service_id = nurse_service_id(nurse)
    if service_id is None:
        return None
    return session.execute(
        select(Patient)
        .where(Patient.id == patient_id, Patient.fls_service_id == service_id)
        .options(selectinload(Patient.regimens).selectinload(Regimen.switched_to),
                 selectinload(Patient.named_nurse), selectinload(Patient.sms_consent_recorded_by))
    ).scalar_one_or_none()


def regimen_for_nurse(
    session: Session, nurse: StaffMember, patient_id: int, regimen_id: int
) -> Regimen | None:
    """One of the patient's regimens, if the patient is in the nurse's service, else None."""
    patient = patient_for_nurse(session, nurse, patient_id)
    if patient is None:
        return None
    return next((regimen for regimen in patient.regimens if regimen.id == regimen_id), None)


def patient_list_query(nurse: StaffMember) -> Select:
    """The nurse's service's patients by last name, for a paginated list (none for others)."""
    return select(Patient).where(_in_service(nurse)).order_by(*_BY_NAME).options(
        selectinload(Patient.regimens))


def patient_list_ids(nurse: StaffMember) -> Select:
    """The ids of `patient_list_query`'s patients, in its order, for a page of the list.

    A page of ids is sorted from the name columns alone, several times faster than
    sorting whole rows for a service of thousands; `patients_by_id` then reads the page's."""
    return select(Patient.id).where(_in_service(nurse)).order_by(*_BY_NAME)


def patients_by_id(session: Session, ids: list[int]) -> list[Patient]:
    """These patients, with their regimens, in the order of `ids`."""
    found = {patient.id: patient for patient in session.scalars(
        select(Patient).where(Patient.id.in_(ids)).options(selectinload(Patient.regimens)))}
    return [found[patient_id] for patient_id in ids if patient_id in found]


_BY_NAME = (func.lower(Patient.last_name), func.lower(Patient.first_name), Patient.id)


def _in_service(nurse: StaffMember):
    service_id = nurse_service_id(nurse)
    return Patient.fls_service_id == (service_id if service_id is not None else -1)


def search_patients(session: Session, nurse: StaffMember, typed: str) -> list[Patient]:
    """Patients of the nurse's service matching an NHS number, or every word of a name.

    At most MAX_SEARCH_RESULTS + 1 are returned, so the page can say there are more.
    """
    digits = "".join(typed.split()).replace("-", "")
    query = patient_list_query(nurse)
    if digits.isdigit():
        query = query.where(Patient.nhs_number.startswith(digits))
    else:
        for word in typed.split():
            pattern = f"%{_escape_like(word.lower())}%"
            query = query.where(or_(
                func.lower(Patient.first_name).like(pattern, escape="\\"),
                func.lower(Patient.last_name).like(pattern, escape="\\"),
            ))  # fmt: skip
    return list(session.scalars(query.limit(MAX_SEARCH_RESULTS + 1)))


def service_nurses(session: Session, service_id: int) -> list[StaffMember]:
    """The active nurses of a service, by name: who may be a patient's named nurse."""
    return list(session.scalars(
        select(StaffMember)
        .where(StaffMember.fls_service_id == service_id, StaffMember.role == Role.NURSE,
               StaffMember.active.is_(True))
        .order_by(StaffMember.full_name)
    ))  # fmt: skip


def reminders_for(session: Session, patient: Patient, today: date, limit: int = 60):
    """The patient's reminders from a week ago on, soonest first: planned ones and what happened."""
    return list(session.scalars(
        select(Reminder)
        .where(Reminder.patient_id == patient.id, Reminder.due_on >= date.fromordinal(
            today.toordinal() - 7))
        .order_by(Reminder.send_at, Reminder.id)
        .options(selectinload(Reminder.regimen))
        .limit(limit)
    ))  # fmt: skip


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
