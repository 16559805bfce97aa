"""Reading the numbers people type: ASCII digits only, and never more than a database can hold.

Python's own `int()` and `float()` accept far more than a person means: "1_000", "nan",
"inf", "1e3", digits from other scripts ("٦٧", "１２") and superscripts that `isdigit()`
calls digits but `int()` refuses ("²", "①"). Every form, import and URL reads
numbers through these functions, so what was understood is what was typed, and a
5,000-digit number is "too large" instead of a traceback.
"""

import re

# Longer than any sensible answer; anything longer is out of range, not parsed.
LONGEST_NUMBER = 12
# A number too large for any question: typed digits beyond LONGEST_NUMBER read as this.
TOO_LARGE = 10**LONGEST_NUMBER
# The largest id a record can have: PostgreSQL's `integer`, the type of every primary key.
LARGEST_RECORD_ID = 2**31 - 1

_WHOLE_NUMBER = re.compile(r"[0-9]+")
_DECIMAL_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")


def read_whole_number(text: str | None) -> int | None:
    """The whole number typed in `text` (spaces around it allowed), or None if it is not one.

    Only the digits 0 to 9: "²", "①" and "１２" are not numbers here. More than
    LONGEST_NUMBER digits read as TOO_LARGE, so a caller's range check refuses it.
    """
    text = (text or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text) if len(text) <= LONGEST_NUMBER else TOO_LARGE


def read_decimal_number(text: str | None) -> float | None:
    """The number typed in `text`, with or without a decimal point, or None if it is not one."""
    text = (text or "").strip()
    if not _DECIMAL_NUMBER.fullmatch(text):
        return None
    return float(text) if len(text) <= LONGEST_NUMBER else float(TOO_LARGE)


def read_record_id(text: str | None) -> int | None:
    """A record's id from a form or a query string, or None if no record could have it."""
    number = read_whole_number(text)
    if number is None or not 1 <= number <= LARGEST_RECORD_ID:
        return None
    return number
