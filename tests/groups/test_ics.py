"""Calendar files for a group's next meeting: valid RFC 5545 that calendar apps read."""

from datetime import UTC, date, datetime, time

import icalendar

from tests.groups.factories import create_group, online_values
from webapp.groups.ics import (
    calendar_file,
    escape_text,
    fold_line,
    group_meeting_calendar,
    meeting_event_lines,
)

NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


def _event(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_text_is_escaped():
    assert escape_text("Tea, cake; talk\\Q&A\nBring a friend") == (
        "Tea\\, cake\\; talk\\\\Q&A\\nBring a friend"
    )


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "Café £2 – " * 30
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece.removeprefix(" ") if i else piece for i, piece in enumerate(pieces)) == (
        line
    )


def test_an_evening_meeting_in_summer_time_is_converted_to_utc(app, database):
    group = create_group(database)
    data = group_meeting_calendar(group, date(2025, 10, 21), NOW, "https://x.example/g/1", "x")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    calendar, event = _event(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    # 7.30pm in London on 21 October 2025 is British Summer Time: 18:30 UTC.
    assert event.decoded("DTSTART") == datetime(2025, 10, 21, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2025, 10, 21, 20, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Durham Bone Health Group (example) (example listing)"
    assert "Hospital education centre, 1 Example Road, Durham, DH1 5TW" == str(event["LOCATION"])
    assert "Third Tuesday" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith(f"support-group-{group.id}-20251021@")


def test_a_winter_meeting_is_at_the_same_hour_in_utc():
    lines = meeting_event_lines(
        uid="u@x", summary="Group", on=date(2026, 1, 20), starts_at=time(19, 30),
        ends_at=None, location="", description="", url="", now=NOW,
    )  # fmt: skip
    _, event = _event(calendar_file(lines))
    assert event.decoded("DTSTART") == datetime(2026, 1, 20, 19, 30, tzinfo=UTC)
    # No end time given: an hour and a half.
    assert event.decoded("DTEND") == datetime(2026, 1, 20, 21, 0, tzinfo=UTC)


def test_a_meeting_without_a_time_is_an_all_day_event():
    lines = meeting_event_lines(
        uid="u@x", summary="Group, with; awkward \\ text", on=date(2026, 3, 4), starts_at=None,
        ends_at=None, location="Online", description="Line one\nLine two", url="", now=NOW,
    )  # fmt: skip
    _, event = _event(calendar_file(lines))
    assert event.decoded("DTSTART") == date(2026, 3, 4)
    assert str(event["SUMMARY"]) == "Group, with; awkward \\ text"
    assert str(event["DESCRIPTION"]) == "Line one\nLine two"


def test_an_online_meeting_is_located_online(app, database):
    group = create_group(database, **online_values())
    _, event = _event(group_meeting_calendar(group, date(2025, 10, 1), NOW, "https://x/g", "x"))
    assert str(event["LOCATION"]) == "Online"
