"""When each dose of a regimen is due: the schedule rules, as plain date arithmetic.

- Daily and weekly medicines count in days from the first dose, so weekly
  doses fall on the first dose's weekday.
- Monthly, 6-monthly and yearly medicines count in months, on the anchor's day
  of the month, clamped to the month's last day: a 31st start is due on
  30 April and 28 or 29 February, and back on the 31st in May.
- Injections and infusions given in clinic count from `last_given_date` when
  the nurse has recorded it (the next is due a whole interval after the one
  actually given), else from the first dose.
- A course ends after `course_months` from the first dose (teriparatide) or
  after `course_doses` doses (romosozumab); `end_date` is the last day a dose
  may fall on; nothing is due on or after `stopped_on`.

`regimen` is anything with `first_dose_date`, `end_date`, `last_given_date`,
`stopped_on` and `daily_texts` (a `Regimen` row, or a plain record in bulk
planning); `entry` is the medicine's catalogue entry. Sources:
docs/clinical/medicines.md.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from webapp.reminders.medicines import Medicine

# Far enough ahead to hold the next dose of any medicine (yearly, across a 29 February).
_NEXT_DUE_HORIZON = timedelta(days=400)


@dataclass(frozen=True)
class _Series:
    """Due dates `anchor + k intervals` for first <= k <= last, none after `until`."""

    anchor: date
    first: int
    last: int | None
    until: date | None


def add_months(day: date, months: int) -> date:
    """`day` moved on by whole months, on the same day of the month or the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def due_dates(regimen, entry: Medicine, start: date, end: date) -> list[date]:
    """Every date from `start` to `end` (both included) on which a dose is due."""
    return _dates_in(_series(regimen, entry), entry, start, end)


def next_due_date(regimen, entry: Medicine, on_or_after: date) -> date | None:
    """The first due date on or after `on_or_after`; None when the regimen has ended."""
    found = due_dates(regimen, entry, on_or_after, on_or_after + _NEXT_DUE_HORIZON)
    return found[0] if found else None


def check_in_dates(regimen, entry: Medicine, start: date, end: date) -> list[date]:
    """When a daily medicine's check-in goes: every day when the nurse chose daily texts,
    else once a week, a week after the first dose and weekly after, asking about the
    week just gone."""
    if regimen.daily_texts:
        return due_dates(regimen, entry, start, end)
    weekly = _Series(regimen.first_dose_date, 1, None, _until(regimen, entry))
    return _dates_in(weekly, _WEEKLY, start, end)


def _series(regimen, entry: Medicine) -> _Series:
    """The regimen's due dates as a series from its anchor, with the course and stop limits."""
    first_dose, given = regimen.first_dose_date, regimen.last_given_date
    last = entry.course_doses - 1 if entry.course_doses is not None else None
    if entry.in_clinic and given is not None and given >= first_dose:
        # Counted from the dose actually given; a course of doses counts the ones
        # already given (see _doses_given).
        if last is not None:
            last -= _doses_given(first_dose, given, entry) - 1
        return _Series(given, 1, last, _until(regimen, entry))
    return _Series(first_dose, 0, last, _until(regimen, entry))


def _doses_given(first_dose: date, last_given: date, entry: Medicine) -> int:
    """How many doses of a course have been given, up to and including `last_given`.

    BoneCheck records the first and the last dose given, not each one, so this
    counts whole intervals between them: exact when doses were on time, and an
    over-count when one was late (the nurse then sets the end date).
    """
    months = (last_given.year - first_dose.year) * 12 + last_given.month - first_dose.month
    if last_given.day < first_dose.day and add_months(first_dose, months) > last_given:
        months -= 1
    return 1 + months // (entry.every_months or 1)


def _until(regimen, entry: Medicine) -> date | None:
    """The last day a dose may fall on: the end date, the day before a stop, a course's end."""
    limits = []
    if regimen.end_date is not None:
        limits.append(regimen.end_date)
    if regimen.stopped_on is not None:
        limits.append(regimen.stopped_on - timedelta(days=1))
    if entry.course_months is not None:
        limits.append(add_months(regimen.first_dose_date, entry.course_months) - timedelta(days=1))
    return min(limits) if limits else None


def _dates_in(series: _Series, entry, start: date, end: date) -> list[date]:
    if series.until is not None:
        end = min(end, series.until)
    found = []
    index = max(series.first, _index_near(series.anchor, entry, start))
    while series.last is None or index <= series.last:
        day = _nth(series.anchor, entry, index)
        if day > end:
            break
        if day >= start:
            found.append(day)
        index += 1
    return found


def _nth(anchor: date, entry, index: int) -> date:
    if entry.every_days is not None:
        return anchor + timedelta(days=index * entry.every_days)
    return add_months(anchor, index * entry.every_months)


def _index_near(anchor: date, entry, start: date) -> int:
    """An index whose date is on or just before `start`, so a scan from it is short."""
    if start <= anchor:
        return 0
    if entry.every_days is not None:
        return (start - anchor).days // entry.every_days
    months = (start.year - anchor.year) * 12 + start.month - anchor.month
    return max(months // entry.every_months - 1, 0)


@dataclass(frozen=True)
class _Interval:
    every_days: int | None
    every_months: int | None


_WEEKLY = _Interval(every_days=7, every_months=None)
