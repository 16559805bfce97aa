"""Checking a patient and a regimen, the same way for the nurse's forms and the CSV import.

Each `check_…` function takes what was typed or chosen (dates already read as
dates, the rest as text) and returns clean, typed details, or a message for
every field that is wrong, keyed by the field's name (the same names as the
form fields and the CSV columns), so every problem is shown at once.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.groups.validation import parse_time
from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.staff import FlsService, Role, StaffMember
from webapp.patients.nhs_number import NhsNumberError, parse_nhs_number
from webapp.phones import PhoneNumberError, parse_uk_mobile
from webapp.reminders.medicines import MEDICINES, UnknownMedicine, medicine, reminder_time_problem

MAX_NAME_LENGTH = 100
MAX_REASON_LENGTH = 200
OLDEST_AGE_YEARS = 120
# A first dose is planned at most this far ahead, and recorded at most this far back:
# further either way is far more likely a mistyped year than a real plan.
FIRST_DOSE_AHEAD = timedelta(days=183)
FIRST_DOSE_BACK = timedelta(days=365 * 10)
LONGEST_PAUSE = timedelta(days=366)
# A name starts with a letter: this also keeps a spreadsheet from reading it as a formula.
_NAME = re.compile(r"[^\W\d_][\w .'’-]*")
# Patients still enrolled for texts: a mobile number in use by one is refused for another.
ENROLLED_STATUSES = (PatientStatus.ACTIVE, PatientStatus.PAUSED)

DUPLICATE_NHS_NUMBER = "A patient with this NHS number is already enrolled in your service"


@dataclass(frozen=True)
class PatientEntry:
    """A patient's details as typed or chosen, before checking."""

    nhs_number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    mobile: str
    reminder_time: str
    sms_consent: bool | None
    discreet: bool = False
    named_nurse_id: int | None = None
    fracture_date: date | None = None


@dataclass(frozen=True)
class PatientDetails:
    """A patient's details after checking: NHS number as 10 digits, mobile in E.164."""

    nhs_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    mobile: str
    reminder_time: time
    sms_consent: bool
    discreet: bool
    named_nurse_id: int | None
    fracture_date: date | None


@dataclass(frozen=True)
class RegimenEntry:
    """A medicine as chosen for a patient, before checking."""

    medicine: str
    first_dose_date: date | None
    last_given_date: date | None = None
    end_date: date | None = None
    daily_texts: bool = False


@dataclass(frozen=True)
class RegimenDetails:
    """A regimen after checking: a catalogue medicine and consistent dates."""

    medicine: str
    first_dose_date: date
    last_given_date: date | None
    end_date: date | None
    daily_texts: bool


@dataclass(frozen=True)
class PatientRules:
    """What checking a patient depends on besides the details themselves."""

    session: Session
    service: FlsService
    today: date
    allow_drama: bool = False
    patient: Patient | None = None  # the patient being changed; None when enrolling


def check_patient(entry: PatientEntry, rules: PatientRules, medicines=()):
    """(details, {}) when every field is right, else (None, {field: message}).

    `medicines` are the codes of the patient's current medicines, whose time
    windows the reminder time must fall in.
    """
    errors: dict[str, str] = {}
    nhs_number = _nhs_number(entry.nhs_number, rules, errors)
    first_name = _name(entry.first_name, "first_name", "first name", errors)
    last_name = _name(entry.last_name, "last_name", "last name", errors)
    born = _date_of_birth(entry.date_of_birth, rules.today, errors)
    mobile = _mobile(entry.mobile, rules, errors)
    reminder_time = _reminder_time(entry.reminder_time, rules.service, medicines, errors)
    if entry.sms_consent is None:
        errors["sms_consent"] = "Select whether the patient agrees to get texts"
    _named_nurse(entry.named_nurse_id, rules, errors)
    _fracture_date(entry.fracture_date, born, rules.today, errors)
    if errors:
        return None, errors
    details = PatientDetails(
        nhs_number=nhs_number, first_name=first_name, last_name=last_name, date_of_birth=born,
        mobile=mobile, reminder_time=reminder_time, sms_consent=bool(entry.sms_consent),
        discreet=entry.discreet, named_nurse_id=entry.named_nurse_id,
        fracture_date=entry.fracture_date,
    )
    return details, {}


def check_regimen(entry: RegimenEntry, today: date, born: date | None = None):
    """(details, {}) when the medicine and its dates are right, else (None, {field: message})."""
    errors: dict[str, str] = {}
    chosen = _medicine(entry.medicine, errors)
    first = entry.first_dose_date
    if first is None:
        errors["first_dose_date"] = "Enter the date of the first dose"
    elif first > today + FIRST_DOSE_AHEAD:
        errors["first_dose_date"] = "First dose date must be within the next 6 months"
    elif first < today - FIRST_DOSE_BACK:
        errors["first_dose_date"] = "First dose date must be within the last 10 years"
    elif born is not None and first < born:
        errors["first_dose_date"] = "First dose date must be after the date of birth"
    last_given = _last_given(entry.last_given_date, chosen, first, today, errors)
    if entry.end_date is not None and first is not None and entry.end_date <= first:
        errors["end_date"] = "End date must be after the first dose date"
    if errors:
        return None, errors
    return RegimenDetails(
        medicine=chosen.code, first_dose_date=first, last_given_date=last_given,
        end_date=entry.end_date, daily_texts=entry.daily_texts and chosen.is_daily,
    ), {}


def drama_numbers_allowed(config: Mapping) -> bool:
    """Whether Ofcom's drama mobiles pass as mobiles: ALLOW_DRAMA_NUMBERS, off in production."""
    return bool(config["ALLOW_DRAMA_NUMBERS"])


def medicine_choices() -> list[tuple[str, str]]:
    """(code, name) of every catalogue medicine, by name, for a form's choices."""
    return sorted(((code, item.label) for code, item in MEDICINES.items()), key=lambda c: c[1])


def check_reason(typed: str, what: str) -> tuple[str | None, str | None]:
    """(reason, None), or (None, a message) when it is missing or too long."""
    reason = " ".join((typed or "").split())
    if not reason:
        return None, f"Enter the reason for {what}"
    if len(reason) > MAX_REASON_LENGTH:
        return None, f"The reason must be {MAX_REASON_LENGTH} characters or fewer"
    return reason, None


def check_pause_until(until: date | None, today: date) -> str | None:
    """A message when a pause's end date is not between tomorrow and a year ahead."""
    if until is None:
        return None
    if until <= today:
        return "The date to pause until must be in the future"
    if until > today + LONGEST_PAUSE:
        return "Pause for a year at most: the patient can be paused again then"
    return None


def check_past_date(day: date | None, what: str, today: date, earliest: date | None) -> str | None:
    """A message when a date something happened on is missing, in the future or too early."""
    if day is None:
        return f"Enter the date {what}"
    if day > today:
        return f"The date {what} must be today or in the past"
    if earliest is not None and day < earliest:
        return f"The date {what} must be on or after the first dose, {earliest:%-d %B %Y}"
    return None


def _nhs_number(typed: str, rules: PatientRules, errors: dict) -> str | None:
    try:
        digits = parse_nhs_number(typed)
    except NhsNumberError as error:
        errors["nhs_number"] = str(error)
        return None
    query = select(Patient.id).where(
        Patient.fls_service_id == rules.service.id, Patient.nhs_number == digits
    )
    if rules.patient is not None:
        query = query.where(Patient.id != rules.patient.id)
    if rules.session.execute(query.limit(1)).first() is not None:
        errors["nhs_number"] = DUPLICATE_NHS_NUMBER
    return digits


def _name(typed: str, field: str, what: str, errors: dict) -> str | None:
    name = " ".join((typed or "").split())
    if not name:
        errors[field] = f"Enter the patient's {what}"
    elif len(name) > MAX_NAME_LENGTH:
        errors[field] = f"The {what} must be {MAX_NAME_LENGTH} characters or fewer"
    elif not _NAME.fullmatch(name):
        errors[field] = f"The {what} must start with a letter, and use only letters, spaces, " \
            "hyphens and apostrophes"
    return name


def _date_of_birth(born: date | None, today: date, errors: dict) -> date | None:
    if born is None:
        errors["date_of_birth"] = "Enter the patient's date of birth"
    elif born > today:
        errors["date_of_birth"] = "Date of birth must be in the past"
    elif born.year < today.year - OLDEST_AGE_YEARS:
        errors["date_of_birth"] = f"Date of birth must be after {today.year - OLDEST_AGE_YEARS}"
    else:
        return born
    return None


def _mobile(typed: str, rules: PatientRules, errors: dict) -> str | None:
    try:
        number = parse_uk_mobile(typed, allow_drama=rules.allow_drama)
    except PhoneNumberError as error:
        message = str(error)
        errors["mobile"] = "Enter the patient's mobile number" if typed.strip() == "" else message
        return None
    query = select(Patient.id).where(
        Patient.mobile == number.e164, Patient.status.in_(ENROLLED_STATUSES)
    )
    if rules.patient is not None:
        query = query.where(Patient.id != rules.patient.id)
    if rules.session.execute(query.limit(1)).first() is not None:
        errors["mobile"] = "This mobile number is already in use for texts. Check the number " \
            "with the patient"
    return number.e164


def _reminder_time(typed: str, service: FlsService, medicines, errors: dict) -> time | None:
    if not (typed or "").strip():
        errors["reminder_time"] = "Enter the time the patient would like their reminders"
        return None
    chosen = parse_time(typed)
    if chosen is None:
        errors["reminder_time"] = "Enter the reminder time like 09:00 or 9am"
        return None
    starts, ends = service.sms_sending_starts, service.sms_sending_ends
    if not starts <= chosen < ends:
        errors["reminder_time"] = (
            f"Choose a time from {starts:%H:%M} to before {ends:%H:%M}: texts are only sent then"
        )
        return None
    for code in medicines:
        problem = reminder_time_problem(medicine(code), chosen)
        if problem:
            errors["reminder_time"] = problem
            return None
    return chosen


def _named_nurse(nurse_id: int | None, rules: PatientRules, errors: dict) -> None:
    if nurse_id is None:
        return
    found = rules.session.scalar(
        select(func.count()).select_from(StaffMember).where(
            StaffMember.id == nurse_id, StaffMember.role == Role.NURSE,
            StaffMember.fls_service_id == rules.service.id, StaffMember.active.is_(True),
        )
    )
    if not found:
        errors["named_nurse_id"] = "Choose a nurse who works in your service"


def _fracture_date(fractured: date | None, born: date | None, today: date, errors: dict) -> None:
    if fractured is None:
        return
    if fractured > today:
        errors["fracture_date"] = "Fracture date must be today or in the past"
    elif born is not None and fractured < born:
        errors["fracture_date"] = "Fracture date must be after the date of birth"


def _medicine(code: str, errors: dict):
    if not code:
        errors["medicine"] = "Choose the medicine"
        return None
    try:
        return medicine(code)
    except UnknownMedicine:
        codes = ", ".join(sorted(MEDICINES))
        errors["medicine"] = f"Choose a medicine from the list (one of {codes})"
        return None


def _last_given(given: date | None, chosen, first: date | None, today: date, errors: dict):
    if given is None:
        return None
    if chosen is not None and not chosen.in_clinic:
        errors["last_given_date"] = (
            "Leave the date last given empty: it is only for injections and infusions "
            "given in clinic"
        )
    elif given > today:
        errors["last_given_date"] = "The date last given must be today or in the past"
    elif first is not None and given < first:
        errors["last_given_date"] = "The date last given must be on or after the first dose"
    return given


def current_medicines(patient: Patient, today: date, leaving_out: Regimen | None = None):
    """The codes of the medicines a patient takes now (less one being stopped)."""
    return [
        regimen.medicine for regimen in patient.regimens
        if regimen.is_current(today) and regimen is not leaving_out
    ]  # fmt: skip
