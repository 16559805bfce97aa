"""Calendar files for a group's meetings: valid RFC 5545 that calendar apps read, with the
group's repeat rule, so the meetings a calendar shows are the ones the finder lists."""

from datetime import UTC, date, datetime, time

import icalendar
import pytest
from dateutil.rrule import rrulestr

from tests.groups.factories import create_group, online_values
from webapp.groups.ics import calendar_file, group_meeting_calendar, meeting_event, repeat_rule
from webapp.groups.meetings import upcoming_meetings

NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


def _event(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def _one(on=date(2026, 1, 20), starts_at=time(19, 30), ends_at=None, rule=None, **text):
    values = {"summary": "Group", "location": "", "description": "", "url": ""} | text
    event = meeting_event(uid="u@x", on=on, starts_at=starts_at, ends_at=ends_at, now=NOW,
                          rule=rule, **values)  # fmt: skip
    return _event(calendar_file(event))


def _occurrences(event, count: int) -> list[date]:
    """The first `count` meeting dates a calendar app works out from DTSTART and RRULE."""
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    return [moment.date() for moment in rule[:count]]


def test_an_evening_meeting_is_at_its_london_time_in_summer_and_winter(app, database):
    group = create_group(database)
    calendar, event = _event(
        group_meeting_calendar(group, date(2025, 10, 21), NOW, "https://x.example/g/1", "x"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    # 7.30pm in London on 21 October 2025 is British Summer Time: 18:30 UTC.
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2025, 10, 21, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2025, 10, 21, 20, 0, tzinfo=UTC)
    # The time zone travels with the file, so the January meeting is 19:30 UTC, still 7.30pm.
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(event["SUMMARY"]) == "Durham Bone Health Group (example) (example listing)"
    assert str(event["LOCATION"]) == "Hospital education centre, 1 Example Road, Durham, DH1 5TW"
    assert "Third Tuesday" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"support-group-{group.id}@x"


def test_the_file_repeats_as_the_listing_does_skipping_its_months(app, database):
    """Third Tuesday of the month, not in August: the calendar's dates are the finder's."""
    group = create_group(database)
    _, event = _event(group_meeting_calendar(group, date(2025, 10, 21), NOW, "https://x/g", "x"))
    finder = upcoming_meetings(date(2025, 10, 21), "monthly", frozenset({8}), date(2025, 10, 1),
                               count=14)  # fmt: skip
    assert _occurrences(event, 14) == finder
    assert date(2026, 8, 18) not in _occurrences(event, 14)


@pytest.mark.parametrize(
    "repeats, anchor, expected",
    [
        ("weekly", date(2026, 1, 6), "FREQ=WEEKLY;INTERVAL=1"),
        ("fortnightly", date(2026, 1, 6), "FREQ=WEEKLY;INTERVAL=2"),
        ("every-3-months", date(2026, 1, 20), "FREQ=MONTHLY;INTERVAL=3;BYDAY=3TU"),
        # A fifth Thursday is read as the last Thursday of the month, as the finder reads it.
        ("monthly", date(2026, 1, 29), "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1TH"),
    ],
)
def test_each_repeat_rule_becomes_its_rrule(repeats, anchor, expected):
    _, event = _one(on=anchor, rule=repeat_rule(repeats, frozenset(), anchor))
    assert event["RRULE"].to_ical().decode() == expected
    finder = upcoming_meetings(anchor, repeats, frozenset(), anchor, count=12)
    assert _occurrences(event, 12) == finder


def test_a_one_off_meeting_does_not_repeat():
    assert repeat_rule("none", frozenset(), date(2026, 1, 20)) is None
    _, event = _one()
    assert "RRULE" not in event


def test_a_meeting_with_no_end_time_lasts_an_hour_and_a_half():
    _, event = _one()
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 1, 20, 19, 30, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2026, 1, 20, 21, 0, tzinfo=UTC)


def test_a_meeting_without_a_time_is_an_all_day_event_and_text_survives():
    _, event = _one(on=date(2026, 3, 4), starts_at=None, summary="Group, with; awkward \\ text",
                    location="Online", description="Line one\nLine two")  # fmt: skip
    assert event.decoded("DTSTART") == date(2026, 3, 4)
    assert str(event["SUMMARY"]) == "Group, with; awkward \\ text"
    assert str(event["DESCRIPTION"]) == "Line one\nLine two"


def test_lines_are_folded_and_end_with_crlf():
    calendar, _ = _one(description="Café £2 – " * 30)
    data = calendar.to_ical()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_an_online_meeting_is_located_online(app, database):
    group = create_group(database, **online_values())
    _, event = _event(group_meeting_calendar(group, date(2025, 10, 1), NOW, "https://x/g", "x"))
    assert str(event["LOCATION"]) == "Online"
