"""The schedule table's jobs and `flask reminders dispatch`, through the real CLI."""

import logging
from datetime import UTC

import pytest
import time_machine

from tests.reminders.dispatch_support import (
    NOW,
    MemoryGateway,
    add_reminder,
    create_patient,
    messages,
    statuses,
)
from webapp.reminders import jobs


@pytest.fixture
def frozen():
    with time_machine.travel(NOW.replace(tzinfo=UTC), tick=False):
        yield


def test_dispatch_command_sends_whats_due_through_the_outbox_and_says_so(
    database, runner, frozen
):
    patient = create_patient(database)
    add_reminder(database, patient)
    add_reminder(database, create_patient(database, status="paused"))

    result = runner.invoke(args=["reminders", "dispatch"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "1 sent, 0 expired, 1 skipped, 0 failed, 0 needing a check, 0 waiting to retry, "
        "0 awaiting an answer\n"
    )
    (message,) = messages(database)
    assert (message.status, message.provider_sid) == ("sent", f"OUTBOX{message.id}")
    again = runner.invoke(args=["reminders", "dispatch"])
    assert again.output.startswith("0 sent, 0 expired, 0 skipped")


class BrokenGateway(MemoryGateway):
    def send(self, text):
        raise ConnectionError("socket closed")


def test_dispatch_command_explains_a_broken_gateway_without_a_traceback(
    app, database, runner, frozen
):
    add_reminder(database, create_patient(database))
    add_reminder(database, create_patient(database))
    app.extensions["sms_gateway"] = BrokenGateway()

    result = runner.invoke(args=["reminders", "dispatch"])

    assert result.exit_code == 1
    assert "Sending stopped: ConnectionError. Texts not yet sent stay planned" in result.output
    assert "Traceback" not in result.output
    assert statuses(database) == {"sending": 1, "planned": 1}


def test_each_job_logs_one_summary_line(app, database, caplog, frozen):
    add_reminder(database, create_patient(database))
    app.extensions["sms_gateway"] = MemoryGateway()
    caplog.set_level(logging.INFO, logger="webapp.reminders.jobs")

    counts = jobs.run_job(app, jobs.job_named("dispatch"))

    assert counts["sent"] == 1
    (line,) = [r for r in caplog.records if r.name == "webapp.reminders.jobs"]
    assert line.getMessage().startswith("Job dispatch: 1 sent, 0 expired, 0 skipped, 0 failed")
    assert (line.job, line.sent, line.needing_a_check) == ("dispatch", 1, 0)


@pytest.mark.parametrize("job", jobs.SCHEDULE, ids=lambda job: job.name)
def test_every_job_runs_twice_in_a_row_harmlessly(app, database, job, frozen):
    patient = create_patient(database)
    add_reminder(database, patient)
    gateway = app.extensions["sms_gateway"] = MemoryGateway()
    first = jobs.run_job(app, job)
    after_first = (statuses(database), [(m.id, m.status) for m in messages(database)])
    second = jobs.run_job(app, job)
    assert set(first) == set(second)
    assert (statuses(database), [(m.id, m.status) for m in messages(database)]) == after_first
    assert len(gateway.sent) == (1 if job.name == "dispatch" else 0)


def test_the_plan_job_plans_what_dispatch_then_sends(app, database, frozen):
    patient = create_patient(database)
    app.extensions["sms_gateway"] = gateway = MemoryGateway()
    planned = jobs.run_job(app, jobs.job_named("plan-ahead"))
    assert planned["planned"] > 0 and planned["patients"] == 1
    assert jobs.run_job(app, jobs.job_named("plan-ahead"))["planned"] == 0  # twice: harmless
    jobs.run_job(app, jobs.job_named("dispatch"))
    (text, _), = gateway.sent
    assert text.to == patient.mobile and "STOP" in text.body


def test_the_schedule_names_each_job_once_with_a_trigger():
    names = [job.name for job in jobs.SCHEDULE]
    assert len(names) == len(set(names))
    assert set(names) == {"plan-ahead", "dispatch", "follow-ups", "sweep-messages",
                          "forget-replies", "refresh-measures", "refresh-all-measures"}  # fmt: skip
    assert all(job.trigger["trigger"] in {"interval", "cron"} for job in jobs.SCHEDULE)
    with pytest.raises(KeyError):
        jobs.job_named("no-such-job")
