"""Reading a date typed in the NHS.UK date input's day, month and year boxes.

Used by the widget layer's DateField (webapp/forms/widgets.py). Numbers are read
by webapp.numbers, so only the digits 0 to 9 count ("²" or "１２" is not a day).
"""

import re
from datetime import date

from webapp.numbers import read_whole_number

DATE_PARTS = ("day", "month", "year")


def typed_in_box(value) -> str:
    """What was typed in one box; a file posted in its place counts as nothing typed."""
    return value if isinstance(value, str) else ""


MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


class DateInputError(ValueError):
    """What is wrong with a typed date, and which of its boxes to outline (none: all)."""

    def __init__(self, message: str, wrong_parts=frozenset()):
        super().__init__(message)
        self.wrong_parts = frozenset(wrong_parts)


def read_date(parts: dict[str, str], what: str) -> date | None:
    """The date typed in day, month and year boxes; None if all are empty.

    Messages follow the NHS.UK and GOV.UK date input guidance: "`what` must
    include a month", "`what` must be a real date", "Year must include 4 numbers".
    A month may be a number or a name ("3", "Mar", "March").
    """
    typed = {part: (parts.get(part) or "").strip() for part in DATE_PARTS}
    missing = [part for part in DATE_PARTS if not typed[part]]
    if len(missing) == len(DATE_PARTS):
        return None
    if missing:
        raise DateInputError(f"{what} must include a {' and '.join(missing)}", missing)
    numbers = {
        "day": read_whole_number(typed["day"]),
        "month": read_whole_number(_month_number(typed["month"])),
        "year": read_whole_number(typed["year"]),
    }
    not_numbers = [part for part in DATE_PARTS if numbers[part] is None]
    if not_numbers:
        raise DateInputError(f"{what} must be a real date", not_numbers)
    if len(typed["year"]) != 4:
        raise DateInputError("Year must include 4 numbers", ["year"])
    if not 1 <= numbers["month"] <= 12:
        raise DateInputError(f"{what} must be a real date", ["month"])
    try:
        return date(numbers["year"], numbers["month"], numbers["day"])
    except (ValueError, OverflowError):
        # Month and year are right by now, so it is the day: 0, or past the month's end.
        raise DateInputError(f"{what} must be a real date", ["day"]) from None


def _month_number(typed: str) -> str | None:
    if read_whole_number(typed) is not None:
        return typed
    word = re.sub(r"[^a-z]", "", typed.lower())
    if len(word) < 3:
        return None
    return next(
        (str(n) for n, name in enumerate(MONTH_NAMES, 1) if name.startswith(word)), None
    )
