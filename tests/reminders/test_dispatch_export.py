"""`flask reminders export`: one row a reminder, UK times with their offset, safe cells."""

import csv
from datetime import datetime

from tests.reminders.dispatch_support import NOW, MemoryGateway, add_reminder, create_patient
from webapp.reminders.dispatch import DispatchSettings, send_due_reminders

SUMMER = datetime(2027, 3, 28, 8, 0)  # 09:00 in London: British Summer Time began that night


def _read(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _sent_and_planned(database):
    from sqlalchemy.orm import sessionmaker

    from webapp.extensions import db

    patient = create_patient(database, nhs_number="9434765919")
    add_reminder(database, patient)
    add_reminder(database, patient, kind="book", send_at=SUMMER)
    send_due_reminders(sessionmaker(db.engine), MemoryGateway(), NOW,
                       DispatchSettings(max_per_second=0), lambda: NOW)  # fmt: skip
    return patient


def test_export_writes_one_row_a_reminder_with_uk_times(database, runner, tmp_path):
    _sent_and_planned(database)
    output = tmp_path / "reminders.csv"

    result = runner.invoke(args=["reminders", "export", "--output", str(output)])

    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 2 reminders to {output}.\n"
    sent, planned = _read(output)
    assert list(sent) == ["nhs_number", "medicine", "kind", "due_at", "status", "sent_at",
                          "provider_sid", "error_code", "outcome", "late"]  # fmt: skip
    assert sent["nhs_number"] == "9434765919" and sent["medicine"] == "alendronic_acid_weekly"
    assert (sent["kind"], sent["status"]) == ("dose", "sent")
    assert sent["due_at"] == sent["sent_at"] == "2027-03-10T09:00:00+00:00"
    assert sent["provider_sid"].startswith("SM") and sent["error_code"] == sent["outcome"] == ""
    assert (planned["kind"], planned["status"], planned["sent_at"]) == ("book", "planned", "")
    assert sent["late"] == planned["late"] == "no"
    assert planned["due_at"] == "2027-03-28T09:00:00+01:00"
    assert [p.name for p in tmp_path.iterdir()] == ["reminders.csv"]  # no temporary file left


def test_export_of_one_service_by_id_or_name(database, runner, tmp_path):
    mine = create_patient(database)
    other = create_patient(database)
    add_reminder(database, mine)
    add_reminder(database, other)
    output = tmp_path / "one.csv"
    for service in (str(mine.fls_service.id), mine.fls_service.name):
        arguments = ["reminders", "export", "-o", str(output), "--service", service]
        result = runner.invoke(args=arguments)
        assert result.exit_code == 0, result.output
        assert [row["nhs_number"] for row in _read(output)] == [mine.nhs_number]


def test_cells_that_would_run_as_formulas_are_defused(database, runner, tmp_path):
    patient = create_patient(database)
    add_reminder(database, patient, outcome="=HYPERLINK(\"x\")")
    output = tmp_path / "safe.csv"
    runner.invoke(args=["reminders", "export", "-o", str(output)])
    assert _read(output)[0]["outcome"] == "'=HYPERLINK(\"x\")"


def test_an_unknown_service_is_a_clear_error_and_leaves_the_old_file(database, runner, tmp_path):
    output = tmp_path / "kept.csv"
    output.write_text("an earlier export\n")
    for service in ("No Such Service", "12345678901234567890"):
        arguments = ["reminders", "export", "-o", str(output), "--service", service]
        result = runner.invoke(args=arguments)
        assert result.exit_code == 1
        assert f"No service has the id or name '{service}'" in result.output
        assert "Traceback" not in result.output
    assert output.read_text() == "an earlier export\n"


def test_a_bad_path_is_a_clear_error(database, runner, tmp_path):
    missing = tmp_path / "no-such-folder" / "reminders.csv"
    result = runner.invoke(args=["reminders", "export", "-o", str(missing)])
    assert result.exit_code == 1
    assert f"There is no folder {missing.parent}" in result.output
    folder = runner.invoke(args=["reminders", "export", "-o", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.output
    too_long = tmp_path / ("r" * 300 + ".csv")
    unwritable = runner.invoke(args=["reminders", "export", "-o", str(too_long)])
    assert unwritable.exit_code == 1
    assert "Could not write" in unwritable.output and "File name too long" in unwritable.output
    assert "Traceback" not in unwritable.output and list(tmp_path.iterdir()) == []
