"""Plain factories for listings, persisting through the real checking and saving code."""

from datetime import date

from webapp.groups.listings import add_group
from webapp.groups.validation import check_listing

TODAY = date(2025, 10, 1)


def listing_values(**overrides) -> dict[str, str]:
    """The text of a good in-person listing in Durham (overridable field by field)."""
    values = {
        "name": "Durham Bone Health Group (example)",
        "town": "Durham",
        "region": "north-east",
        "format": "in-person",
        "venue_name": "Hospital education centre",
        "address": "1 Example Road, Durham",
        "venue_postcode": "DH1 5TW",
        "meeting_pattern": "Third Tuesday of the month, 7.30pm to 9pm, not in August",
        "repeats": "monthly",
        "not_in_months": "August",
        "next_meeting_date": "21/10/2025",
        "start_time": "19:30",
        "end_time": "21:00",
        "what_happens": "A talk, then questions and tea",
        "cost": "£2 a meeting",
        "step_free_access": "yes",
        "hearing_loop": "no",
        "parking": "",
        "contact_email": "durham.group@example.org",
        "contact_phone": "0191 498 0123",
        "website": "https://example.org/durham",
        "example": "yes",
        "checked_by": "A. Admin",
        "checked_on": "01/09/2025",
    }
    values.update(overrides)
    return values


def create_group(session, today: date = TODAY, **overrides):
    """A saved listing made from `listing_values(**overrides)`."""
    details, errors = check_listing(listing_values(**overrides), today)
    assert not errors, errors
    group = add_group(session, details, actor=None)
    session.flush()
    return group


def online_values(**overrides) -> dict[str, str]:
    """A good online-only listing."""
    values = listing_values(
        name="Bones Online (example)",
        town="Online",
        region="london",
        format="online",
        venue_name="",
        address="",
        venue_postcode="",
        meeting_pattern="First Wednesday of the month, 2pm, on Zoom",
        repeats="monthly",
        not_in_months="",
        next_meeting_date="01/10/2025",
        start_time="14:00",
        end_time="15:00",
        contact_phone="",
        contact_email="online.group@example.org",
    )
    values.update(overrides)
    return values
