"""Checking a listing's details, the same way for the admin form and the CSV import.

`check_listing` takes the text a person typed (or a CSV row), keyed by the
column names in `COLUMNS`, and returns either clean, typed details or a
message for each field that is wrong, written so the person knows what to do.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from urllib.parse import urlsplit

from webapp.groups import meetings
from webapp.groups.regions import NORTHERN_IRELAND, REGIONS, REGIONS_BY_CODE, Region
from webapp.models.groups import BOTH, IN_PERSON, ONLINE
from webapp.numbers import read_whole_number
from webapp.phones import PhoneNumberError, parse_uk_number
from webapp.postcodes import (
    PostcodeError,
    is_known_district,
    is_northern_ireland,
    parse_outcode,
)
from webapp.text_checks import LONGEST_TEXT, text_problem

# The documented columns (docs/listings-csv.md), in export order. The admin
# form uses the same names, so one set of rules serves both.
COLUMNS = (
    "reference", "name", "town", "nation", "region", "format",
    "venue_name", "address", "venue_postcode",
    "meeting_pattern", "repeats", "not_in_months", "next_meeting_date", "start_time", "end_time",
    "what_happens", "cost",
    "step_free_access", "hearing_loop", "parking", "accessibility_notes",
    "contact_email", "contact_phone", "website",
    "example", "hidden", "checked_by", "checked_on",
)  # fmt: skip
REQUIRED_COLUMNS = ("name", "town", "region", "format", "meeting_pattern")

MAX_LENGTHS = {
    "reference": 60, "name": 120, "town": 80, "venue_name": 120, "address": 300,
    "meeting_pattern": 200, "what_happens": 2000, "cost": 120, "accessibility_notes": 500,
    "contact_email": 254, "website": 300, "checked_by": 120,
    "not_in_months": 100, "next_meeting_date": 20, "start_time": 20, "end_time": 20,
    "checked_on": 20, "venue_postcode": 20, "contact_phone": 40,
}  # fmt: skip

FORMAT_WORDS = {"in-person": IN_PERSON, "in person": IN_PERSON, "online": ONLINE, "both": BOTH}
FORMULA_STARTS = frozenset("=+-@\t\r")
YES_WORDS, NO_WORDS = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
MONTHS = {name.lower(): number for number, name in enumerate(
    ["", "January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"]) if name}  # fmt: skip
_REFERENCE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*", re.ASCII)
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_FULL_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})", re.ASCII)
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", re.ASCII)


@dataclass
class ListingDetails:
    """A listing's details after checking: typed, trimmed and consistent."""

    reference: str
    name: str
    town: str
    region: Region
    meeting_format: str
    venue_name: str
    address: str
    venue_district: str | None
    venue_postcode: str | None
    meeting_pattern: str
    repeats: str
    skip_months: frozenset[int]
    next_meeting_on: date | None
    starts_at: time | None
    ends_at: time | None
    what_happens: str
    cost: str
    step_free_access: bool | None
    hearing_loop: bool | None
    parking: bool | None
    accessibility_notes: str
    contact_email: str
    contact_phone: str
    website: str
    is_example: bool
    hidden: bool
    checked_by: str
    checked_on: date | None


class _Checker:
    """Reads one listing's fields, collecting a message for each that is wrong."""

    def __init__(
        self, values: Mapping[str, str | None], today: date, past_repeating_dates: bool = False
    ):
        self.values = {key: (value or "").strip() for key, value in values.items()}
        self.today = today
        self.past_repeating_dates = past_repeating_dates
        self.errors: dict[str, str] = {}

    def text(self, field: str) -> str:
        value = self.values.get(field, "")
        problem = text_problem(value, _label(field), MAX_LENGTHS.get(field, LONGEST_TEXT))
        if problem:
            self.errors[field] = problem
            return ""
        # A spreadsheet would run a cell starting like this as a formula when
        # the exported file is opened, so such text is refused at the door.
        if value[:1] in FORMULA_STARTS and field != "contact_phone":
            self.errors[field] = f"{_label(field)} must not start with {value[0]}"
        return value

    def required(self, field: str, message: str) -> str:
        value = self.text(field)
        if not value and field not in self.errors:
            self.errors[field] = message
        return value

    def fail(self, field: str, message: str):
        self.errors.setdefault(field, message)
        return None


def check_listing(
    values: Mapping[str, str | None], today: date, *, past_repeating_dates: bool = False
) -> tuple[ListingDetails | None, dict[str, str]]:
    """Clean details and no errors, or None and a message for each wrong field.

    With `past_repeating_dates` (the CSV import), a meeting date that has passed
    is kept for a listing that repeats: the date and the rule still give the
    next meetings, and a list prepared weeks ago imports without editing every
    row. A one-off date must still be today or later.
    """
    check = _Checker(values, today, past_repeating_dates)
    name = check.required("name", "Enter the group's name")
    town = check.required("town", "Enter the town or area the group serves")
    region = _region(check)
    meeting_format = _meeting_format(check)
    venue_name, address, district, postcode = _venue(check, meeting_format, region)
    repeats, skip_months, next_on, starts_at, ends_at = _when(check)
    email, phone, website = _contact(check)
    checked_by, checked_on = _checked(check)
    details = ListingDetails(
        reference=_reference(check, name, town),
        name=name, town=town, region=region, meeting_format=meeting_format,
        venue_name=venue_name, address=address, venue_district=district, venue_postcode=postcode,
        meeting_pattern=check.required(
            "meeting_pattern", "Say how often the group meets, like 'Third Tuesday, 7:30pm to 9pm'"
        ),
        repeats=repeats, skip_months=skip_months, next_meeting_on=next_on,
        starts_at=starts_at, ends_at=ends_at,
        what_happens=check.text("what_happens"), cost=check.text("cost"),
        step_free_access=_yes_no(check, "step_free_access"),
        hearing_loop=_yes_no(check, "hearing_loop"),
        parking=_yes_no(check, "parking"),
        accessibility_notes=check.text("accessibility_notes"),
        contact_email=email, contact_phone=phone, website=website,
        is_example=bool(_yes_no(check, "example")), hidden=bool(_yes_no(check, "hidden")),
        checked_by=checked_by, checked_on=checked_on,
    )  # fmt: skip
    if check.errors:
        return None, check.errors
    return details, {}


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _reference(check: _Checker, name: str, town: str) -> str:
    reference = check.text("reference").lower()
    if not reference:
        return make_reference(name, town)
    if not _REFERENCE.fullmatch(reference):
        return check.fail(
            "reference", "Reference must be lower-case letters, numbers and hyphens only"
        )
    return reference


def make_reference(name: str, town: str) -> str:
    """A readable reference from the name and town ("durham-bone-support-durham")."""
    words = re.findall(r"[a-z0-9]+", f"{name} {town}".lower(), re.ASCII)
    return "-".join(dict.fromkeys(words))[:60].strip("-") or "group"


def _region(check: _Checker) -> Region | None:
    typed = check.required("region", "Choose the region the group is in")
    if not typed:
        return None
    wanted = typed.lower()
    region = REGIONS_BY_CODE.get(wanted) or next(
        (r for r in REGIONS if r.name.lower() == wanted), None
    )
    if region is None:
        return check.fail("region", "Choose a region from the list (see docs/listings-csv.md)")
    nation = check.text("nation")
    if nation and nation.lower() != region.nation.lower():
        check.fail("nation", f"{region.name} is in {region.nation}, not {nation}")
    return region


def _meeting_format(check: _Checker) -> str:
    typed = check.required("format", "Choose how the group meets: in person, online or both")
    if typed and typed.lower() not in FORMAT_WORDS:
        return check.fail("format", "How the group meets must be in person, online or both")
    return FORMAT_WORDS.get(typed.lower(), "")


def _venue(check: _Checker, meeting_format: str, region: Region | None):
    """Venue name, address, district and full postcode; needed for groups that meet in person."""
    in_person = meeting_format in (IN_PERSON, BOTH)
    venue_name, address = check.text("venue_name"), check.text("address")
    if in_person and not venue_name:
        check.fail("venue_name", "Enter the name of the venue, like 'Hospital education centre'")
    if in_person and not address:
        check.fail("address", "Enter the venue's address")
    typed = check.text("venue_postcode").upper()
    if not typed:
        if in_person:
            check.fail("venue_postcode", "Enter the venue's postcode, like DH1 5TW or DH1")
        return venue_name, address, None, None
    district = _venue_district(check, typed, region)
    full = _FULL_POSTCODE.fullmatch(typed)
    postcode = f"{full.group(1)} {full.group(2)}" if full else None
    return venue_name, address, district, postcode


def _venue_district(check: _Checker, typed: str, region: Region | None) -> str | None:
    try:
        district = parse_outcode(typed)
    except PostcodeError:
        return check.fail("venue_postcode", "Enter a real postcode, like DH1 5TW, or a district")
    if is_northern_ireland(district):
        if region is not None and region.nation != NORTHERN_IRELAND:
            return check.fail(
                "venue_postcode", "A BT postcode is in Northern Ireland: choose that region"
            )
        return district
    if not is_known_district(district):
        return check.fail("venue_postcode", f"{district} is not a Great Britain postcode district")
    if region is not None and region.nation == NORTHERN_IRELAND:
        return check.fail(
            "venue_postcode", "A venue in Northern Ireland has a postcode starting BT"
        )
    return district


def _when(check: _Checker):
    """Repeat rule, skipped months, the next meeting date and its times."""
    repeats = check.text("repeats").lower() or meetings.NO_REPEAT
    if repeats not in meetings.REPEAT_RULES:
        check.fail("repeats", "Choose how the meetings repeat from the list")
    skip_months = _skip_months(check)
    next_on = _date(check, "next_meeting_date", "the next meeting date")
    if next_on is not None and next_on < check.today:
        _past_date(check, next_on, repeats, skip_months)
    if repeats != meetings.NO_REPEAT and next_on is None:
        check.fail("next_meeting_date", "Enter the date of one meeting, so later ones can follow")
    starts_at = _time(check, "start_time", "start time")
    ends_at = _time(check, "end_time", "end time")
    if ends_at and not starts_at:
        check.fail("start_time", "Enter the start time as well as the end time")
    if starts_at and ends_at and ends_at <= starts_at:
        check.fail("end_time", "The end time must be after the start time")
    if starts_at and next_on is None:
        check.fail("next_meeting_date", "Enter the next meeting date for this start time")
    return repeats, skip_months, next_on, starts_at, ends_at


def _past_date(check: _Checker, next_on: date, repeats: str, skip_months: frozenset[int]):
    """Refuse a meeting date that has passed, unless it repeats and the caller allows it."""
    repeating = repeats in meetings.REPEAT_RULES and repeats != meetings.NO_REPEAT
    if not (check.past_repeating_dates and repeating):
        check.fail("next_meeting_date", "The next meeting date must be today or in the future")
    elif meetings.next_meeting(next_on, repeats, skip_months, check.today) is None:
        check.fail(
            "next_meeting_date",
            "No meeting from this date and repeat rule is still to come: give a recent date",
        )


def _skip_months(check: _Checker) -> frozenset[int]:
    typed = check.text("not_in_months")
    months = set()
    for part in re.split(r"[,;/ ]+", typed.lower()):
        if not part:
            continue
        month = read_whole_number(part) or MONTHS.get(part) or _month_prefix(part)
        if not month or not 1 <= month <= 12:
            check.fail("not_in_months", "Months to skip must be month names, like 'August'")
            return frozenset()
        months.add(month)
    if len(months) == 12:
        check.fail("not_in_months", "A group that meets must meet in at least one month")
        return frozenset()
    return frozenset(months)


def _month_prefix(part: str) -> int | None:
    if len(part) < 3:
        return None
    return next((number for name, number in MONTHS.items() if name.startswith(part)), None)


def _date(check: _Checker, field: str, what: str) -> date | None:
    typed = check.text(field)
    if not typed:
        return None
    parsed = parse_date(typed)
    if parsed is None:
        return check.fail(field, f"Enter {what} as day/month/year, like 21/10/2025")
    return parsed


def parse_date(typed: str) -> date | None:
    """A date written 21/10/2025, 21-10-2025 or 2025-10-21, or None."""
    parts = re.split(r"[/.-]", typed.strip())
    if len(parts) != 3:
        return None
    if len(parts[0]) == 4:
        parts.reverse()  # 2025-10-21
    day, month, year = (read_whole_number(part) for part in parts)
    if None in (day, month, year) or len(parts[2]) != 4:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _time(check: _Checker, field: str, what: str) -> time | None:
    typed = check.text(field)
    if not typed:
        return None
    parsed = parse_time(typed)
    if parsed is None:
        return check.fail(field, f"Enter the {what} like 19:30 or 7:30pm")
    return parsed


def parse_time(typed: str) -> time | None:
    """A time of day written 19:30, 19.30, 7:30pm, 7.30pm or 7pm, or None."""
    match = _TIME.fullmatch(typed.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half and not 1 <= hour <= 12:
        return None
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _contact(check: _Checker) -> tuple[str, str, str]:
    email = check.text("contact_email")
    if email and not EMAIL_PATTERN.fullmatch(email):
        check.fail("contact_email", "Enter an email address like group@example.org")
    phone = _phone(check)
    website = _website(check)
    tried = {"contact_email", "contact_phone", "website"} & set(check.errors)
    if not (email or phone or website or tried):
        check.fail("contact_email", "Give at least one way to get in touch: email, phone or web")
    return email, phone or "", website


def _phone(check: _Checker) -> str | None:
    """A listing keeps its contact number in national format, as the public pages show it."""
    typed = check.text("contact_phone")
    if not typed:
        return ""
    try:
        return parse_uk_number(typed).national
    except PhoneNumberError as error:
        return check.fail("contact_phone", str(error))


def _website(check: _Checker) -> str:
    typed = check.text("website")
    if not typed:
        return ""
    parts = urlsplit(typed)
    if parts.scheme != "https":
        return check.fail("website", "Enter a web address starting https://") or ""
    if "." not in parts.netloc or " " in typed or "@" in parts.netloc:
        return check.fail("website", "Enter a full web address, like https://example.org") or ""
    return typed


def _yes_no(check: _Checker, field: str) -> bool | None:
    typed = check.text(field).lower()
    if typed in YES_WORDS:
        return True
    if typed in NO_WORDS:
        return False
    if typed in ("", "not known", "unknown"):
        return None
    return check.fail(field, f"{_label(field)} must be yes, no or left blank")


def _checked(check: _Checker) -> tuple[str, date | None]:
    checked_by = check.text("checked_by")
    checked_on = _date(check, "checked_on", "the date the listing was checked")
    if checked_on and checked_on > check.today:
        check.fail("checked_on", "The date the listing was checked cannot be in the future")
    if checked_on and not checked_by:
        check.fail("checked_by", "Say who checked the listing")
    if checked_by and not checked_on:
        check.fail("checked_on", "Enter the date the listing was checked")
    return checked_by, checked_on


def _yes_no_text(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _clock_time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def values_from_group(group, today: date) -> dict[str, str]:
    """A listing as the text `check_listing` reads: for the edit form and the CSV export.

    The next meeting date written is the next one from today, so the values
    pass the "not in the past" check when read back in. A one-off meeting that
    has passed is written with no date and no times (a time needs a date), so
    its row still reads back in.
    """
    upcoming = meetings.next_meeting(
        group.next_meeting_on, group.repeats, meetings.parse_skip_months(group.skip_months), today
    )
    month_names = {number: name.capitalize() for name, number in MONTHS.items()}
    return {
        "reference": group.reference, "name": group.name, "town": group.town,
        "nation": group.nation, "region": group.region, "format": group.meeting_format,
        "venue_name": group.venue_name, "address": group.address,
        "venue_postcode": group.venue_postcode or group.venue_district or "",
        "meeting_pattern": group.meeting_pattern, "repeats": group.repeats,
        "not_in_months": ", ".join(
            month_names[month] for month in sorted(meetings.parse_skip_months(group.skip_months))
        ),
        "next_meeting_date": upcoming.strftime("%d/%m/%Y") if upcoming else "",
        "start_time": _clock_time(group.starts_at) if upcoming else "",
        "end_time": _clock_time(group.ends_at) if upcoming else "",
        "what_happens": group.what_happens, "cost": group.cost,
        "step_free_access": _yes_no_text(group.step_free_access),
        "hearing_loop": _yes_no_text(group.hearing_loop),
        "parking": _yes_no_text(group.parking),
        "accessibility_notes": group.accessibility_notes,
        "contact_email": group.contact_email, "contact_phone": group.contact_phone,
        "website": group.website,
        "example": _yes_no_text(group.is_example), "hidden": _yes_no_text(group.hidden),
        "checked_by": group.checked_by,
        "checked_on": group.checked_on.strftime("%d/%m/%Y") if group.checked_on else "",
    }  # fmt: skip
