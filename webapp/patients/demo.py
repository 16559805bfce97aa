"""Demo patients for the embedded default: about 30 plainly made-up people in the demo service.

Their NHS numbers are in the 999 range, which the NHS keeps for testing and
never issues, and their mobiles in Ofcom's drama range (07700 900000 to
900999), which no phone answers. They are enrolled through the same code as
real patients, so their reminders are planned too. Safe to run again: a
patient already there is left alone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.clock import uk_today
from webapp.models.patients import Patient
from webapp.models.staff import FlsService, StaffMember
from webapp.patients.details import (
    PatientEntry,
    PatientRules,
    RegimenEntry,
    check_patient,
    check_regimen,
)
from webapp.patients.nhs_number import check_digit
from webapp.patients.records import (
    discharge_patient,
    enrol_patient,
    opt_out_patient,
    pause_patient,
)

DEMO_SMS_NAME = "Example FLS"
FIRST_NAMES = ("Ada", "Bert", "Cora", "Dot", "Edna", "Fred", "Gwen", "Hal", "Ivy", "Jim")
LAST_NAMES = ("Example", "Sample", "Madeup")
# (medicine, reminder time, days since the first dose): a mix of the eight medicines.
PLANS = (
    ("alendronic_acid_weekly", time(7, 30), 40),
    ("risedronate_weekly", time(9, 0), 15),
    ("ibandronic_acid_monthly", time(7, 30), 70),
    ("denosumab_6_monthly", time(10, 0), 160),
    ("zoledronic_acid_yearly", time(11, 0), 330),
    ("teriparatide_daily", time(18, 0), 90),
    ("romosozumab_monthly", time(10, 30), 25),
    ("calcium_vitamin_d_daily", time(12, 0), 20),
)
IN_CLINIC = {"denosumab_6_monthly", "zoledronic_acid_yearly", "romosozumab_monthly"}


@dataclass(frozen=True)
class DemoPatients:
    added: int
    already_there: int


def demo_nhs_number(index: int) -> str:
    """The index-th valid NHS number in the test range 999 000 0000 upwards."""
    found = -1
    for serial in range(1_000_000):
        first_nine = f"999{serial:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            found += 1
            if found == index:
                return f"{first_nine}{digit}"
    raise ValueError(index)


def load_demo_patients(
    session: Session, service: FlsService, nurse: StaffMember | None, now: datetime,
    *, plan_days: int, count: int = 30,
) -> DemoPatients:
    """Enrol the demo patients not yet in `service`; pause, opt out or discharge a few."""
    if service.sms_name is None:
        service.sms_name = DEMO_SMS_NAME
    today = uk_today(now)
    existing = set(session.scalars(
        select(Patient.nhs_number).where(Patient.fls_service_id == service.id)
    ))  # fmt: skip
    added = 0
    for index in range(count):
        if demo_nhs_number(index) in existing:
            continue
        patient = _enrol(session, service, nurse, index, today, now, plan_days)
        _vary_status(session, nurse, patient, index, today, now)
        added += 1
    return DemoPatients(added=added, already_there=count - added)


def _enrol(session, service, nurse, index, today, now, plan_days) -> Patient:
    code, reminder_time, days_ago = PLANS[index % len(PLANS)]
    first_dose = today - timedelta(days=days_ago + index)
    entry = PatientEntry(
        nhs_number=demo_nhs_number(index),
        first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
        last_name=LAST_NAMES[index // len(FIRST_NAMES) % len(LAST_NAMES)],
        date_of_birth=date(1940 + index % 30, 1 + index % 12, 1 + index % 28),
        mobile=f"07700 900{100 + index:03d}", reminder_time=reminder_time.strftime("%H:%M"),
        sms_consent=index % 10 != 9, discreet=index % 4 == 3,
        named_nurse_id=nurse.id if nurse is not None and index % 2 == 0 else None,
        fracture_date=first_dose - timedelta(days=30),
    )
    rules = PatientRules(session=session, service=service, today=today, allow_drama=True)
    regimen_entry = RegimenEntry(
        medicine=code, first_dose_date=first_dose,
        last_given_date=first_dose if code in IN_CLINIC else None,
    )
    regimen, regimen_errors = check_regimen(regimen_entry, today, entry.date_of_birth)
    details, errors = check_patient(entry, rules, [code])
    if errors or regimen_errors:
        raise ValueError(f"Demo patient {index} is not valid: {errors | regimen_errors}")
    return enrol_patient(session, nurse, service, details, [regimen], now, plan_days=plan_days)


def _vary_status(session, nurse, patient, index, today, now) -> None:
    """A few patients in each other status, so the list shows them all."""
    if index % 10 == 4:
        pause_patient(session, nurse, patient, today + timedelta(days=21), now)
    elif index == 17:
        opt_out_patient(session, nurse, patient, now)
    elif index == 28:
        discharge_patient(session, nurse, patient, "Treatment completed (example)", now)
