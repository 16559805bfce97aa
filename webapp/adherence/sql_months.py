"""Calendar months in SQL that SQLite and PostgreSQL both answer the same way.

A month is keyed "YYYY-MM". A date column (a fracture) is its own month. A
stored time (an enrolment, naive UTC) belongs to the UK month it fell in: the
UK month begins at midnight UK time, which is 00:00 UTC for a month starting
in winter (November to March) and 23:00 UTC the evening before for one
starting in summer time (April to October: summer time runs from the last
Sunday of March to the last Sunday of October, so it covers every one of those
first days and none of the others). So the UK month of a time is the UTC month
of the time an hour later when that month is April to October, else its own
UTC month. SQLite has no time zones; this needs none.
"""

from datetime import date, datetime, time

from sqlalchemy import case, func, literal_column
from sqlalchemy.orm import Session

from webapp.clock import to_uk, utc_from_uk

_SUMMER_TIME_STARTS = ("04", "05", "06", "07", "08", "09", "10")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def date_month(session: Session, column):
    """SQL: the "YYYY-MM" of a date column (NULL stays NULL)."""
    if _is_postgresql(session):
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def uk_month_of_time(session: Session, column):
    """SQL: the "YYYY-MM" of the UK month a stored naive-UTC time fell in."""
    if _is_postgresql(session):
        plain = func.to_char(column, "YYYY-MM")
        later = func.to_char(column + literal_column("interval '1 hour'"), "YYYY-MM")
    else:
        plain = func.strftime("%Y-%m", column)
        later = func.strftime("%Y-%m", column, "+1 hour")
    return case((func.substr(later, 6, 2).in_(_SUMMER_TIME_STARTS), later), else_=plain)


def month_key(day: date | datetime) -> str:
    """The key of a date's month, or of a stored time's UK month, as the SQL gives it."""
    if isinstance(day, datetime):
        day = to_uk(day).date()
    return f"{day.year:04d}-{day.month:02d}"


def read_month_key(key: str) -> date:
    """"2026-03" as its first day, 1 March 2026."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_label(key: str) -> str:
    """"2026-03" as a person reads it: "March 2026"."""
    year, month = key.split("-")
    return f"{_MONTHS[int(month) - 1]} {int(year)}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def uk_month_bounds(month: date) -> tuple[datetime, datetime]:
    """The naive-UTC times [start, end) of the UK calendar month holding `month`."""
    first = month_start(month)
    return (utc_from_uk(first, time(0, 0)), utc_from_uk(next_month(first), time(0, 0)))
