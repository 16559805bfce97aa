"""A calendar file (iCalendar, RFC 5545) for a group's next meeting.

Written by hand: one event needs a dozen lines, and the rules that matter are
few — escape text, end lines with CRLF, fold lines longer than 75 octets, and
give times in UTC (converted from the meeting's Europe/London wall-clock time,
so a meeting at 7.30pm in July is 18:30Z and in January 19:30Z).
"""

from datetime import UTC, date, datetime, time, timedelta

from webapp.clock import UK_TIME

PRODUCT_ID = "-//BoneCheck//Support group finder//EN"
# When a listing gives a start but no end time, the event lasts this long.
DEFAULT_LENGTH = timedelta(hours=1, minutes=30)
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """Split a content line into 75-octet pieces joined by CRLF and a space (RFC 5545 3.1).

    Splits between characters, never inside a multi-byte UTF-8 sequence.
    """
    pieces, current, size = [], "", 0
    for character in line:
        width = len(character.encode("utf-8"))
        # Continuation lines start with a space, which counts towards their 75.
        limit = MAX_LINE_OCTETS if not pieces else MAX_LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_event_lines(
    *,
    uid: str,
    summary: str,
    on: date,
    starts_at: time | None,
    ends_at: time | None,
    location: str,
    description: str,
    url: str,
    now: datetime,
) -> list[str]:
    """The VEVENT's content lines (unfolded) for one meeting on `on`."""
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_utc_stamp(now)}"]
    if starts_at is None:
        # No time known: an all-day event on the day.
        lines += [
            f"DTSTART;VALUE=DATE:{on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{on + timedelta(days=1):%Y%m%d}",
        ]
    else:
        start = datetime.combine(on, starts_at, tzinfo=UK_TIME)
        end = datetime.combine(on, ends_at, tzinfo=UK_TIME) if ends_at else start + DEFAULT_LENGTH
        lines += [f"DTSTART:{_utc_stamp(start)}", f"DTEND:{_utc_stamp(end)}"]
    lines.append(f"SUMMARY:{escape_text(summary)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar_file(event_lines: list[str]) -> bytes:
    """A whole calendar holding one event: folded, CRLF line ends, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *event_lines,
        "END:VCALENDAR",
    ]
    return "".join(fold_line(line) + "\r\n" for line in lines).encode("utf-8")


def group_meeting_calendar(group, on: date, now: datetime, page_url: str, host: str) -> bytes:
    """The calendar file for a support group's meeting on `on`."""
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
    return calendar_file(
        meeting_event_lines(
            uid=f"support-group-{group.id}-{on:%Y%m%d}@{host}",
            summary=summary,
            on=on,
            starts_at=group.starts_at,
            ends_at=group.ends_at,
            location=location,
            description="\n".join(part for part in details if part),
            url=page_url,
            now=now,
        )
    )
