"""Reading a postcode, full or half, into its district (outward code).

People type `DH1 3LN`, `dh13ln`, `DH1` or ` sw1a 1aa `. All of these reduce to
the district alone (`DH1`, `SW1A`); the inward part is checked for shape and
then dropped, never returned, stored or logged.
"""

import re

NORTHERN_IRELAND_AREA = "BT"

# Longest sensible input: a full postcode with spaces around it. Anything longer
# is not a postcode, and is refused before any pattern is tried.
MAX_INPUT_LENGTH = 16

# The six district shapes: A9, A99, AA9, AA99, A9A, AA9A.
_OUTCODE = r"[A-Z]{1,2}[0-9][0-9A-Z]?"
_OUTCODE_ONLY = re.compile(rf"{_OUTCODE}", re.ASCII)
# Without spaces a full postcode is the district then a digit and two letters.
_FULL_POSTCODE = re.compile(rf"({_OUTCODE})([0-9][A-Z]{{2}})", re.ASCII)
# With a space the second half may be partial (`DH1 3`), as people sometimes type.
_INWARD_OR_PART = re.compile(r"[0-9][A-Z]{0,2}", re.ASCII)
_AREA = re.compile(r"[A-Z]{1,2}", re.ASCII)


class PostcodeError(ValueError):
    """Something typed could not be used as a GB postcode district."""


class NotAPostcodeError(PostcodeError):
    """The text does not have the shape of a UK postcode or district."""


class UnknownDistrictError(PostcodeError):
    """The text looks like a postcode, but its district is not a known GB district."""

    def __init__(self, district: str):
        super().__init__(f"{district} is not a known Great Britain postcode district")
        self.district = district


def parse_outcode(text: object) -> str:
    """The postcode district in `text` (`"dh1 3ln"` → `"DH1"`), or NotAPostcodeError.

    Accepts a full postcode or just its first half, any case, with or without
    spaces. Only the shape is checked here; whether the district exists in Great
    Britain is `is_known_district`'s question.
    """
    if not isinstance(text, str):
        raise NotAPostcodeError("Enter a postcode")
    parts = text.upper().split()
    if not parts or len(text.strip()) > MAX_INPUT_LENGTH or len(parts) > 2:
        raise NotAPostcodeError("Enter a postcode, like DH1 3LN or DH1")
    if len(parts) == 2:
        return _from_two_parts(*parts)
    return _from_one_part(parts[0])


def _from_two_parts(outward: str, inward: str) -> str:
    if _OUTCODE_ONLY.fullmatch(outward) and _INWARD_OR_PART.fullmatch(inward):
        return outward
    raise NotAPostcodeError("Enter a postcode, like DH1 3LN or DH1")


def _from_one_part(text: str) -> str:
    # A full postcode typed without a space: the last three characters are the
    # inward code. Tried first, as `DH13LN` must not be read as a district.
    full = _FULL_POSTCODE.fullmatch(text)
    if full:
        return full.group(1)
    if _OUTCODE_ONLY.fullmatch(text):
        return text
    raise NotAPostcodeError("Enter a postcode, like DH1 3LN or DH1")


def postcode_area(district: str) -> str:
    """The letters a district starts with (`"SW1A"` → `"SW"`)."""
    match = _AREA.match(district)
    return match.group(0) if match else ""


def is_northern_ireland(district: str) -> bool:
    """True for a Northern Ireland (BT) district, which the GB data does not cover."""
    return postcode_area(district) == NORTHERN_IRELAND_AREA
