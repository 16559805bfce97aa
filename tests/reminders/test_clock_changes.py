"""The two 2027 clock-change days, with time frozen by time_machine: a 09:00 reminder is
09:00 UK time (08:00 UTC in summer, 09:00 UTC in winter), none lost or doubled, with
`flask reminders plan` run every hour through the night of the change."""

from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from tests.reminders.factories import create_patient, create_regimen
from webapp.clock import to_uk
from webapp.models.reminders import Reminder
from webapp.reminders.sending_times import SendingRules

SPRING = date(2027, 3, 28)  # clocks go forward at 01:00 UTC
AUTUMN = date(2027, 10, 31)  # clocks go back at 01:00 UTC


def _daily_patient_at_nine(database, first_dose: date):
    patient = create_patient(database, medicine=None, reminder_time=time(9, 0))
    create_regimen(database, patient, "teriparatide_daily", first_dose, daily_texts=True)
    database.commit()
    return patient


def _plan_every_hour(runner, start: datetime, hours: int) -> None:
    """Run `flask reminders plan --days 3` every hour from `start` (UTC)."""
    for step in range(hours):
        moment = (start + timedelta(hours=step)).replace(tzinfo=UTC)
        with time_machine.travel(moment, tick=False):
            result = runner.invoke(args=["reminders", "plan", "--days", "3"])
            assert result.exit_code == 0, result.output


def _check_ins(database) -> list[Reminder]:
    query = select(Reminder).where(Reminder.kind == "check_in").order_by(Reminder.send_at)
    return list(database.scalars(query))


def test_the_spring_change_loses_and_doubles_nothing(database, runner):
    _daily_patient_at_nine(database, date(2027, 3, 20))
    _plan_every_hour(runner, datetime(2027, 3, 27, 0, 0), hours=28)
    database.expire_all()
    check_ins = _check_ins(database)
    assert [item.send_at for item in check_ins] == [
        datetime(2027, 3, 27, 9, 0),  # winter: 09:00 UK is 09:00 UTC
        datetime(2027, 3, 28, 8, 0),  # summer from the change day on: 08:00 UTC
        datetime(2027, 3, 29, 8, 0),
        datetime(2027, 3, 30, 8, 0),
        datetime(2027, 3, 31, 8, 0),
    ]
    assert [item.due_on for item in check_ins] == [
        SPRING + timedelta(days=n) for n in (-1, 0, 1, 2, 3)
    ]
    assert {to_uk(item.send_at).time() for item in check_ins} == {time(9, 0)}


def test_the_autumn_change_loses_and_doubles_nothing(database, runner):
    _daily_patient_at_nine(database, date(2027, 10, 20))
    _plan_every_hour(runner, datetime(2027, 10, 30, 0, 0), hours=28)
    database.expire_all()
    check_ins = _check_ins(database)
    assert [item.send_at for item in check_ins] == [
        datetime(2027, 10, 30, 8, 0),  # summer: 08:00 UTC
        datetime(2027, 10, 31, 9, 0),  # winter from the change day on: 09:00 UTC
        datetime(2027, 11, 1, 9, 0),
        datetime(2027, 11, 2, 9, 0),
        datetime(2027, 11, 3, 9, 0),
    ]
    assert [item.due_on for item in check_ins] == [
        AUTUMN + timedelta(days=n) for n in (-1, 0, 1, 2, 3)
    ]
    assert {to_uk(item.send_at).time() for item in check_ins} == {time(9, 0)}


def test_planned_on_the_change_night_itself_the_days_reminder_is_there_once(database, runner):
    """Planning during the missing hour (01:00 UTC on 28 March is 02:00 BST)."""
    _daily_patient_at_nine(database, date(2027, 3, 1))
    with time_machine.travel(datetime(2027, 3, 28, 1, 15, tzinfo=UTC), tick=False):
        assert runner.invoke(args=["reminders", "plan", "--days", "0"]).exit_code == 2
        assert runner.invoke(args=["reminders", "plan", "--days", "1"]).exit_code == 0
    database.expire_all()
    assert [(item.due_on, item.send_at) for item in _check_ins(database)] == [
        (SPRING, datetime(2027, 3, 28, 8, 0)), (date(2027, 3, 29), datetime(2027, 3, 29, 8, 0))
    ]  # fmt: skip


def test_a_welcome_planned_in_the_night_of_a_change_waits_for_07_00_uk_time(database, runner):
    _daily_patient_at_nine(database, date(2027, 3, 1))
    with time_machine.travel(datetime(2027, 3, 28, 0, 30, tzinfo=UTC), tick=False):
        assert runner.invoke(args=["reminders", "plan", "--days", "1"]).exit_code == 0
    welcome = database.scalar(select(Reminder).where(Reminder.kind == "welcome"))
    assert welcome.send_at == datetime(2027, 3, 28, 6, 0)  # 07:00 BST
    assert welcome.due_on == SPRING


def test_the_sending_hours_keep_reminders_out_of_the_changing_hour():
    rules = SendingRules(reminder_time=time(1, 30), starts=time(7, 0), ends=time(21, 0))
    assert rules.time_for() == time(7, 0)
    assert to_uk(rules.send_at(SPRING)).time() == time(7, 0)
    assert to_uk(rules.send_at(AUTUMN)).time() == time(7, 0)


def test_even_hours_that_hold_the_changing_hour_lose_and_double_nothing():
    """A service set to send from midnight: 01:30 on the spring day does not exist, so the
    reminder goes at 02:30 BST; 01:30 on the autumn day happens twice, so it goes the first."""
    rules = SendingRules(reminder_time=time(1, 30), starts=time(0, 0), ends=time(23, 59))
    assert rules.send_at(SPRING) == datetime(2027, 3, 28, 1, 30)  # 02:30 BST
    assert rules.send_at(AUTUMN) == datetime(2027, 10, 31, 0, 30)  # the first 01:30, BST
