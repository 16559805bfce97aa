"""Finding support groups and Fracture Liaison Services near a postcode district.

A search costs a fixed number of queries, however many listings there are:
one for groups meeting in person inside a latitude/longitude box around the
district (cheap comparisons on indexed columns), one for groups meeting online,
and one for the Fracture Liaison Services. Exact distances are then worked out
in Python for the few rows inside the box.
"""

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.groups.checking import needs_checking
from webapp.groups.listings import GroupMeeting, next_meeting_of
from webapp.models.groups import BOTH, IN_PERSON, ONLINE, SupportGroup
from webapp.models.staff import FlsService, FlsServiceDistrict
from webapp.phones import national_format
from webapp.postcodes import (
    DistrictCentre,
    bounding_box,
    haversine_miles,
    is_known_district,
)
from webapp.postcodes.districts import district_centre, known_centre

# The distances a person can choose, in miles; the first search uses the default.
DISTANCE_CHOICES = (10, 25, 50, 100)
DEFAULT_MILES = 25
# How many Fracture Liaison Services to list when none covers the district.
NEAREST_SERVICES = 3
# A results page lists at most this many in-person groups (nearest first) and
# online groups; the rest are a link away. Keeps every page short, and its cost
# fixed however many listings there are.
MOST_NEARBY = 20
MOST_ONLINE = 5


@dataclass(frozen=True)
class GroupCard:
    """A listing as the finder's cards show it: plain values read for one page.

    Not the database object, for speed (no object to build and track for each row)
    and so that no page leaves database objects for the garbage collector (see
    ServiceListing). The group's own page still reads the full listing.
    """

    id: int
    name: str
    town: str
    meeting_format: str
    venue_name: str
    meeting_pattern: str
    repeats: str
    skip_months: str
    next_meeting_on: date | None
    starts_at: time | None
    ends_at: time | None
    cost: str
    is_example: bool
    checked_on: date | None

    @property
    def meets_in_person(self) -> bool:
        """True if the group meets at a venue (some do both)."""
        return self.meeting_format in (IN_PERSON, BOTH)

    @property
    def meets_online(self) -> bool:
        """True if the group meets online (some do both)."""
        return self.meeting_format in (ONLINE, BOTH)


# A card's columns, in the order of its fields.
_CARD_COLUMNS = tuple(getattr(SupportGroup, item.name) for item in fields(GroupCard))


def _cards(session: Session, query) -> list[GroupCard]:
    return [GroupCard(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class FoundGroup:
    """A listing as the results show it: how far, when it next meets, whether it is stale."""

    group: GroupCard
    miles: float | None
    meeting: GroupMeeting
    needs_checking: bool

    @property
    def about_miles(self) -> int | None:
        """The distance rounded to a whole mile, never "0" (district centres are rough)."""
        return None if self.miles is None else max(1, round(self.miles))


@dataclass(frozen=True)
class ServiceListing:
    """A Fracture Liaison Service as the finder shows it: plain values read for one page.

    Not the database object: FlsService and its covered districts point at each
    other, so each page that loaded them left a cycle of database objects for
    Python's garbage collector, which runs in whichever thread triggers it, in
    the middle of another request; under threaded workers that crashed a worker
    now and then with a segmentation fault (docs/deployment.md).
    """

    id: int
    name: str
    hospital: str
    phone: str
    opening_hours: str
    hospital_district: str
    is_example: bool
    covered_districts: tuple[str, ...]

    @property
    def phone_national(self) -> str:
        """The phone number as people in the UK write it, for example 0113 496 0123."""
        return national_format(self.phone)


# The columns a service's card shows, and its hospital's district for distances.
_SERVICE_COLUMNS = (
    FlsService.id, FlsService.name, FlsService.hospital, FlsService.phone,
    FlsService.opening_hours, FlsService.hospital_district, FlsService.is_example,
)  # fmt: skip


@dataclass(frozen=True)
class FoundService:
    """A Fracture Liaison Service near the district, or one that covers it."""

    service: ServiceListing
    covers_district: bool
    miles: float | None

    @property
    def about_miles(self) -> int | None:
        return None if self.miles is None else max(1, round(self.miles))


@dataclass
class GroupSearch:
    """Everything the results page shows for one district and distance."""

    district: str
    miles: int
    nearby: list[FoundGroup] = field(default_factory=list)
    nearby_total: int = 0
    online: list[FoundGroup] = field(default_factory=list)
    online_total: int = 0
    services: list[FoundService] = field(default_factory=list)

    @property
    def online_listed_above(self) -> int:
        """How many of the nearby groups also meet online (so are not repeated below)."""
        return sum(found.group.meets_online for found in self.nearby)


def find_groups_near(
    session: Session, centre: DistrictCentre, miles: int, today: date
) -> GroupSearch:
    """Groups meeting in person within `miles` of the district, nearest first; then
    the first groups meeting online; then the Fracture Liaison Services for the district."""
    nearby, nearby_total = _groups_within(session, centre, miles, today)
    # A group that meets both ways is shown once: nearby, marked as meeting online too.
    online, online_total = online_groups(
        session, today, limit=MOST_ONLINE, leave_out=listed_ids(nearby)
    )
    services = find_services_near(session, centre.district)
    return GroupSearch(
        centre.district, miles, nearby, nearby_total, online, online_total, services
    )


def _groups_within(
    session: Session, centre: DistrictCentre, miles: int, today: date
) -> tuple[list[FoundGroup], int]:
    """The nearest MOST_NEARBY groups within `miles`, and how many there are in all.

    Two queries: the ids and points inside the box (plain tuples, cheap even when
    a city's box holds hundreds), then the cards of the few that are shown.
    """
    box = bounding_box(centre.latitude, centre.longitude, miles)
    points = session.execute(
        select(SupportGroup.id, SupportGroup.name, SupportGroup.latitude, SupportGroup.longitude)
        .where(
            SupportGroup.hidden.is_(False),
            SupportGroup.meeting_format.in_((IN_PERSON, BOTH)),
            SupportGroup.latitude.between(box.min_latitude, box.max_latitude),
            SupportGroup.longitude.between(box.min_longitude, box.max_longitude),
        )
    )
    within = []
    for group_id, name, latitude, longitude in points:
        distance = haversine_miles(centre.latitude, centre.longitude, latitude, longitude)
        if distance <= miles:
            within.append((distance, name, group_id))
    within.sort()
    shown = within[:MOST_NEARBY]
    by_id = {
        group.id: group
        for group in _cards(
            session,
            select(*_CARD_COLUMNS).where(SupportGroup.id.in_([group_id for *_, group_id in shown])),
        )
    }
    found = [_found(by_id[group_id], distance, today) for distance, _, group_id in shown]
    return found, len(within)


def listed_ids(found: list[FoundGroup]) -> list[int]:
    """The ids of groups a page already shows, to leave out of its online list."""
    return [item.group.id for item in found]


def online_groups(
    session: Session,
    today: date,
    limit: int | None = None,
    offset: int = 0,
    leave_out: Collection[int] = (),
) -> tuple[list[FoundGroup], int]:
    """Visible groups that meet online (some also in person), by name, and how many in all.

    Open to anyone, wherever they live, so every search shows some of them.
    `leave_out` names groups the page already shows; the total still counts
    them, as it is the number on the page of every online group.
    """
    visible_online = (
        SupportGroup.hidden.is_(False), SupportGroup.meeting_format.in_((ONLINE, BOTH))
    )
    query = select(*_CARD_COLUMNS).where(*visible_online)
    query = query.order_by(SupportGroup.name, SupportGroup.id)
    if leave_out:
        query = query.where(SupportGroup.id.not_in(leave_out))
    rows = _cards(session, query.offset(offset).limit(limit))
    counted = limit is None and not leave_out
    total = len(rows) if counted else _count(session, visible_online)
    return [_found(group, None, today) for group in rows], total


def _count(session: Session, conditions) -> int:
    return session.scalar(select(func.count()).select_from(SupportGroup).where(*conditions))


def groups_in_region(
    session: Session, region_code: str, today: date, limit: int | None = None, offset: int = 0
) -> tuple[list[FoundGroup], int]:
    """Visible groups listed in a region, by town then name, and how many in all."""
    in_region = (SupportGroup.hidden.is_(False), SupportGroup.region == region_code)
    query = select(*_CARD_COLUMNS).where(*in_region).order_by(
        SupportGroup.town, SupportGroup.name, SupportGroup.id
    )
    rows = _cards(session, query.offset(offset).limit(limit))
    total = len(rows) if limit is None else _count(session, in_region)
    return [_found(group, None, today) for group in rows], total


def _found(group: GroupCard, miles: float | None, today: date) -> FoundGroup:
    stale = needs_checking(group.checked_on, today)
    return FoundGroup(group, miles, next_meeting_of(group, today), stale)


def find_services_near(session: Session, district: str) -> list[FoundService]:
    """Services that cover the district first; else the nearest few by hospital district.

    A Northern Ireland district has no centre in the GB data, so only services
    that list it as covered can be found for it. At most three queries: covering
    services (an indexed lookup), or every hospital's district as plain tuples
    and then the nearest few; and the shown services' covered districts.
    """
    centre = district_centre(district) if is_known_district(district) else None
    covering = session.execute(
        select(*_SERVICE_COLUMNS)
        .join(FlsServiceDistrict)
        .where(FlsService.hidden.is_(False), FlsServiceDistrict.outcode == district)
        .order_by(FlsService.name)
    ).all()
    if covering:
        services = _service_listings(session, covering)
        found = [FoundService(service, True, _hospital_miles(centre, service.hospital_district))
                 for service in services]  # fmt: skip
        return sorted(found, key=lambda item: (item.miles is None, item.miles or 0))
    if centre is None:
        return []
    return _nearest_services(session, centre)


def _nearest_services(session: Session, centre: DistrictCentre) -> list[FoundService]:
    hospitals = session.execute(
        select(FlsService.id, FlsService.hospital_district).where(FlsService.hidden.is_(False))
    )
    distances = sorted(
        (miles, service_id)
        for service_id, hospital_district in hospitals
        if (miles := _hospital_miles(centre, hospital_district)) is not None
    )[:NEAREST_SERVICES]
    rows = session.execute(
        select(*_SERVICE_COLUMNS).where(FlsService.id.in_([item for _, item in distances]))
    ).all()
    by_id = {service.id: service for service in _service_listings(session, rows)}
    return [FoundService(by_id[service_id], False, miles) for miles, service_id in distances]


def _service_listings(session: Session, rows) -> list[ServiceListing]:
    """The services in `rows` as plain values, each with the districts it covers (one query)."""
    if not rows:
        return []
    covered: dict[int, list[str]] = {row.id: [] for row in rows}
    districts = session.execute(
        select(FlsServiceDistrict.fls_service_id, FlsServiceDistrict.outcode).where(
            FlsServiceDistrict.fls_service_id.in_(list(covered))
        )
    )
    for service_id, outcode in districts:
        covered[service_id].append(outcode)
    return [ServiceListing(**row._asdict(), covered_districts=tuple(sorted(covered[row.id])))
            for row in rows]  # fmt: skip


def _hospital_miles(centre: DistrictCentre | None, hospital_district: str) -> float | None:
    hospital = None if centre is None else known_centre(hospital_district)
    if hospital is None:
        return None
    return haversine_miles(centre.latitude, centre.longitude, hospital.latitude, hospital.longitude)
