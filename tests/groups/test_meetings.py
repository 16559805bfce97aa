"""Next meeting dates from a listing's repeat rule."""

from datetime import date, time

import pytest

from webapp.groups.meetings import (
    LAST,
    clock_time,
    next_meeting,
    nth_weekday,
    parse_skip_months,
    tidy_times,
    upcoming_meetings,
    week_of_month,
)

NONE = frozenset()


def test_a_one_off_date_is_next_until_it_passes():
    anchor = date(2025, 10, 21)
    assert next_meeting(anchor, "none", NONE, date(2025, 10, 1)) == anchor
    assert next_meeting(anchor, "none", NONE, anchor) == anchor
    assert next_meeting(anchor, "none", NONE, date(2025, 10, 22)) is None


def test_no_date_means_no_meeting_known():
    assert next_meeting(None, "monthly", NONE, date(2025, 10, 1)) is None


def test_third_tuesday_every_month_skipping_august():
    # Durham's pattern: the third Tuesday of each month, not August.
    anchor = date(2025, 6, 17)  # a third Tuesday
    upcoming = upcoming_meetings(anchor, "monthly", frozenset({8}), date(2025, 7, 1), count=3)
    assert upcoming == [date(2025, 7, 15), date(2025, 9, 16), date(2025, 10, 21)]
    assert all(day.weekday() == 1 for day in upcoming)


def test_weekly_and_fortnightly_step_by_days():
    anchor = date(2025, 1, 6)
    assert next_meeting(anchor, "weekly", NONE, date(2025, 1, 7)) == date(2025, 1, 13)
    assert next_meeting(anchor, "fortnightly", NONE, date(2025, 1, 7)) == date(2025, 1, 20)


def test_every_six_months_keeps_the_weekday_of_the_month():
    anchor = date(2025, 3, 5)  # first Wednesday of March
    assert next_meeting(anchor, "every-6-months", NONE, date(2025, 3, 6)) == date(2025, 9, 3)


def test_a_fifth_weekday_becomes_the_last_of_later_months():
    anchor = date(2025, 9, 30)  # fifth (last) Tuesday of September
    assert week_of_month(anchor) == LAST
    assert next_meeting(anchor, "monthly", NONE, date(2025, 10, 1)) == date(2025, 10, 28)


def test_a_years_old_weekly_anchor_still_gives_the_next_date():
    assert next_meeting(date(2020, 1, 1), "weekly", NONE, date(2025, 10, 1)) == date(2025, 10, 1)


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2025, 10, 1, 3, date(2025, 10, 21)),
        (2025, 2, 4, LAST, date(2025, 2, 28)),
        (2024, 2, 3, LAST, date(2024, 2, 29)),
        (2025, 6, 6, 1, date(2025, 6, 1)),
    ],
)
def test_nth_weekday(year, month, weekday, week, expected):
    assert nth_weekday(year, month, weekday, week) == expected


def test_stored_skip_months_are_read_back():
    assert parse_skip_months("8,12") == {8, 12}
    assert parse_skip_months("") == set()


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (time(19, 30), "7:30pm"), (time(21), "9pm"), (time(9), "9am"), (time(10, 5), "10:05am"),
        (time(12), "midday"), (time(12, 30), "12:30pm"), (time(0), "midnight"),
        (time(0, 15), "12:15am"),
    ],
)  # fmt: skip
def test_meeting_times_are_written_as_people_say_them(value, said):
    assert clock_time(value) == said


@pytest.mark.parametrize(
    "written, shown",
    [
        ("Third Tuesday of the month, 7.30pm to 9pm", "Third Tuesday of the month, 7:30pm to 9pm"),
        ("10.30am to 12pm", "10:30am to midday"),
        ("2 pm to 3:30 p.m.", "2pm to 3:30pm"),
        ("Weekdays 9AM to 5.00PM", "Weekdays 9am to 5pm"),
        ("Room 12, 2nd floor, open 24 hours", "Room 12, 2nd floor, open 24 hours"),
        ("Meets at 13.30pm", "Meets at 13.30pm"),  # not a time: left as written
    ],
)
def test_times_in_a_listings_words_are_written_one_way(written, shown):
    assert tidy_times(written) == shown
