"""Importing and exporting a service's patients as CSV, one row a regimen (docs/patients-csv.md).

An import is all or nothing: every row is checked first, by the same rules as
the nurse's forms (webapp.patients.details), every bad line is reported with
its line number and reason, and nothing is written unless the whole file is
good. A patient on two medicines has two rows with the same NHS number, whose
patient columns must agree. The export writes the current regimens in the same
columns plus `status`, which the import ignores, so the two round-trip.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from webapp import csv_safe
from webapp.adherence.refresh import refresh_patients
from webapp.clock import uk_today
from webapp.csv_import import (
    CsvFileError,
    CsvRowsError,
    RowProblem,
    data_rows,
    decode_csv,
    read_header,
)
from webapp.models.patients import Patient
from webapp.models.staff import FlsService, Role, StaffMember
from webapp.patients.details import (
    PatientDetails,
    PatientEntry,
    PatientRules,
    RegimenDetails,
    RegimenEntry,
    check_patient,
    check_regimen,
)
from webapp.patients.records import enrol_patient
from webapp.phones import PhoneNumberError, parse_uk_mobile
from webapp.text_checks import text_problem

PATIENT_COLUMNS = ("nhs_number", "first_name", "last_name", "date_of_birth", "mobile")
COLUMNS = (*PATIENT_COLUMNS, "medicine", "first_dose_date", "reminder_time", "sms_consent",
           "fracture_date", "last_given_date", "discreet", "nurse_email")  # fmt: skip
REQUIRED_COLUMNS = COLUMNS[:9]
EXPORT_COLUMNS = (*COLUMNS, "status")
IGNORED_COLUMNS = ("status",)
DATE_COLUMNS = ("date_of_birth", "first_dose_date", "fracture_date", "last_given_date")
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
MAX_CELL_LENGTH = 254  # the longest column a cell is stored in (a nurse's email)
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


class PatientFileError(CsvFileError):
    """The patients file as a whole cannot be read."""


class PatientRowsError(CsvRowsError):
    """Some patient rows are wrong; nothing was imported."""


@dataclass
class _FilePatient:
    """One patient's rows: the patient columns of the first row, and a regimen a row."""

    line: int
    values: dict[str, str]
    regimens: list[RegimenDetails] = field(default_factory=list)
    medicines: list[str] = field(default_factory=list)  # every known code, for time windows
    details: PatientDetails | None = None


@dataclass(frozen=True)
class ImportResult:
    patients: int
    regimens: int


def import_patients(
    session: Session, data: bytes, service: FlsService, now: datetime, *,
    allow_drama: bool, plan_days: int, max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Check every row, then enrol every patient in `service`, or none (raises before writing)."""
    patients = read_patients(session, data, service, uk_today(now), allow_drama, max_bytes)
    enrolled = [
        enrol_patient(session, None, service, patient.details, patient.regimens, now,
                      plan_days=plan_days, refresh=False).id
        for patient in patients
    ]  # fmt: skip
    # Their figures and worklist all at once: a few queries for the whole file.
    refresh_patients(session, enrolled, now)
    return ImportResult(len(patients), sum(len(patient.regimens) for patient in patients))


def read_patients(
    session: Session, data: bytes, service: FlsService, today: date, allow_drama: bool,
    max_bytes: int = MAX_IMPORT_BYTES,
) -> list[_FilePatient]:
    """Every patient in the file, checked, or PatientFileError / PatientRowsError."""
    reader = csv.reader(io.StringIO(decode_csv(data, max_bytes, PatientFileError), newline=""))
    header = read_header(reader, (*COLUMNS, *IGNORED_COLUMNS), REQUIRED_COLUMNS, PatientFileError)
    nurses = _nurses_by_email(session, service)
    patients: dict[str, _FilePatient] = {}
    problems: list[RowProblem] = []
    rows = 0
    for start, values in data_rows(reader, MAX_IMPORT_ROWS, "rows", PatientFileError):
        rows += 1
        problems += _read_row(start, header, values, patients, nurses, today)
    if not rows:
        raise PatientFileError("The file has column names but no patients")
    problems += _check_patients(session, patients.values(), service, today, allow_drama, nurses)
    if problems:
        raise PatientRowsError(sorted(problems, key=lambda problem: problem.line))
    return list(patients.values())


def _read_row(line, header, values, patients, nurses, today) -> list[RowProblem]:
    if len(values) != len(header):
        message = f"has {len(values)} values but there are {len(header)} columns"
        return [RowProblem(line, "whole row", message)]
    row = {name: csv_safe.undefuse_cell(value.strip())
           for name, value in zip(header, values, strict=True)}  # fmt: skip
    row = {name: row.get(name, "") for name in COLUMNS}
    errors = {name: problem for name in COLUMNS
              if (problem := text_problem(row[name], name, MAX_CELL_LENGTH))}  # fmt: skip
    if errors:  # a NUL or a runaway cell: nothing more is read from this row
        return [RowProblem(line, column, message) for column, message in errors.items()]
    dates = {name: _date(row, name, errors) for name in DATE_COLUMNS}
    if row["nurse_email"] and row["nurse_email"].lower() not in nurses:
        errors["nurse_email"] = "no active nurse of this service has this email address"
    key = "".join(row["nhs_number"].split()).replace("-", "") or f"line {line}"
    patient = patients.get(key)
    if patient is None:
        patient = patients[key] = _FilePatient(line, row)
    else:
        errors |= _disagreements(patient, row)
    entry = RegimenEntry(
        medicine=row["medicine"], first_dose_date=dates["first_dose_date"],
        last_given_date=dates["last_given_date"],
    )
    born = dates["date_of_birth"]
    regimen, regimen_errors = check_regimen(entry, today, born)
    if row["first_dose_date"] and "first_dose_date" in errors:
        regimen_errors.pop("first_dose_date", None)
    errors |= regimen_errors
    if regimen is not None:
        patient.regimens.append(regimen)
    if "medicine" not in regimen_errors:
        patient.medicines.append(row["medicine"])
    return [RowProblem(line, column, message) for column, message in errors.items()]


def _disagreements(patient: _FilePatient, row: dict[str, str]) -> dict[str, str]:
    """Patient columns that differ from the patient's first row (the NHS number is the match)."""
    columns = ("first_name", "last_name", "date_of_birth", "mobile", "reminder_time",
               "sms_consent", "fracture_date", "discreet", "nurse_email")  # fmt: skip
    return {
        column: f"differs from line {patient.line}, the first row for this NHS number"
        for column in columns if _same(row[column]) != _same(patient.values[column])
    }


def _same(typed: str) -> str:
    """A value as compared between rows: case and spacing do not count."""
    return "".join(typed.split()).lower()


def _check_patients(session, patients, service, today, allow_drama, nurses) -> list[RowProblem]:
    """Check each patient once (on its first line), and mobile numbers shared within the file."""
    problems, mobiles = [], {}
    rules = PatientRules(session=session, service=service, today=today, allow_drama=allow_drama)
    for patient in patients:
        values, errors = patient.values, {}
        entry = PatientEntry(
            nhs_number=values["nhs_number"], first_name=values["first_name"],
            last_name=values["last_name"], date_of_birth=_date(values, "date_of_birth", {}),
            mobile=values["mobile"], reminder_time=values["reminder_time"],
            sms_consent=_yes_no(values, "sms_consent", errors, required=True),
            discreet=bool(_yes_no(values, "discreet", errors)),
            named_nurse_id=nurses.get(values["nurse_email"].lower()),
            fracture_date=_date(values, "fracture_date", {}),
        )
        patient.details, found = check_patient(entry, rules, patient.medicines)
        errors |= {name: message for name, message in found.items()
                   if name not in errors and name != "named_nurse_id"
                   and not _unreadable_date(values, name)}  # fmt: skip
        mobile = _e164(values["mobile"], allow_drama)
        first = mobiles.setdefault(mobile, patient.line) if mobile else patient.line
        if first != patient.line and "mobile" not in errors:
            errors["mobile"] = f"is also used on line {first}, for another patient"
        problems += [RowProblem(patient.line, column, message)
                     for column, message in errors.items()]  # fmt: skip
    return problems


def _e164(typed: str, allow_drama: bool) -> str | None:
    try:
        return parse_uk_mobile(typed, allow_drama=allow_drama).e164
    except PhoneNumberError:
        return None


def _unreadable_date(row: dict[str, str], column: str) -> bool:
    """A date column with text that is not a date: already reported on its row."""
    return column in DATE_COLUMNS and bool(row[column]) and _date(row, column, {}) is None


def _date(row: dict[str, str], column: str, errors: dict) -> date | None:
    typed = row[column]
    if not typed:
        return None
    try:
        if len(typed) != len("2026-03-31"):
            raise ValueError(typed)
        return date.fromisoformat(typed)
    except ValueError:
        errors[column] = f"'{typed}' is not a date written YYYY-MM-DD, like 2026-03-31"
        return None


def _yes_no(row: dict[str, str], column: str, errors: dict, required: bool = False):
    typed = row[column].lower()
    if typed in YES:
        return True
    if typed in NO or (not typed and not required):
        return False
    errors[column] = "must be yes or no"
    return None


def _nurses_by_email(session: Session, service: FlsService) -> dict[str, int]:
    rows = session.execute(
        select(StaffMember.email, StaffMember.id).where(
            StaffMember.fls_service_id == service.id, StaffMember.role == Role.NURSE,
            StaffMember.active.is_(True),
        )
    )
    return {email.lower(): staff_id for email, staff_id in rows}


def export_patients(session: Session, service: FlsService, today: date) -> tuple[str, int]:
    """The service's patients' current regimens as CSV in the import format, and the row count."""
    output = io.StringIO(newline="")
    writer = csv_safe.writer(output, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    rows = 0
    for row in patient_rows(session, service, today):
        writer.writerow(row)
        rows += 1
    return output.getvalue(), rows


def write_patients_csv(session: Session, service: FlsService, today: date, path: Path) -> int:
    """Write the export to `path`, beside it first and renamed into place; the row count."""
    rows = patient_rows(session, service, today)
    return csv_safe.write_csv_atomically(path, EXPORT_COLUMNS, rows)


def patient_rows(session: Session, service: FlsService, today: date) -> Iterator[list[str]]:
    """One row a current regimen of each of the service's patients, by name."""
    patients = session.scalars(
        select(Patient).where(Patient.fls_service_id == service.id)
        .options(selectinload(Patient.regimens), selectinload(Patient.named_nurse))
        .order_by(Patient.last_name, Patient.first_name, Patient.id)
    )  # fmt: skip
    for patient in patients:
        for regimen in patient.regimens:
            if regimen.is_current(today):
                yield _export_row(patient, regimen)


def _export_row(patient: Patient, regimen) -> list[str]:
    def iso(day: date | None) -> str:
        return day.isoformat() if day else ""

    return [
        patient.nhs_number, patient.first_name, patient.last_name, iso(patient.date_of_birth),
        patient.mobile, regimen.medicine, iso(regimen.first_dose_date),
        patient.reminder_time.strftime("%H:%M"), "yes" if patient.sms_consent else "no",
        iso(patient.fracture_date), iso(regimen.last_given_date),
        "yes" if patient.discreet else "no",
        patient.named_nurse.email if patient.named_nurse else "", patient.status,
    ]
