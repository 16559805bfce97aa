"""A calendar file (iCalendar, RFC 5545) for a support group's meetings, written with `icalendar`.

One event: the next meeting, carrying the group's repeat rule (RRULE, with the
months it skips), so a calendar app shows the meetings after it too. Times are
Europe/London wall-clock times with the time zone itself in the file
(VTIMEZONE), so "7:30pm every third Tuesday" stays 7:30pm across the clock
change. A listing with a start but no end time lasts DEFAULT_LENGTH; one with
no time is an all-day event.
"""

from datetime import date, datetime, time, timedelta

import icalendar

from webapp.clock import UK_TIME
from webapp.groups.meetings import DAY_STEPS, LAST, MONTH_STEPS, parse_skip_months, week_of_month

PRODUCT_ID = "-//BoneCheck//Support group finder//EN"
DEFAULT_LENGTH = timedelta(hours=1, minutes=30)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def repeat_rule(repeats: str, skip_months: frozenset[int], anchor: date) -> dict | None:
    """The RRULE for a listing's repeat rule, or None for a one-off meeting.

    Monthly rules keep the anchor's weekday of the month ("the third Tuesday"; a fifth
    one is "the last", as webapp.groups.meetings reads it); skipped months are left
    out with BYMONTH.
    """
    if repeats in DAY_STEPS:
        rule = {"FREQ": "WEEKLY", "INTERVAL": DAY_STEPS[repeats] // 7}
    elif repeats in MONTH_STEPS:
        week = week_of_month(anchor)
        rule = {"FREQ": "MONTHLY", "INTERVAL": MONTH_STEPS[repeats],
                "BYDAY": f"{-1 if week == LAST else week}{_WEEKDAYS[anchor.weekday()]}"}
    else:
        return None
    if skip_months:
        rule["BYMONTH"] = [month for month in range(1, 13) if month not in skip_months]
    return rule


def meeting_event(
    *, uid: str, summary: str, on: date, starts_at: time | None, ends_at: time | None,
    location: str, description: str, url: str, now: datetime, rule: dict | None = None,
) -> icalendar.Event:
    """The VEVENT for the meeting on `on`, repeating by `rule` when there is one."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    if starts_at is None:
        event.add("dtstart", on)
        event.add("dtend", on + timedelta(days=1))
    else:
        start = datetime.combine(on, starts_at, tzinfo=UK_TIME)
        end = datetime.combine(on, ends_at, tzinfo=UK_TIME) if ends_at else start + DEFAULT_LENGTH
        event.add("dtstart", start)
        event.add("dtend", end)
    if rule:
        event.add("rrule", rule)
    event.add("summary", summary)
    for name, value in (("location", location), ("description", description), ("url", url)):
        if value:
            event.add(name, value)
    return event


# The time zone's clock changes are written out this far ahead of the meeting.
TIME_ZONE_YEARS = 10


def calendar_file(event: icalendar.Event) -> bytes:
    """A whole calendar holding one event, with the time zones its times use (their clock
    changes from the event's start for TIME_ZONE_YEARS years)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    start = event.decoded("dtstart")
    first = start.date() if isinstance(start, datetime) else start
    calendar.add_missing_timezones(first_date=first.replace(month=1, day=1),
                                   last_date=first.replace(year=first.year + TIME_ZONE_YEARS,
                                                           month=1, day=1))  # fmt: skip
    return calendar.to_ical()


def group_meeting_calendar(group, on: date, now: datetime, page_url: str, host: str) -> bytes:
    """The calendar file for a support group's meeting on `on`, and the ones after it."""
    summary = group.name + (" (example listing)" if group.is_example else "")
    if group.meets_in_person:
        location = ", ".join(
            part for part in (group.venue_name, group.address, group.venue_postcode) if part
        )
    else:
        location = "Online"
    details = [group.meeting_pattern, group.what_happens]
    if group.contact_phone or group.contact_email:
        contact = " ".join(filter(None, [group.contact_phone, group.contact_email]))
        details.append("Contact: " + contact)
    details.append("Please check with the group before you go: " + page_url)
    rule = repeat_rule(group.repeats, parse_skip_months(group.skip_months),
                       group.next_meeting_on or on)  # fmt: skip
    return calendar_file(meeting_event(
        uid=f"support-group-{group.id}@{host}", summary=summary, on=on,
        starts_at=group.starts_at, ends_at=group.ends_at, location=location,
        description="\n".join(part for part in details if part), url=page_url, now=now,
        rule=rule,
    ))  # fmt: skip
