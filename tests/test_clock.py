"""The one clock: UTC for storing, UK dates and wall-clock times for people, both clock changes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from webapp.clock import UK_TIME, to_uk, uk_now, uk_today, uk_wall_clock, utc_from_uk, utc_now

# 2027: the clocks go forward at 01:00 UTC on 28 March and back at 01:00 UTC on 31 October.
SPRING_FORWARD = date(2027, 3, 28)
FALL_BACK = date(2027, 10, 31)


@time_machine.travel(datetime(2027, 7, 14, 22, 59, 59, tzinfo=UTC), tick=False)
def test_summer_today_is_still_the_day_before_until_utc_2300():
    assert utc_now() == datetime(2027, 7, 14, 22, 59, 59)
    assert utc_now().tzinfo is None
    assert uk_today() == date(2027, 7, 14)
    assert uk_now() == datetime(2027, 7, 14, 23, 59, 59, tzinfo=UK_TIME)


@time_machine.travel(datetime(2027, 7, 14, 23, 0, tzinfo=UTC), tick=False)
def test_summer_midnight_in_the_uk_comes_an_hour_before_midnight_utc():
    assert uk_today() == date(2027, 7, 15)
    assert utc_now().date() == date(2027, 7, 14)


@time_machine.travel(datetime(2027, 1, 14, 23, 59, 59, tzinfo=UTC), tick=False)
def test_winter_today_changes_at_utc_midnight():
    assert uk_today() == date(2027, 1, 14)
    assert uk_now().utcoffset() == timedelta(0)


@time_machine.travel(datetime(2027, 1, 15, 0, 0, tzinfo=UTC), tick=False)
def test_winter_uk_midnight_is_utc_midnight():
    assert uk_today() == date(2027, 1, 15)


def test_today_and_now_take_an_explicit_moment_instead_of_the_real_clock():
    assert uk_today(datetime(2027, 7, 14, 23, 30)) == date(2027, 7, 15)
    assert uk_today(datetime(2027, 1, 14, 23, 30)) == date(2027, 1, 14)
    assert uk_now(datetime(2027, 7, 14, 8, 0)).hour == 9


@pytest.mark.parametrize(
    ("day", "wall_clock", "expected_utc"),
    [
        (date(2027, 1, 14), time(9, 0), datetime(2027, 1, 14, 9, 0)),
        (date(2027, 7, 14), time(9, 0), datetime(2027, 7, 14, 8, 0)),
        # Spring: 00:59 GMT is the last minute before the gap.
        (SPRING_FORWARD, time(0, 59), datetime(2027, 3, 28, 0, 59)),
        # 01:30 does not exist that day: read as 02:30 BST, which is 01:30 UTC.
        (SPRING_FORWARD, time(1, 30), datetime(2027, 3, 28, 1, 30)),
        (SPRING_FORWARD, time(2, 30), datetime(2027, 3, 28, 1, 30)),
        (SPRING_FORWARD, time(9, 0), datetime(2027, 3, 28, 8, 0)),
        # Autumn: 01:30 happens twice (BST, then GMT); the first is 00:30 UTC.
        (FALL_BACK, time(1, 30), datetime(2027, 10, 31, 0, 30)),
        (FALL_BACK, time(0, 30), datetime(2027, 10, 30, 23, 30)),
        (FALL_BACK, time(2, 0), datetime(2027, 10, 31, 2, 0)),
        (FALL_BACK, time(9, 0), datetime(2027, 10, 31, 9, 0)),
    ],
)
def test_utc_from_uk(day, wall_clock, expected_utc):
    assert utc_from_uk(day, wall_clock) == expected_utc


def test_a_time_in_the_spring_gap_is_shown_after_two_oclock():
    moment = utc_from_uk(SPRING_FORWARD, time(1, 30))
    assert uk_wall_clock(moment) == time(2, 30)
    assert to_uk(moment).utcoffset() == timedelta(hours=1)


def test_the_repeated_autumn_time_is_the_first_of_the_two():
    first = utc_from_uk(FALL_BACK, time(1, 30))
    second = first + timedelta(hours=1)
    assert uk_wall_clock(first) == uk_wall_clock(second) == time(1, 30)
    assert to_uk(first).utcoffset() == timedelta(hours=1)
    assert to_uk(second).utcoffset() == timedelta(0)


@pytest.mark.parametrize("day", [date(2027, 1, 14), date(2027, 7, 14), FALL_BACK])
def test_every_wall_clock_minute_that_exists_round_trips(day):
    # On the autumn day every minute exists (01:00-01:59 twice); the first is chosen.
    for minutes in range(0, 24 * 60, 7):
        wall_clock = time(minutes // 60, minutes % 60)
        moment = utc_from_uk(day, wall_clock)
        assert moment.tzinfo is None
        assert to_uk(moment).date() == day
        assert uk_wall_clock(moment) == wall_clock


def test_every_utc_minute_round_trips_through_uk_time_across_both_changes():
    for start in (datetime(2027, 3, 27, 22, 0), datetime(2027, 10, 30, 22, 0)):
        for minutes in range(0, 6 * 60, 5):
            moment = start + timedelta(minutes=minutes)
            local = to_uk(moment)
            assert local.tzinfo is UK_TIME
            assert local.astimezone(UTC).replace(tzinfo=None) == moment
