"""`flask sms export`: one row a message in and out, in time order, and `flask reminders
export`'s outcome and late columns filled by replies; on SQLite and PostgreSQL."""

import csv
from datetime import date, datetime, timedelta

from tests.reminders.factories import create_patient, create_service
from tests.reminders.inbound_support import reply, sent_text

SENT = datetime(2027, 3, 29, 8, 0)  # 09:00 BST
NOW = SENT + timedelta(minutes=30)


def _read(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _conversation(database, service=None):
    patient = create_patient(database, service=service, nhs_number="9434765919")
    message, [dose] = sent_text(database, patient, [(patient.regimens[0], "dose", SENT.date())],
                                SENT)  # fmt: skip
    message.provider_sid = f"OUTBOX{message.id}"
    database.commit()
    reply(database, patient, "taken but my jaw hurts", NOW)
    return patient, dose


def test_every_message_in_and_out_in_time_order(database, runner, tmp_path):
    _conversation(database)
    reply(database, "+447700900999", "hello", NOW + timedelta(minutes=1))
    output = tmp_path / "sms.csv"
    result = runner.invoke(args=["sms", "export", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 5 messages to {output}.\n"
    rows = _read(output)
    assert list(rows[0]) == ["time", "direction", "nhs_number", "kind", "outcome", "urgent",
                             "status"]  # fmt: skip
    assert [list(row.values()) for row in rows] == [
        ["2027-03-29T09:00:00+01:00", "out", "9434765919", "dose", "", "no", "outbox"],
        ["2027-03-29T09:30:00+01:00", "in", "9434765919", "reply", "side_effect", "yes",
         "received"],
        ["2027-03-29T09:30:00+01:00", "out", "9434765919", "answer", "", "no", "sent"],
        ["2027-03-29T09:31:00+01:00", "in", "", "reply", "unclear", "no", "received"],
        ["2027-03-29T09:31:00+01:00", "out", "", "answer", "", "no", "sent"],
    ]  # fmt: skip
    text = output.read_text()
    assert "jaw" not in text and "+44" not in text  # no body, no number


def test_one_services_export_leaves_out_others_and_unknown_numbers(database, runner, tmp_path):
    mine = create_service(database, name="Mine FLS")
    _conversation(database, service=mine)
    other = create_patient(database)
    sent_text(database, other, [(other.regimens[0], "dose", SENT.date())], SENT)
    database.commit()
    reply(database, "+447700900999", "hello", NOW)
    output = tmp_path / "mine.csv"
    result = runner.invoke(args=["sms", "export", "-o", str(output), "--service", "Mine FLS"])
    assert result.exit_code == 0, result.output
    assert {row["nhs_number"] for row in _read(output)} == {"9434765919"}


def test_a_twilio_status_is_written_in_lower_case_and_defused(database, runner, tmp_path):
    patient = create_patient(database)
    message, _ = sent_text(database, patient, [(patient.regimens[0], "dose", SENT.date())], SENT)
    message.status = "=cmd|x"
    database.commit()
    output = tmp_path / "safe.csv"
    runner.invoke(args=["sms", "export", "-o", str(output)])
    assert _read(output)[0]["status"] == "'=cmd|x"


def test_a_missing_folder_or_unknown_service_is_a_clear_error(database, runner, tmp_path):
    result = runner.invoke(args=["sms", "export", "-o", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 1 and "There is no folder" in result.output
    result = runner.invoke(args=["sms", "export", "-o", str(tmp_path / "x.csv"),
                                 "--service", "No Such Service"])  # fmt: skip
    assert result.exit_code == 1 and "No service has the id or name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_reminders_export_shows_the_replys_outcome_and_whether_it_was_late(database, runner,
                                                                           tmp_path):
    patient, dose = _conversation(database)
    late_patient = create_patient(database, nhs_number="9434765870")
    regimen = late_patient.regimens[0]
    sent_text(database, late_patient, [(regimen, "dose", date(2027, 3, 29))], SENT)
    sent_text(database, late_patient, [(regimen, "follow_up", date(2027, 3, 29))],
              SENT + timedelta(days=1))  # fmt: skip
    database.commit()
    reply(database, late_patient, "no", SENT + timedelta(days=1, hours=2))
    output = tmp_path / "reminders.csv"
    assert runner.invoke(args=["reminders", "export", "-o", str(output)]).exit_code == 0
    rows = {(row["nhs_number"], row["kind"]): row for row in _read(output)}
    assert (rows["9434765919", "dose"]["outcome"], rows["9434765919", "dose"]["late"]) == (
        "taken", "no")
    assert (rows["9434765870", "dose"]["outcome"], rows["9434765870", "dose"]["late"]) == (
        "missed", "yes")
