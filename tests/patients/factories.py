"""Plain factories for patients, persisting through the real checks and services.

`create_patient(database, service)` enrols a made-up patient (a valid NHS number
in the 999 test range, a drama-range mobile) on alendronic acid, planning their
reminders as a nurse's enrolment does.
"""

from datetime import date, timedelta
from itertools import count

from tests.accounts.factories import create_fls_service
from webapp.clock import uk_today, utc_now
from webapp.models.patients import Patient
from webapp.patients.demo import demo_nhs_number
from webapp.patients.details import (
    PatientEntry,
    PatientRules,
    RegimenEntry,
    check_patient,
    check_regimen,
)
from webapp.patients.records import enrol_patient

PLAN_DAYS = 14
# Far above the demo data's numbers, so tests and demo patients never clash.
_numbers = count(500)


def next_nhs_number() -> str:
    return demo_nhs_number(next(_numbers))


def patient_entry(**overrides) -> PatientEntry:
    """A valid patient as a nurse would type them; each test gets a new NHS number and mobile."""
    number = next(_numbers)
    values = {
        "nhs_number": demo_nhs_number(number), "first_name": "Agnes", "last_name": "Example",
        "date_of_birth": date(1946, 5, 17), "mobile": f"07700 900{number % 1000:03d}",
        "reminder_time": "08:00", "sms_consent": True, "discreet": False,
        "named_nurse_id": None, "fracture_date": None, **overrides,
    }  # fmt: skip
    return PatientEntry(**values)


def regimen_entry(**overrides) -> RegimenEntry:
    values = {"medicine": "alendronic_acid_weekly",
              "first_dose_date": uk_today() - timedelta(days=10), **overrides}  # fmt: skip
    return RegimenEntry(**values)


def create_patient(session, service=None, nurse=None, *, regimens=None, **overrides) -> Patient:
    """A patient enrolled through the real checks and `enrol_patient`, committed."""
    service = service or create_fls_service(session, name=f"Patients Service {next(_numbers)}")
    entry = patient_entry(**overrides)
    rules = PatientRules(session=session, service=service, today=uk_today(), allow_drama=True)
    checked = []
    for item in regimens or [regimen_entry()]:
        regimen, errors = check_regimen(item, uk_today(), entry.date_of_birth)
        assert not errors, errors
        checked.append(regimen)
    details, errors = check_patient(entry, rules, [regimen.medicine for regimen in checked])
    assert not errors, errors
    patient = enrol_patient(session, nurse, service, details, checked, utc_now(),
                            plan_days=PLAN_DAYS)  # fmt: skip
    session.commit()
    return patient
