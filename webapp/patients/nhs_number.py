"""NHS numbers: ten digits, the last a modulus-11 check digit.

The check (NHS Data Dictionary, "NHS Number"): multiply the first nine digits
by 10, 9, … 2, add them up, take the remainder on division by 11 and subtract
it from 11. A result of 11 means a check digit of 0; a result of 10 means the
number is not valid. It catches any single mistyped digit and most swapped
pairs, which is why a typed number is checked before anything is saved.
"""

import re

_SEPARATORS = re.compile(r"[\s-]")
WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


class NhsNumberError(ValueError):
    """A typed NHS number that is not valid; the message says what to do."""


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no digit can make them valid."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, WEIGHTS, strict=True))
    result = 11 - total % 11
    if result == 11:
        return 0
    if result == 10:
        return None
    return result


def is_valid_nhs_number(digits: str) -> bool:
    """Ten digits whose last digit is the right check digit."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def parse_nhs_number(typed: str) -> str:
    """The ten digits of a typed NHS number (spaces and hyphens allowed), or NhsNumberError."""
    digits = _SEPARATORS.sub("", typed or "")
    if not digits:
        raise NhsNumberError("Enter the patient's NHS number")
    if not digits.isascii() or not digits.isdigit() or len(digits) != 10:
        raise NhsNumberError("NHS number must be 10 digits, like 943 476 5919")
    if not is_valid_nhs_number(digits):
        raise NhsNumberError(
            "This is not a valid NHS number: check each digit against the patient's records"
        )
    return digits


def format_nhs_number(digits: str) -> str:
    """Ten digits as they are printed on NHS letters: 943 476 5919."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
