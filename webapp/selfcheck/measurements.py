"""Reading numbers people type, converting imperial units, and age from a date of birth.

Python's own `int()` and `float()` accept far more than a person means: "1_000", "nan",
"inf", "1e3" and digits from other scripts ("٦٧"). The self-check reads only plain
ASCII digits with an optional decimal point, so what was understood is what was typed.
"""

import re
from datetime import date

CM_PER_INCH = 2.54
INCHES_PER_FOOT = 12
KG_PER_POUND = 0.45359237  # the international avoirdupois pound, exactly
POUNDS_PER_STONE = 14

# Longer than any sensible answer; anything longer is out of range, not parsed.
_LONGEST_NUMBER = 12
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_DECIMAL_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
# A number too large for any question: typed digits beyond _LONGEST_NUMBER read as this.
TOO_LARGE = 10**_LONGEST_NUMBER


def read_whole_number(text: str | None) -> int | None:
    """The whole number typed in `text` (spaces around it allowed), or None if it is not one."""
    text = (text or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text) if len(text) <= _LONGEST_NUMBER else TOO_LARGE


def read_decimal_number(text: str | None) -> float | None:
    """The number typed in `text`, with or without a decimal point, or None if it is not one."""
    text = (text or "").strip()
    if not _DECIMAL_NUMBER.fullmatch(text):
        return None
    return float(text) if len(text) <= _LONGEST_NUMBER else float(TOO_LARGE)


def is_blank(text: str | None) -> bool:
    """True when nothing but spaces was typed."""
    return not (text or "").strip()


def centimetres_from_feet_and_inches(feet: int, inches: float) -> float:
    """Height in centimetres: 5 feet 4 inches is 162.56 cm."""
    return (feet * INCHES_PER_FOOT + inches) * CM_PER_INCH


def kilograms_from_stones_and_pounds(stones: int, pounds: float) -> float:
    """Weight in kilograms: 10 stone 7 pounds is 66.68 kg (to 2 decimals)."""
    return (stones * POUNDS_PER_STONE + pounds) * KG_PER_POUND


def age_on(date_of_birth: date, today: date) -> int:
    """Completed years of age on `today`.

    Someone born on 29 February has their birthday on 1 March in other years.
    """
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def real_date(year: int, month: int, day: int) -> date | None:
    """The date with these parts, or None if there is no such day (31 April, 29 February 2023)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
