"""UK phone numbers: parse once, tell a mobile from a landline, format, and mask for logs.

Every part of BoneCheck that reads a phone number parses it here, then keeps
whichever form it stores and shows (E.164 for texting, the national format for
people). Ofcom keeps 07700 900000 to 07700 900999 for drama; `phonenumbers`
does not count them as valid, so they are accepted as mobiles only where
`allow_drama` is set (outside production), for demo and test data.
"""

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# Ofcom's numbers for TV, radio and film: 07700 900000 to 07700 900999.
DRAMA_MOBILE_PREFIX = "+447700900"
_MOBILE_TYPES = {PhoneNumberType.MOBILE}


class PhoneNumberError(ValueError):
    """A number that is not a UK phone number; the message says what to do."""


@dataclass(frozen=True)
class UkPhoneNumber:
    """A checked UK phone number."""

    e164: str  # +447700900123
    national: str  # 07700 900123
    is_mobile: bool

    @property
    def masked(self) -> str:
        """The number as logs may show it: `+44 7*** ***123`."""
        return mask_number(self.e164)


def parse_uk_number(typed: str, *, allow_drama: bool = False) -> UkPhoneNumber:
    """Read a UK phone number in any usual format (07…, +44 7…, 0044…, spaces, brackets).

    Raises PhoneNumberError when it is not a valid UK number.
    """
    text = (typed or "").strip()
    if not text:
        raise PhoneNumberError("Enter a phone number")
    try:
        number = phonenumbers.parse(text, "GB")
    except NumberParseException:
        raise PhoneNumberError(_NOT_A_NUMBER) from None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    if allow_drama and _is_drama_mobile(e164):
        return UkPhoneNumber(e164=e164, national=_drama_national(e164), is_mobile=True)
    if number.country_code != 44 or not phonenumbers.is_valid_number(number):
        raise PhoneNumberError(_NOT_A_NUMBER)
    is_mobile = phonenumbers.number_type(number) in _MOBILE_TYPES
    return UkPhoneNumber(e164=e164, national=national, is_mobile=is_mobile)


def parse_uk_mobile(typed: str, *, allow_drama: bool = False) -> UkPhoneNumber:
    """Like `parse_uk_number`, and refuse a landline: some networks read texts to them aloud."""
    number = parse_uk_number(typed, allow_drama=allow_drama)
    if not number.is_mobile:
        raise PhoneNumberError(
            "Enter a UK mobile number, like 07700 900123. Texts to a landline may be read aloud"
        )
    return number


@lru_cache(maxsize=1024)
def national_format(e164: str) -> str:
    """A stored E.164 number as people in the UK write it, for example 0113 496 0123."""
    if _is_drama_mobile(e164):
        return _drama_national(e164)
    return phonenumbers.format_number(phonenumbers.parse(e164, "GB"), PhoneNumberFormat.NATIONAL)


def mask_number(e164: str | None) -> str:
    """Hide all but the country code, the first digit and the last three: `+44 7*** ***123`.

    Enough to tell two numbers apart in a log, never enough to text someone.
    """
    if not e164:
        return ""
    digits = e164.lstrip("+")
    if e164.startswith("+44") and len(digits) >= 6:
        rest = digits[2:]
        return f"+44 {rest[0]}*** ***{rest[-3:]}"
    return f"+{'*' * max(len(digits) - 3, 0)}{digits[-3:]}"


def _is_drama_mobile(e164: str) -> bool:
    return e164.startswith(DRAMA_MOBILE_PREFIX) and len(e164) == len(DRAMA_MOBILE_PREFIX) + 3


def _drama_national(e164: str) -> str:
    return f"07700 {e164[-6:]}"


_NOT_A_NUMBER = "Enter a UK phone number, like 0113 496 0123 or 07700 900123"
