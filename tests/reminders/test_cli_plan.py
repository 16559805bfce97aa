"""`flask reminders plan`: plans ahead by the configured days, prints and logs what it did."""

import logging
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from tests.reminders.factories import create_patient
from webapp.models.reminders import Reminder

NOW = datetime(2027, 1, 5, 6, 0, tzinfo=UTC)


def _count(database, **where) -> int:
    return database.scalar(select(func.count()).select_from(Reminder).filter_by(**where))


@pytest.fixture
def app_log(caplog):
    """Records of the app's logger, which does not propagate to the root.

    The migrations' logging set-up (fileConfig in migrations/env.py, run by the test
    databases) disables loggers that existed before it, so this one is switched back on.
    """
    logger = logging.getLogger("webapp")
    logging.getLogger("webapp.cli.reminders").disabled = False
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_plan_uses_the_configured_days_and_says_what_it_did(app, database, runner, app_log):
    create_patient(database, mobile="+447700900123", first_dose_date=date(2027, 1, 4))
    database.commit()
    app.config["REMINDER_PLAN_DAYS"] = 7
    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(args=["reminders", "plan"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Planned reminders for the next 7 days:",
        "1 patients, 1 regimens, 2 planned, 0 replanned, 1 welcomes, 0 follow_ups, "
        "0 answered, 0 no_response",
    ]
    database.expire_all()
    assert _count(database, kind="dose") == 1 and _count(database, kind="welcome") == 1
    (record,) = [item for item in app_log.records if item.name == "webapp.cli.reminders"]
    assert (record.job, record.days, record.planned, record.patients) == ("reminders.plan", 7, 2, 1)
    assert "900123" not in record.getMessage()


def test_days_on_the_command_line_win_over_the_setting(database, runner):
    create_patient(database, first_dose_date=date(2027, 1, 4))
    database.commit()
    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(args=["reminders", "plan", "--days", "21"])
    assert result.exit_code == 0, result.output
    assert "next 21 days" in result.output
    database.expire_all()
    assert _count(database, kind="dose") == 3


def test_planning_twice_from_the_command_line_adds_nothing(database, runner):
    create_patient(database, first_dose_date=date(2027, 1, 4))
    database.commit()
    with time_machine.travel(NOW, tick=False):
        runner.invoke(args=["reminders", "plan"])
        again = runner.invoke(args=["reminders", "plan"])
    assert again.exit_code == 0
    assert "1 patients, 1 regimens, 0 planned, 0 replanned, 0 welcomes" in again.output
    database.expire_all()
    assert _count(database) == 3  # the welcome and the doses of 11 and 18 January


def test_a_bad_number_of_days_is_refused_with_a_clear_message(database, runner):
    result = runner.invoke(args=["reminders", "plan", "--days", "none"])
    assert result.exit_code == 2
    assert "'none' is not a valid integer" in result.output
    result = runner.invoke(args=["reminders", "plan", "--days", "400"])
    assert result.exit_code == 2
    assert "400 is not in the range 1<=x<=366" in result.output
    assert _count(database) == 0


def test_the_default_plans_two_weeks_ahead(app):
    assert app.config["REMINDER_PLAN_DAYS"] == 14
