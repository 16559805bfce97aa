"""The one clock: now in UTC for storing, today and wall-clock time in the UK for people.

Times are stored as naive UTC (SQLite keeps no zone, and PostgreSQL then agrees).
Anything a person reads or chooses (a reminder at 09:00, "today") is Europe/London
wall-clock time, converted here and nowhere else, so the two clock-change days
are handled in one place.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    """Now in UTC, without tzinfo: how every time is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def uk_now(now: datetime | None = None) -> datetime:
    """`now` (naive UTC; the real now when omitted) as an aware Europe/London time."""
    return to_uk(now if now is not None else utc_now())


def uk_today(now: datetime | None = None) -> date:
    """Today's date in the UK at `now` (naive UTC; the real now when omitted)."""
    return uk_now(now).date()


def to_uk(moment: datetime) -> datetime:
    """A stored naive-UTC time as an aware Europe/London time, for showing or exporting."""
    return moment.replace(tzinfo=UTC).astimezone(UK_TIME)


def utc_from_uk(day: date, wall_clock: time) -> datetime:
    """The naive-UTC instant when UK clocks show `wall_clock` on `day`.

    On the day the clocks go forward a time inside the missing hour (01:00 to
    01:59) does not exist; it is read as the same number of minutes after 02:00,
    so nothing planned there is lost. On the day they go back a time in the
    repeated hour is the first of the two, so nothing is doubled.
    """
    # fold=0 picks the first of two repeated times, and reads a time in the spring
    # gap with the winter offset, which lands it that much after 02:00 summer time.
    local = datetime.combine(day, wall_clock, tzinfo=UK_TIME)
    return local.astimezone(UTC).replace(tzinfo=None)


def uk_wall_clock(moment: datetime) -> time:
    """The UK wall-clock time of a stored naive-UTC time."""
    return to_uk(moment).time().replace(tzinfo=None)
