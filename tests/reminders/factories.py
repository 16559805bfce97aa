"""Plain factories for FLS patients, regimens and reminders, written as rows directly.

`create_patient(session, medicine="alendronic_acid_weekly")` gives an active,
consented patient with one regimen; every field can be overridden.
"""

from datetime import date, datetime, time
from itertools import count

from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.reminders import Reminder, ReminderStatus
from webapp.models.staff import FlsService

CREATED = datetime(2027, 1, 4, 10, 0)
_numbers = count(1)


def create_service(session, **overrides) -> FlsService:
    """A Fracture Liaison Service with an SMS name and the default sending hours."""
    number = next(_numbers)
    values = {
        "name": f"Example Fracture Liaison Service {number}", "hospital": "Example Hospital",
        "phone": "+441134960000", "hospital_district": "LS7", "sms_name": "Leeds FLS",
        "is_example": True, **overrides,
    }  # fmt: skip
    service = FlsService(**values)
    session.add(service)
    session.flush()
    return service


def nhs_number(serial: int) -> str:
    """A made-up NHS number with a valid modulus-11 check digit."""
    while True:
        digits = f"{900000000 + serial:09d}"
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            return digits + "0"
        if check != 10:
            return digits + str(check)
        serial += 1


def create_patient(
    session, *, service: FlsService | None = None, medicine: str | None = "alendronic_acid_weekly",
    first_dose_date: date = date(2027, 1, 4), **overrides,
) -> Patient:  # fmt: skip
    """An active, consented patient on one regimen (none when `medicine` is None)."""
    serial = next(_numbers)
    values = {
        "fls_service": service or create_service(session), "nhs_number": nhs_number(serial),
        "first_name": "Ada", "last_name": f"Example{serial}", "date_of_birth": date(1950, 5, 1),
        "mobile": f"+447700900{serial % 1000:03d}", "sms_consent": True,
        "sms_consent_recorded_at": CREATED, "reminder_time": time(8, 0),
        "status": PatientStatus.ACTIVE, "is_example": True, "created_at": CREATED,
        "updated_at": CREATED, **overrides,
    }  # fmt: skip
    patient = Patient(**values)
    session.add(patient)
    if medicine is not None:
        create_regimen(session, patient, medicine, first_dose_date)
    session.flush()
    return patient


def create_regimen(session, patient: Patient, medicine: str, first_dose_date: date,
                   **overrides) -> Regimen:  # fmt: skip
    """One medicine for `patient` from `first_dose_date`."""
    regimen = Regimen(patient=patient, medicine=medicine, first_dose_date=first_dose_date,
                      created_at=CREATED, **overrides)  # fmt: skip
    session.add(regimen)
    session.flush()
    return regimen


def create_reminder(session, regimen: Regimen, kind: str, due_on: date, send_at: datetime,
                    **overrides) -> Reminder:  # fmt: skip
    """A reminder row as a dispatcher would leave it (planned unless `status` says)."""
    values = {"status": ReminderStatus.PLANNED, "status_changed_at": send_at,
              "created_at": CREATED, **overrides}  # fmt: skip
    reminder = Reminder(patient_id=regimen.patient_id, regimen_id=regimen.id, kind=kind,
                        due_on=due_on, send_at=send_at, **values)  # fmt: skip
    session.add(reminder)
    session.flush()
    return reminder
