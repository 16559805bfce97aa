"""`flask patients import` and `flask patients export`, through the real command line."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.accounts.factories import create_fls_service
from webapp.clock import uk_today
from webapp.models.patients import Patient
from webapp.patients.csv_io import COLUMNS

FIRST_DOSE = (uk_today() - timedelta(days=5)).isoformat()
GOOD = (",".join(COLUMNS) + "\n"
        f"9434765919,Agnes,Example,1946-05-17,07700 900501,risedronate_weekly,{FIRST_DOSE},"
        "09:00,yes,,,no,\n")  # fmt: skip


def _count(database) -> int:
    return database.scalar(select(func.count()).select_from(Patient))


def test_import_by_name_then_export_by_id(runner, database, tmp_path):
    service = create_fls_service(database, name="CLI FLS")
    path = tmp_path / "patients.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["patients", "import", str(path), "--service", "CLI FLS"])
    assert result.exit_code == 0, result.output
    assert "1 patients enrolled, with 1 medicines" in result.output
    assert _count(database) == 1
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["patients", "export", "--service", str(service.id),
                                 "--output", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wrote 1 rows" in result.output
    exported = out.read_text(encoding="utf-8")
    assert "+447700900501" in exported and exported.splitlines()[1].endswith(",active")


def test_a_bad_file_lists_every_line_and_imports_nothing(runner, database, tmp_path):
    create_fls_service(database, name="CLI FLS")
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "9434765918,Bert,Example,1946-05-17,07700 900502,"
                    f"risedronate_weekly,{FIRST_DOSE},09:00,perhaps,,,no,\n")  # fmt: skip
    result = runner.invoke(args=["patients", "import", str(path), "--service", "CLI FLS"])
    assert result.exit_code == 1
    assert "Line 3, nhs_number: This is not a valid NHS number" in result.output
    assert "Line 3, sms_consent: must be yes or no" in result.output
    assert "bad.csv has 2 problems. Nothing was imported." in result.output
    assert _count(database) == 0


def test_an_unknown_or_ambiguous_service_is_refused(runner, database, tmp_path):
    create_fls_service(database, name="Twin FLS")
    create_fls_service(database, name="Twin FLS")
    path = tmp_path / "patients.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["patients", "import", str(path), "--service", "Nowhere"])
    assert result.exit_code == 1
    assert "No service has the id or name 'Nowhere'" in result.output
    result = runner.invoke(args=["patients", "import", str(path), "--service", "Twin FLS"])
    assert "More than one service is called 'Twin FLS'" in result.output
    result = runner.invoke(args=["patients", "export", "--service", "999", "--output",
                                 str(tmp_path / "x.csv")])  # fmt: skip
    assert result.exit_code == 1
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("typed", ["²", "１２", "99999999999999999999", "-1", ""])
def test_a_service_no_record_could_have_is_a_clear_error(runner, database, tmp_path, typed):
    result = runner.invoke(args=["patients", "export", "--service", typed, "--output",
                                 str(tmp_path / "x.csv")])  # fmt: skip
    assert result.exit_code == 1
    assert f"No service has the id or name {typed!r}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_export_to_a_missing_folder_is_a_clear_error(runner, database, tmp_path):
    service = create_fls_service(database, name="CLI FLS")
    missing = tmp_path / "no-such-folder" / "patients.csv"
    result = runner.invoke(args=["patients", "export", "--service", str(service.id),
                                 "--output", str(missing)])  # fmt: skip
    assert result.exit_code == 1
    assert f"There is no folder {missing.parent}" in result.output
    assert not missing.parent.exists()


def test_an_unreadable_file_is_refused_whole(runner, database, tmp_path):
    create_fls_service(database, name="CLI FLS")
    path = tmp_path / "patients.csv"
    path.write_bytes(b"\x00\x01")
    result = runner.invoke(args=["patients", "import", str(path), "--service", "CLI FLS"])
    assert result.exit_code == 1
    assert "not a CSV text file" in result.output


def test_seed_demo_adds_about_thirty_made_up_patients_once(runner, database):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    assert "Example patients: 30 added, 0 already there." in first.output
    second = runner.invoke(args=["seed", "demo"])
    assert "Example patients: 0 added, 30 already there." in second.output
    patients = database.scalars(select(Patient)).all()
    assert len(patients) == 30
    assert all(patient.mobile.startswith("+447700900") for patient in patients)
    assert all(patient.nhs_number.startswith("999") for patient in patients)
    assert {patient.status for patient in patients} == {"active", "paused", "opted_out",
                                                        "discharged"}  # fmt: skip
    medicines = {regimen.medicine for patient in patients for regimen in patient.regimens}
    assert len(medicines) == 8
    service = patients[0].fls_service
    assert service.sms_name == "Example FLS"
    nurse_services = {patient.named_nurse.fls_service_id for patient in patients
                      if patient.named_nurse}  # fmt: skip
    assert nurse_services == {service.id}
