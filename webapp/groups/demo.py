"""Made-up listings for the embedded default, loaded by `flask seed demo`.

Every group and service here is fictional: names end "(example)", each is
marked as an example listing (the public pages say so), phone numbers come
from Ofcom's ranges kept for drama, and addresses and emails use example
domains. Their meeting dates are worked out from today, so the demo never
shows a meeting in the past. A production deployment starts with none of them.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.groups import fls, meetings
from webapp.groups.listings import add_group, update_group
from webapp.groups.validation import check_listing
from webapp.models.groups import SupportGroup
from webapp.models.staff import FlsService

CHECKER = "BoneCheck demo data"

# (reference, name, town, region, format, district, week, weekday, repeats, times, extra)
_GROUPS = [
    ("example-durham", "Durham Bone Health Group (example)", "Durham", "north-east", "in-person",
     "DH1", 3, 1, "monthly", ("19:30", "21:00"),
     {"meeting_pattern": "Third Tuesday of the month, 7:30pm to 9pm, not in August",
      "not_in_months": "August", "cost": "£2 a meeting", "contact_phone": "0191 498 0101"}),
    ("example-tyneside", "Tyneside Strong Bones (example)", "Newcastle upon Tyne", "north-east",
     "in-person", "NE1", 1, 0, "monthly", ("14:00", "15:30"),
     {"meeting_pattern": "First Monday of the month, 2pm to 3:30pm", "cost": "Free",
      "contact_phone": "0191 498 0202"}),
    ("example-london", "Southwark Bones Together (example)", "London", "london", "in-person",
     "SE1", 1, 3, "monthly", ("14:00", "15:30"),
     {"meeting_pattern": "First Thursday of the month, 2pm to 3:30pm", "cost": "Free",
      "contact_phone": "020 7946 0303"}),
    ("example-cardiff", "Cardiff Osteoporosis Support (example)", "Cardiff", "wales", "in-person",
     "CF10", 2, 2, "monthly", ("10:30", "12:00"),
     {"meeting_pattern": "Second Wednesday of the month, 10:30am to midday",
      "cost": "£1 a meeting", "contact_phone": "029 2018 0404"}),
    ("example-glasgow", "Glasgow Bone Health Group (example)", "Glasgow", "scotland", "in-person",
     "G1", meetings.LAST, 0, "monthly", ("18:30", "20:00"),
     {"meeting_pattern": "Last Monday of the month, 6:30pm to 8pm", "cost": "Free",
      "contact_phone": "0141 496 0505"}),
    ("example-manchester", "Manchester Bone Health Group (example)", "Manchester", "north-west",
     "both", "M1", 2, 5, "monthly", ("11:00", "12:30"),
     {"meeting_pattern": "Second Saturday of the month, 11am to 12:30pm, in person and online",
      "cost": "Free", "contact_phone": "0161 496 0606"}),
    ("example-bristol", "Bristol Bone Friends (example)", "Bristol", "south-west", "in-person",
     "BS1", 1, 1, "every-2-months", ("14:00", "16:00"),
     {"meeting_pattern": "First Tuesday of every other month, 2pm to 4pm",
      "cost": "£5 a year", "contact_phone": "0117 496 0707"}),
    ("example-norwich", "Norwich and Norfolk Bone Support (example)", "Norwich",
     "east-of-england", "in-person", "NR1", 4, 3, "monthly", ("14:00", "15:30"),
     {"meeting_pattern": "Fourth Thursday of the month, 2pm to 3:30pm", "cost": "Free"}),
    ("example-inverness", "Highland Bone Health Group (example)", "Inverness", "scotland",
     "in-person", "IV2", 1, 5, "every-6-months", ("11:00", "13:00"),
     {"meeting_pattern": "Twice a year, on a Saturday: a consultant's talk and questions",
      "cost": "Free"}),
    ("example-belfast", "Belfast Bone Health Group (example)", "Belfast", "northern-ireland",
     "in-person", "BT9", 2, 3, "monthly", ("19:00", "20:30"),
     {"meeting_pattern": "Second Thursday of the month, 7pm to 8:30pm", "cost": "Free",
      "contact_phone": "028 9018 0808"}),
    ("example-online-coffee", "Bones Online Coffee Morning (example)", "Online", "london",
     "online", "", 1, 2, "weekly", ("10:00", "11:00"),
     {"meeting_pattern": "Every Wednesday, 10am to 11am, by video call", "cost": "Free"}),
    ("example-online-evening", "Evening Bone Health Chat (example)", "Online", "wales", "online",
     "", 3, 3, "monthly", ("19:00", "20:00"),
     {"meeting_pattern": "Third Thursday of the month, 7pm to 8pm, by video call",
      "cost": "Free"}),
]  # fmt: skip

_SERVICES = [
    ("Durham Fracture Liaison Service (example)", "Example Hospital, Durham", "0191 498 0909",
     "DH1", "DH1 DH2 DH3 DH6 DH7 DH8"),
    ("South London Fracture Liaison Service (example)", "Example Hospital, London",
     "020 7946 0910", "SE1", "SE1 SE5 SE11 SE15 SE17 SW8 SW9"),
    ("Cardiff Fracture Liaison Service (example)", "Example Hospital, Cardiff", "029 2018 0911",
     "CF14", "CF3 CF5 CF10 CF11 CF14 CF23 CF24"),
    ("Glasgow Fracture Liaison Service (example)", "Example Hospital, Glasgow", "0141 496 0912",
     "G51", "G1 G2 G3 G4 G5 G11 G12 G51"),
]  # fmt: skip


def demo_listing_values(today: date) -> list[dict[str, str]]:
    """The demo groups as listing text, with next meeting dates from today."""
    rows = []
    for reference, name, town, region, fmt, district, week, weekday, repeats, times, extra in (
        _GROUPS
    ):
        in_person = fmt != "online"
        rows.append({
            "reference": reference, "name": name, "town": town, "region": region, "format": fmt,
            "venue_name": "Example Community Centre" if in_person else "",
            "address": f"1 Example Street, {town}" if in_person else "",
            "venue_postcode": district, "repeats": repeats,
            "next_meeting_date": _next_date(today, week, weekday).strftime("%d/%m/%Y"),
            "start_time": times[0], "end_time": times[1],
            "what_happens": "A short talk, then questions, tea and a chat",
            "step_free_access": "yes" if in_person else "",
            "hearing_loop": "yes" if in_person else "", "parking": "no" if in_person else "",
            "contact_email": f"{reference}@example.org",
            "website": f"https://example.org/groups/{reference}",
            "example": "yes", "checked_by": CHECKER, "checked_on": today.strftime("%d/%m/%Y"),
            **extra,
        })  # fmt: skip
    return rows


def _next_date(today: date, week: int, weekday: int) -> date:
    """The first `week`th `weekday` of a month on or after today."""
    year, month = today.year, today.month
    while True:
        day = meetings.nth_weekday(year, month, weekday, week)
        if day >= today:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def load_demo_listings(session: Session, today: date) -> tuple[int, int]:
    """Add or refresh the demo groups and services; (groups, services). Safe to run again.

    Only listings marked as examples are ever changed: a real listing that
    happens to share a reference is left alone and reported.
    """
    existing = {
        group.reference: group
        for group in session.scalars(
            select(SupportGroup).where(SupportGroup.reference.like("example-%"))
        )
    }
    for values in demo_listing_values(today):
        details, errors = check_listing(values, today)
        if errors:
            raise ValueError(f"Demo listing {values['reference']} is wrong: {errors}")
        group = existing.get(details.reference)
        if group is None:
            add_group(session, details, None)
        elif group.is_example:
            update_group(session, group, details, None)
        else:
            raise ValueError(f"{details.reference} belongs to a real listing, so it is left alone")
    return len(_GROUPS), _load_demo_services(session, today)


def _load_demo_services(session: Session, today: date) -> int:
    names = [name for name, *_ in _SERVICES]
    existing = {
        service.name: service
        for service in session.scalars(
            select(FlsService).where(FlsService.is_example.is_(True), FlsService.name.in_(names))
        )
    }
    for name, hospital, phone, hospital_district, covered in _SERVICES:
        values = {
            "name": name, "hospital": hospital, "phone": phone,
            "hospital_district": hospital_district, "covered_districts": covered,
            "opening_hours": "Monday to Friday, 9am to 5pm",
            "what_it_does": "A made-up service to show how the finder works",
        }  # fmt: skip
        details, errors = fls.check_service(values, today)
        if errors:
            raise ValueError(f"Demo service {name} is wrong: {errors}")
        service = existing.get(name)
        if service is None:
            service = fls.add_service(session, details, None)
            service.is_example = True
        else:
            fls.update_service(session, service, details, None)
        service.checked_on = today
    session.flush()
    return len(_SERVICES)
