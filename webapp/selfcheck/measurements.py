"""Reading numbers people type, converting imperial units, and age from a date of birth.

Numbers are read by `webapp.numbers` (plain ASCII digits with an optional decimal
point), so what was understood is what was typed.
"""

import re
from dataclasses import dataclass
from datetime import date

# One reader of typed numbers for the whole service; the self-check's measures import
# them from here, beside the unit conversions.
from webapp.numbers import LONGEST_NUMBER as _LONGEST_NUMBER
from webapp.numbers import TOO_LARGE, read_decimal_number, read_whole_number  # noqa: F401

CM_PER_INCH = 2.54
INCHES_PER_FOOT = 12
KG_PER_POUND = 0.45359237  # the international avoirdupois pound, exactly
POUNDS_PER_STONE = 14

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")


def read_month(text: str | None) -> int | None:
    """A month as a number (3) or as people write its name ("March", "mar", "Sept."), or None."""
    number = read_whole_number(text)
    if number is not None:
        return number
    name = (text or "").strip().lower().rstrip(".")
    if len(name) < 3:
        return None
    found = [index for index, month in enumerate(MONTHS, start=1) if month.startswith(name)]
    return found[0] if len(found) == 1 else None


def is_blank(text: str | None) -> bool:
    """True when nothing but spaces was typed."""
    return not (text or "").strip()


# Units a person may type after a height or weight in the metric box, and what each is in
# centimetres or kilograms ("165 cm", "1.65 m", "70kg").
CENTIMETRES_IN = {
    **dict.fromkeys(("cm", "cms", "centimetre", "centimetres", "centimeter", "centimeters"), 1),
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters"), 100),
}
KILOGRAMS_IN = dict.fromkeys(("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"), 1)
_NUMBER_AND_UNIT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*([a-z]*)\.?\s*", re.IGNORECASE)

# Feet and inches, stones and pounds, as people write them: 5ft 4, 5'4", 5 feet 4 inches,
# 10st 7, 10 st 7 lb, 10 stone 7 pounds. The first part is whole; the second may have a decimal.
_FEET = r"(?:feet|foot|ft|'|’|′)"
_INCHES = r"(?:inches|inch|ins|in|\"|”|″|''|’’)"
_STONES = r"(?:stones|stone|sts|st)"
_POUNDS = r"(?:pounds|pound|lbs|lb)"


def _two_part_pattern(major_unit: str, minor_unit: str) -> re.Pattern:
    return re.compile(
        rf"\s*([0-9]+)\s*{major_unit}\.?\s*(?:,|and)?\s*"
        rf"(?:([0-9]+(?:\.[0-9]+)?)\s*(?:{minor_unit}\.?)?)?\s*",
        re.IGNORECASE,
    )


def _minor_alone_pattern(minor_unit: str) -> re.Pattern:
    return re.compile(rf"\s*([0-9]+(?:\.[0-9]+)?)\s*{minor_unit}\.?\s*", re.IGNORECASE)


_FEET_AND_INCHES = _two_part_pattern(_FEET, _INCHES)
_STONES_AND_POUNDS = _two_part_pattern(_STONES, _POUNDS)
# "64 inches", "160lb": plenty of people know their height in inches or weight in pounds.
_INCHES_ALONE = _minor_alone_pattern(_INCHES)
_POUNDS_ALONE = _minor_alone_pattern(_POUNDS)
_ANY_IMPERIAL_UNIT = {
    "height": re.compile(rf"[0-9.]\s*(?:{_FEET}|{_INCHES})", re.IGNORECASE),
    "weight": re.compile(rf"[0-9.]\s*(?:{_STONES}|{_POUNDS})", re.IGNORECASE),
}
# Two bare numbers, "5 4" or "10 7": feet and inches or stones and pounds, but not certainly
# ("6 8" could be a mistyped 68 kg), so these are questioned, never converted.
_TWO_BARE_NUMBERS = re.compile(r"\s*[0-9]+\s+[0-9]+(?:\.[0-9]+)?\s*")


@dataclass(frozen=True)
class TwoParts:
    """A measure in two units as typed: feet and inches, or stones and pounds."""

    major: int
    minor: float


def read_number_with_unit(text: str | None, units: dict[str, float]) -> float | None:
    """The number typed, in the first of `units`: "165", "165 cm" and "1.65 m" are all 165.

    None unless `text` is one plain number followed by nothing or by a name in `units`.
    """
    match = _NUMBER_AND_UNIT.fullmatch(text or "")
    if match is None:
        return None
    number, unit = match.groups()
    if unit and unit.lower() not in units:
        return None
    value = read_decimal_number(number)
    # Rounded so that 1.15 m is 115 cm, not 114.99999999999999.
    return round(value * units[unit.lower()], 2) if unit else value


def _read_two_parts(pattern: re.Pattern, text: str | None) -> TwoParts | None:
    match = pattern.fullmatch(text or "")
    if match is None:
        return None
    major, minor = match.groups()
    if len(major) > _LONGEST_NUMBER or (minor and len(minor) > _LONGEST_NUMBER):
        return None
    return TwoParts(int(major), read_decimal_number(minor) if minor else 0.0)


def _read_minor_alone(pattern: re.Pattern, text: str | None, per_major: int) -> TwoParts | None:
    match = pattern.fullmatch(text or "")
    if match is None:
        return None
    minor = read_decimal_number(match.group(1))
    return None if minor is None else in_whole_majors(minor, per_major)


def in_whole_majors(minor: float, per_major: int) -> TwoParts:
    """Inches alone as feet and inches, pounds alone as stones and pounds: 160 lb is 11 st 6."""
    major = int(minor // per_major)
    return TwoParts(major, round(minor - major * per_major, 2))


def read_feet_and_inches(text: str | None) -> TwoParts | None:
    """Feet and inches written out with their units ("5ft 4", "5'4\"", "5 feet", "64 inches"),
    or None."""
    return _read_two_parts(_FEET_AND_INCHES, text) or _read_minor_alone(
        _INCHES_ALONE, text, INCHES_PER_FOOT)


def read_stones_and_pounds(text: str | None) -> TwoParts | None:
    """Stones and pounds written out with their units ("10st 7", "10 st 7 lb", "160lb"),
    or None."""
    return _read_two_parts(_STONES_AND_POUNDS, text) or _read_minor_alone(
        _POUNDS_ALONE, text, POUNDS_PER_STONE)


def looks_imperial(text: str | None, measure: str) -> bool:
    """True when `text` seems to be a height in feet and inches (`measure` "height") or a
    weight in stones and pounds ("weight"): it names those units, or is two bare numbers.
    """
    text = text or ""
    return bool(_ANY_IMPERIAL_UNIT[measure].search(text) or _TWO_BARE_NUMBERS.fullmatch(text))


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
