"""Adding, changing, hiding, deleting and checking support group listings.

Every change is written to the audit log through `record_change`, with the
fields before and after. Functions add and flush; the caller commits once.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change, snapshot
from webapp.groups import meetings
from webapp.groups.validation import MAX_LENGTHS, ListingDetails
from webapp.models.groups import SupportGroup
from webapp.models.staff import StaffMember
from webapp.postcodes import district_centre, is_known_district

AUDITED_FIELDS = tuple(
    column.key
    for column in SupportGroup.__table__.columns
    if column.key not in ("id", "created_at", "updated_at")
)


class DuplicateReferenceError(ValueError):
    """Another listing already uses this reference."""


def add_group(session: Session, details: ListingDetails, actor: StaffMember | None) -> SupportGroup:
    """Add a new listing from checked details, and log it."""
    if _reference_taken(session, details.reference):
        raise DuplicateReferenceError(details.reference)
    group = SupportGroup()
    apply_details(group, details)
    session.add(group)
    session.flush()
    record_change(session, actor, "create", group, None, snapshot(group, AUDITED_FIELDS))
    return group


def update_group(
    session: Session, group: SupportGroup, details: ListingDetails, actor: StaffMember | None
) -> SupportGroup:
    """Change a listing to the checked details, and log what changed."""
    if details.reference != group.reference and _reference_taken(session, details.reference):
        raise DuplicateReferenceError(details.reference)
    before = snapshot(group, AUDITED_FIELDS)
    apply_details(group, details)
    session.flush()
    record_change(session, actor, "update", group, before, snapshot(group, AUDITED_FIELDS))
    return group


def apply_details(group: SupportGroup, details: ListingDetails) -> None:
    """Copy checked details onto a listing, with its district's centre for the search."""
    for field in (
        "reference", "name", "town", "meeting_format", "venue_name", "address", "venue_district",
        "venue_postcode", "meeting_pattern", "repeats", "next_meeting_on", "starts_at", "ends_at",
        "what_happens", "cost", "step_free_access", "hearing_loop", "parking",
        "accessibility_notes", "contact_email", "contact_phone", "website", "is_example",
        "hidden", "checked_by", "checked_on",
    ):  # fmt: skip
        setattr(group, field, getattr(details, field))
    group.region = details.region.code
    group.nation = details.region.nation
    group.skip_months = ",".join(str(month) for month in sorted(details.skip_months))
    group.latitude = group.longitude = None
    if details.venue_district and is_known_district(details.venue_district):
        centre = district_centre(details.venue_district)
        group.latitude, group.longitude = centre.latitude, centre.longitude


def set_hidden(
    session: Session, group: SupportGroup, hidden: bool, actor: StaffMember | None
) -> None:
    """Hide a listing from the public (or show it again), and log it."""
    before = snapshot(group, ["hidden"])
    group.hidden = hidden
    session.flush()
    record_change(session, actor, "hide" if hidden else "show", group, before, {"hidden": hidden})


def delete_group(session: Session, group: SupportGroup, actor: StaffMember | None) -> None:
    """Delete a listing for good, keeping its last details in the audit log."""
    record_change(session, actor, "delete", group, snapshot(group, AUDITED_FIELDS), None)
    session.delete(group)
    session.flush()


def mark_checked(
    session: Session, group: SupportGroup, actor: StaffMember, today: date
) -> None:
    """Record that `actor` confirmed the listing's details today, and log it."""
    before = snapshot(group, ["checked_by", "checked_on"])
    # Names are at most MAX_LENGTHS["checked_by"] now; an account made before that rule
    # may have a longer one, which is cut rather than refused by PostgreSQL.
    group.checked_by = actor.full_name[: MAX_LENGTHS["checked_by"]]
    group.checked_on = today
    session.flush()
    record_change(
        session, actor, "check", group, before, snapshot(group, ["checked_by", "checked_on"])
    )


@dataclass(frozen=True)
class GroupMeeting:
    """A listing's next meeting, for pages and calendar files."""

    on: date | None
    upcoming: list[date]


def next_meeting_of(group: SupportGroup, today: date, count: int = 1) -> GroupMeeting:
    """The listing's next meetings on or after today, from its date and repeat rule."""
    upcoming = meetings.upcoming_meetings(
        group.next_meeting_on,
        group.repeats,
        meetings.parse_skip_months(group.skip_months),
        today,
        count,
    )
    return GroupMeeting(upcoming[0] if upcoming else None, upcoming)


def _reference_taken(session: Session, reference: str) -> bool:
    found = session.execute(select(SupportGroup.id).where(SupportGroup.reference == reference))
    return found.first() is not None
