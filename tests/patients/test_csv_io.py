"""Patients as CSV: all-or-nothing imports, every bad line named, exports that round-trip."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients.factories import PLAN_DAYS, create_patient
from webapp.clock import uk_today, utc_now
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder
from webapp.models.staff import Role
from webapp.patients import csv_io, records

HEADER = ",".join(csv_io.COLUMNS)


def _day(days_ago: int) -> str:
    return (uk_today() - timedelta(days=days_ago)).isoformat()


def _row(nhs, first, born, mobile, medicine, at="09:00", consent="yes", last_given="",
         nurse="", last="Madeup") -> str:  # fmt: skip
    """One CSV line: a patient who started `medicine` three days ago."""
    return (f"{nhs},{first},{last},{born},{mobile},{medicine},{_day(3)},{at},{consent},,"
            f"{last_given},no,{nurse}")  # fmt: skip


def _good_file(nurse_email: str) -> str:
    return "\n".join([
        HEADER,
        f"943 476 5919,Agnes,Example,1946-05-17,07700 900401,alendronic_acid_weekly,{_day(10)},"
        f"08:00,yes,{_day(40)},,no,{nurse_email}",
        f"9434765919,Agnes,Example,1946-05-17,07700 900401,calcium_vitamin_d_daily,{_day(10)},"
        f"08:00,yes,{_day(40)},,no,{nurse_email}",
        f"9990000018,Bert,Sample,1950-02-01,+447700900402,denosumab_6_monthly,{_day(200)},"
        f"10:30,no,,{_day(20)},yes,",
    ]) + "\n"


@pytest.fixture
def nurse(database):
    service = create_fls_service(database, name="CSV FLS")
    return create_staff_member(database, Role.NURSE, fls_service=service, email="csv@nhs.net")


def _import(database, service, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return csv_io.import_patients(database, data, service, utc_now(), allow_drama=True,
                                  plan_days=PLAN_DAYS)  # fmt: skip


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_an_import_enrols_every_patient_with_every_medicine(database, nurse):
    result = _import(database, nurse.fls_service, _good_file("CSV@nhs.net"))
    database.commit()
    assert (result.patients, result.regimens) == (2, 3)
    agnes = database.scalar(select(Patient).where(Patient.nhs_number == "9434765919"))
    assert agnes.mobile == "+447700900401"
    assert agnes.named_nurse_id == nurse.id
    assert agnes.sms_consent_recorded_by_id is None  # the command line
    assert sorted(regimen.medicine for regimen in agnes.regimens) == [
        "alendronic_acid_weekly", "calcium_vitamin_d_daily"]
    welcomes = database.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.kind == "welcome"))  # fmt: skip
    assert welcomes == 1  # Bert has not agreed to texts


def test_export_then_import_round_trips(database, nurse):
    _import(database, nurse.fls_service, _good_file("csv@nhs.net"))
    database.commit()
    exported, rows = csv_io.export_patients(database, nurse.fls_service, uk_today())
    assert rows == 3
    first = _rows(exported)
    assert first[0]["mobile"].startswith("+44") and first[0]["status"] == "active"
    assert {row["nhs_number"] for row in first} == {"9434765919", "9990000018"}

    for patient in database.scalars(select(Patient)):
        records.discharge_patient(database, None, patient, "Moved to the other service", utc_now())
    other = create_fls_service(database, name="Second CSV FLS")
    create_staff_member(database, Role.NURSE, fls_service=other, email="csv2@nhs.net")
    second_file = exported.replace("csv@nhs.net", "csv2@nhs.net")
    _import(database, other, second_file)
    database.commit()
    again, _ = csv_io.export_patients(database, other, uk_today())
    assert again == second_file


def test_stopped_medicines_are_not_exported(database, nurse):
    patient = create_patient(database, nurse.fls_service, nurse)
    patient.regimens[0].stopped_on = uk_today() - timedelta(days=1)
    database.commit()
    exported, rows = csv_io.export_patients(database, nurse.fls_service, uk_today())
    assert rows == 0
    assert exported.strip() == HEADER + ",status"


def _problems(database, service, text) -> list[str]:
    with pytest.raises(csv_io.PatientRowsError) as raised:
        _import(database, service, text)
    database.rollback()
    assert database.scalar(select(func.count()).select_from(Patient)) == 0
    assert database.scalar(select(func.count()).select_from(Regimen)) == 0
    return [str(problem) for problem in raised.value.problems]


def test_every_bad_line_is_listed_and_nothing_is_imported(database, nurse):
    text = "\n".join([
        HEADER,
        _row("9990000026", "Cora", "1950-01-01", "07700 900410", "risedronate_weekly"),
        _row("9990000027", "Dot", "1950-01-01", "07700 900411", "risedronate_weekly"),
        _row("9990000034", "Edna", "01/01/1950", "0113 496 0000", "aspirin", consent="maybe"),
        _row("9990000042", "Fred", "1950-01-01", "07700 900410", "alendronic_acid_weekly",
             at="14:00", last_given=_day(1), nurse="who@nhs.net"),
        _row("9990000026", "Cora", "1950-01-02", "07700 900410", "calcium_vitamin_d_daily"),
        "too,few,values",
    ])
    problems = _problems(database, nurse.fls_service, text)
    assert problems == [
        "Line 3, nhs_number: This is not a valid NHS number: check each digit against the "
        "patient's records",
        "Line 4, date_of_birth: '01/01/1950' is not a date written YYYY-MM-DD, like 2026-03-31",
        "Line 4, medicine: Choose a medicine from the list (one of alendronic_acid_weekly, "
        "calcium_vitamin_d_daily, denosumab_6_monthly, ibandronic_acid_monthly, "
        "risedronate_weekly, romosozumab_monthly, teriparatide_daily, zoledronic_acid_yearly)",
        "Line 4, sms_consent: must be yes or no",
        "Line 4, mobile: Enter a UK mobile number, like 07700 900123. Texts to a landline may "
        "be read aloud",
        "Line 5, nurse_email: no active nurse of this service has this email address",
        "Line 5, last_given_date: Leave the date last given empty: it is only for injections "
        "and infusions given in clinic",
        "Line 5, reminder_time: Alendronic acid is taken first thing in the morning: choose a "
        "reminder time between 6am and 10am",
        "Line 5, mobile: is also used on line 2, for another patient",
        "Line 6, date_of_birth: differs from line 2, the first row for this NHS number",
        "Line 7, whole row: has 3 values but there are 13 columns",
    ]


def test_patients_already_in_the_service_or_numbers_in_use_are_refused(database, nurse):
    create_patient(database, nurse.fls_service, nhs_number="9434765919", mobile="07700 900420")
    text = "\n".join([
        HEADER,
        _row("9434765919", "Agnes", "1946-05-17", "07700 900421", "risedronate_weekly"),
        _row("9990000018", "Bert", "1950-02-01", "07700 900420", "risedronate_weekly"),
    ])
    with pytest.raises(csv_io.PatientRowsError) as raised:
        _import(database, nurse.fls_service, text)
    assert [str(problem) for problem in raised.value.problems] == [
        "Line 2, nhs_number: A patient with this NHS number is already enrolled in your service",
        "Line 3, mobile: This mobile number is already in use for texts. Check the number with "
        "the patient",
    ]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"),
    (b"nhs_number\x00,x\n", "The file is not a CSV text file"),
    (b"\xff\xfe\x00n", "The file is not a CSV text file"),
    (b"nhs_number,first_name,height\n", "Unknown: height"),
    (b"nhs_number,first_name\n", "The file has no column for: last_name, date_of_birth"),
    ((HEADER + ",nhs_number\n").encode(), "A column name appears twice"),
    ((HEADER + "\n").encode(), "The file has column names but no patients"),
])  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_whole(database, nurse, data, message):
    with pytest.raises(csv_io.PatientFileError) as raised:
        _import(database, nurse.fls_service, data)
    assert message in str(raised.value)


def test_a_file_too_big_is_refused(database, nurse):
    with pytest.raises(csv_io.PatientFileError, match="too big"):
        csv_io.import_patients(database, b"x" * 101, nurse.fls_service, utc_now(),
                               allow_drama=True, plan_days=PLAN_DAYS, max_bytes=100)


def test_the_export_status_column_is_ignored_on_import_and_a_bom_is_fine(database, nurse):
    text = "\ufeff" + HEADER + ",status\n" + (
        f"9434765919,Agnes,Example,1946-05-17,07700 900430,risedronate_weekly,{_day(3)},"
        "09:00,yes,,,,,paused\n")  # fmt: skip
    _import(database, nurse.fls_service, text)
    assert database.scalar(select(Patient.status)) == "active"
