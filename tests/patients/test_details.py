"""Checking a patient and a regimen: every field, with messages that say what to do."""

from datetime import date, time, timedelta

import pytest

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients.factories import create_patient, patient_entry, regimen_entry
from webapp.models.patients import PatientStatus
from webapp.models.staff import Role
from webapp.patients.details import (
    PatientRules,
    check_past_date,
    check_patient,
    check_pause_until,
    check_reason,
    check_regimen,
)

TODAY = date(2026, 12, 1)


def _errors(database, service, medicines=("alendronic_acid_weekly",), allow_drama=True,
            patient=None, **overrides):  # fmt: skip
    rules = PatientRules(session=database, service=service, today=TODAY,
                         allow_drama=allow_drama, patient=patient)  # fmt: skip
    details, errors = check_patient(patient_entry(**overrides), rules, list(medicines))
    assert (details is None) == bool(errors)
    return errors


@pytest.fixture
def service(database):
    return create_fls_service(database, name="Checking FLS")


def test_a_good_patient_comes_back_clean_and_typed(database, service):
    rules = PatientRules(session=database, service=service, today=TODAY, allow_drama=True)
    details, errors = check_patient(
        patient_entry(nhs_number="943 476 5919", mobile="07700 900123", first_name="  Mary  Ann ",
                      reminder_time="7.30am"), rules, ["alendronic_acid_weekly"])
    assert errors == {}
    assert details.nhs_number == "9434765919"
    assert details.mobile == "+447700900123"
    assert details.first_name == "Mary Ann"
    assert details.reminder_time == time(7, 30)


def test_every_missing_field_is_named_at_once(database, service):
    errors = _errors(database, service, nhs_number="", first_name="", last_name="",
                     date_of_birth=None, mobile="", reminder_time="", sms_consent=None)
    assert errors == {
        "nhs_number": "Enter the patient's NHS number",
        "first_name": "Enter the patient's first name",
        "last_name": "Enter the patient's last name",
        "date_of_birth": "Enter the patient's date of birth",
        "mobile": "Enter the patient's mobile number",
        "reminder_time": "Enter the time the patient would like their reminders",
        "sms_consent": "Select whether the patient agrees to get texts",
    }


def test_a_landline_is_refused_with_the_reason(database, service):
    errors = _errors(database, service, mobile="0113 496 0000")
    assert errors == {"mobile": "Enter a UK mobile number, like 07700 900123. Texts to a "
                                "landline may be read aloud"}


def test_drama_numbers_only_where_allowed(database, service):
    assert "mobile" in _errors(database, service, allow_drama=False, mobile="07700 900123")
    assert _errors(database, service, allow_drama=False, mobile="07900 123456") == {}


def test_a_mobile_used_by_another_enrolled_patient_is_refused_saying_only_that(database):
    other_service = create_fls_service(database, name="Other FLS")
    create_patient(database, other_service, mobile="07700 900555")
    service = create_fls_service(database, name="This FLS")
    errors = _errors(database, service, mobile="+44 7700 900555")
    assert errors == {"mobile": "This mobile number is already in use for texts. Check the "
                                "number with the patient"}


def test_a_mobile_of_a_discharged_patient_may_be_used_again(database, service):
    old = create_patient(database, service, mobile="07700 900556")
    old.status = PatientStatus.DISCHARGED
    database.commit()
    assert _errors(database, service, mobile="07700 900556") == {}


def test_a_patient_keeps_their_own_mobile_and_nhs_number_when_changed(database, service):
    patient = create_patient(database, service, nhs_number="943 476 5919", mobile="07700 900557")
    assert _errors(database, service, patient=patient, nhs_number="9434765919",
                   mobile="07700900557") == {}


def test_an_nhs_number_is_unique_within_a_service_only(database, service):
    create_patient(database, service, nhs_number="943 476 5919")
    assert _errors(database, service, nhs_number="9434765919") == {
        "nhs_number": "A patient with this NHS number is already enrolled in your service"
    }
    other = create_fls_service(database, name="Another FLS")
    assert _errors(database, other, nhs_number="9434765919") == {}


@pytest.mark.parametrize("born, message", [
    (TODAY + timedelta(days=1), "Date of birth must be in the past"),
    (date(1900, 1, 1), "Date of birth must be after 1906"),
])  # fmt: skip
def test_impossible_dates_of_birth(database, service, born, message):
    assert _errors(database, service, date_of_birth=born) == {"date_of_birth": message}


def test_fracture_date_is_between_birth_and_today(database, service):
    assert _errors(database, service, fracture_date=TODAY + timedelta(days=1)) == {
        "fracture_date": "Fracture date must be today or in the past"}
    assert _errors(database, service, date_of_birth=date(1950, 1, 1),
                   fracture_date=date(1949, 1, 1)) == {
        "fracture_date": "Fracture date must be after the date of birth"}


@pytest.mark.parametrize("typed, message", [
    ("quarter past", "Enter the reminder time like 09:00 or 9am"),
    ("25:00", "Enter the reminder time like 09:00 or 9am"),
    ("06:30", "Choose a time from 07:00 to before 21:00: texts are only sent then"),
    ("21:00", "Choose a time from 07:00 to before 21:00: texts are only sent then"),
])  # fmt: skip
def test_reminder_time_inside_the_sending_hours(database, service, typed, message):
    assert _errors(database, service, reminder_time=typed) == {"reminder_time": message}


def test_reminder_time_inside_the_medicines_window(database, service):
    errors = _errors(database, service, reminder_time="14:00")
    assert "reminder_time" in errors
    assert _errors(database, service, medicines=["risedronate_weekly"], reminder_time="14:00") == {}


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "-1", "12", "Ann@", "x" * 101])
def test_names_a_spreadsheet_could_misread_are_refused(database, service, name):
    assert set(_errors(database, service, first_name=name)) == {"first_name"}


@pytest.mark.parametrize("name", ["O'Neill", "Smith-Jones", "Zoë", "Mary Ann", "St. John"])
def test_real_names_pass(database, service, name):
    assert _errors(database, service, last_name=name) == {}


def test_the_named_nurse_must_be_a_nurse_of_the_service(database, service):
    ours = create_staff_member(database, Role.NURSE, fls_service=service)
    theirs = create_staff_member(database, Role.NURSE)
    admin = create_staff_member(database, Role.ADMIN, fls_service=service)
    assert _errors(database, service, named_nurse_id=ours.id) == {}
    for other in (theirs, admin):
        assert _errors(database, service, named_nurse_id=other.id) == {
            "named_nurse_id": "Choose a nurse who works in your service"}


def _regimen_errors(**overrides):
    regimen, errors = check_regimen(regimen_entry(**overrides), TODAY, date(1946, 5, 17))
    assert (regimen is None) == bool(errors)
    return errors


def test_a_good_regimen(database):
    regimen, errors = check_regimen(
        regimen_entry(medicine="denosumab_6_monthly", first_dose_date=date(2026, 6, 1),
                      last_given_date=date(2026, 6, 2)), TODAY)
    assert errors == {}
    assert (regimen.medicine, regimen.last_given_date) == ("denosumab_6_monthly", date(2026, 6, 2))


def test_regimen_problems_are_named(database):
    assert _regimen_errors(medicine="", first_dose_date=None) == {
        "medicine": "Choose the medicine", "first_dose_date": "Enter the date of the first dose"}
    assert set(_regimen_errors(medicine="aspirin")) == {"medicine"}
    assert _regimen_errors(first_dose_date=TODAY + timedelta(days=200)) == {
        "first_dose_date": "First dose date must be within the next 6 months"}
    assert _regimen_errors(first_dose_date=date(2010, 1, 1)) == {
        "first_dose_date": "First dose date must be within the last 10 years"}


def test_last_given_only_for_clinic_medicines_and_after_the_first_dose(database):
    assert set(_regimen_errors(last_given_date=TODAY)) == {"last_given_date"}
    assert _regimen_errors(medicine="zoledronic_acid_yearly", first_dose_date=date(2026, 1, 5),
                           last_given_date=date(2026, 1, 4)) == {
        "last_given_date": "The date last given must be on or after the first dose"}
    assert _regimen_errors(medicine="zoledronic_acid_yearly", first_dose_date=date(2026, 1, 5),
                           last_given_date=TODAY + timedelta(days=1)) == {
        "last_given_date": "The date last given must be today or in the past"}


def test_daily_texts_are_kept_only_for_daily_medicines(database):
    weekly, _ = check_regimen(regimen_entry(daily_texts=True), TODAY)
    daily, _ = check_regimen(regimen_entry(medicine="teriparatide_daily", daily_texts=True), TODAY)
    assert (weekly.daily_texts, daily.daily_texts) == (False, True)


def test_reasons_dates_and_pauses():
    assert check_reason("  side   effects ", "stopping") == ("side effects", None)
    assert check_reason("", "stopping") == (None, "Enter the reason for stopping")
    assert check_reason("x" * 201, "stopping")[1] == "The reason must be 200 characters or fewer"
    assert check_pause_until(None, TODAY) is None
    assert check_pause_until(TODAY, TODAY) == "The date to pause until must be in the future"
    assert check_pause_until(TODAY + timedelta(days=400), TODAY).startswith("Pause for a year")
    assert check_past_date(None, "given", TODAY, None) == "Enter the date given"
    assert check_past_date(TODAY + timedelta(days=1), "given", TODAY, None) == (
        "The date given must be today or in the past")
    assert check_past_date(date(2026, 1, 1), "given", TODAY, date(2026, 2, 1)) == (
        "The date given must be on or after the first dose, 1 February 2026")

