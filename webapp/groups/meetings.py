"""Next meeting dates, worked out from a listing's repeat rule.

A listing stores one meeting date it knows of (the anchor) and how meetings
repeat: weekly, fortnightly, or on the same weekday of the month as the anchor
("the third Tuesday") every 1, 2, 3 or 6 months, with months to skip ("not in
August"). So a listing stays right after its anchor date passes, without anyone
editing it every month.
"""

import calendar
import re
from datetime import date, time, timedelta

NO_REPEAT = "none"
# Each rule: days to step, or months to step keeping the weekday of the month.
REPEAT_RULES = {
    NO_REPEAT: "Does not repeat (one date)",
    "weekly": "Every week",
    "fortnightly": "Every 2 weeks",
    "monthly": "Every month, on the same weekday of the month",
    "every-2-months": "Every 2 months, on the same weekday of the month",
    "every-3-months": "Every 3 months, on the same weekday of the month",
    "every-6-months": "Every 6 months, on the same weekday of the month",
}
DAY_STEPS = {"weekly": 7, "fortnightly": 14}
MONTH_STEPS = {"monthly": 1, "every-2-months": 2, "every-3-months": 3, "every-6-months": 6}
# Enough steps to pass a long gap (a weekly group's anchor years ago) without looping forever.
_MAX_STEPS = 2000
LAST = 5


def upcoming_meetings(
    anchor: date | None,
    repeats: str,
    skip_months: frozenset[int],
    today: date,
    count: int = 1,
) -> list[date]:
    """Up to `count` meeting dates on or after `today`, from the anchor and the rule."""
    if anchor is None:
        return []
    found = []
    for meeting in _meetings_from(anchor, repeats):
        if meeting >= today and meeting.month not in skip_months:
            found.append(meeting)
            if len(found) == count:
                break
    return found


def next_meeting(
    anchor: date | None, repeats: str, skip_months: frozenset[int], today: date
) -> date | None:
    """The next meeting on or after `today`, or None if none is known."""
    meetings = upcoming_meetings(anchor, repeats, skip_months, today)
    return meetings[0] if meetings else None


def _meetings_from(anchor: date, repeats: str):
    """Every meeting date from the anchor on, per the rule (at most _MAX_STEPS)."""
    if repeats in DAY_STEPS:
        step = timedelta(days=DAY_STEPS[repeats])
        for n in range(_MAX_STEPS):
            yield anchor + n * step
    elif repeats in MONTH_STEPS:
        week, weekday = week_of_month(anchor), anchor.weekday()
        for n in range(_MAX_STEPS):
            year, month = divmod(anchor.month - 1 + n * MONTH_STEPS[repeats], 12)
            yield nth_weekday(anchor.year + year, month + 1, weekday, week)
    else:
        yield anchor


def week_of_month(day: date) -> int:
    """Which of its weekday the date is in the month: 1–4, or LAST for a fifth."""
    week = (day.day - 1) // 7 + 1
    return LAST if week == 5 else week


def nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`th `weekday` (Monday 0) of the month; LAST means the last one."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    if week == LAST:
        days_in_month = calendar.monthrange(year, month)[1]
        day = offset + 1 + 7 * ((days_in_month - offset - 1) // 7)
        return date(year, month, day)
    return first + timedelta(days=offset + 7 * (week - 1))


def parse_skip_months(stored: str) -> frozenset[int]:
    """The stored skip months ("8,12") as a set of month numbers."""
    return frozenset(int(part) for part in stored.split(",") if part.strip().isdigit())


def clock_time(value: time) -> str:
    """A time as people say it and NHS.UK writes it: 9am, 7:30pm, midday, midnight."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


# A time written in a listing's own words: "7.30pm", "7:30 pm", "12pm", "12.00am".
_WRITTEN_TIME = re.compile(r"\b(1[0-2]|0?[1-9])(?:[.:]([0-5][0-9]))?\s*([ap])\.?m\b\.?",
                           re.IGNORECASE)


def tidy_times(text: str) -> str:
    """A listing's words with every time written one way, as `clock_time` writes them.

    Staff type "7.30pm", "7:30 pm" or "12pm"; the page shows "7:30pm" and "midday" next
    to times BoneCheck works out itself, so one page never mixes two styles.
    """
    def rewrite(match: re.Match) -> str:
        hour, minutes, half = int(match[1]), int(match[2] or 0), match[3].lower()
        return clock_time(time(hour % 12 + (12 if half == "p" else 0), minutes))

    return _WRITTEN_TIME.sub(rewrite, text)
