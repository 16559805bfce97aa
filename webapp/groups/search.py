"""Finding support groups and Fracture Liaison Services near a postcode district.

A search costs a fixed number of queries, however many listings there are:
two for groups meeting in person inside a latitude/longitude box around the
district (cheap comparisons on indexed columns), one for groups meeting online
(with how many there are), and one to three for the Fracture Liaison Services.
Exact distances are then worked out in Python for the few rows inside the box.
A busy process does better still: SharedListings reads, once for each version
of the listings (kept by kept_pages.py), every visible group's place and card,
the first online groups and every service, and a search drawn afresh from it
makes no query at all (the same box, distances and order, in Python). With
thousands of listings that is a few megabytes a process.

The queries select only the columns shown, as Core statements on the session's
connection: no database objects are built, and the ORM's work of compiling
and reading each statement for entities is skipped (a fresh page is drawn for
most searches, as people search from all over Great Britain).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, time

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from webapp.groups.checking import needs_checking
from webapp.groups.listings import GroupMeeting, next_meeting_of
from webapp.models.groups import BOTH, ONLINE, MeetingFormat, SupportGroup
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
class GroupCard(MeetingFormat):
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


# The tables' columns, for Core statements: the mapper's columns by attribute name.
_GROUP = SupportGroup.__mapper__.columns
_SERVICE = FlsService.__mapper__.columns
_COVERED = FlsServiceDistrict.__mapper__.columns
# A card's columns, in the order of its fields.
_CARD_COLUMNS = tuple(_GROUP[item.name] for item in fields(GroupCard))
# A group's place, to find the nearest: its id, name (to order groups equally far),
# latitude and longitude (the first two as in a card).
_POINT_COLUMNS = (_GROUP.id, _GROUP.name, _GROUP.latitude, _GROUP.longitude)
_VISIBLE_IN_PERSON = (
    _GROUP.hidden.is_(False),
    # In person or both ways (a check constraint allows only three formats), written so
    # that SQLite reads the box's index, not the one for the online list.
    _GROUP.meeting_format != ONLINE,
)
_VISIBLE_ONLINE = (_GROUP.hidden.is_(False), _GROUP.meeting_format.in_((ONLINE, BOTH)))
_BY_NAME = (_GROUP.name, _GROUP.id)


def _cards(session: Session, query) -> list[GroupCard]:
    return [GroupCard(*row) for row in _rows(session, query)]


def _rows(session: Session, query):
    """Run a Core statement on the session's connection, in its transaction."""
    return session.connection().execute(query)


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
    _SERVICE.id, _SERVICE.name, _SERVICE.hospital, _SERVICE.phone,
    _SERVICE.opening_hours, _SERVICE.hospital_district, _SERVICE.is_example,
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
    session: Session,
    centre: DistrictCentre,
    miles: int,
    today: date,
    shared: "SharedListings | None" = None,
) -> GroupSearch:
    """Groups meeting in person within `miles` of the district, nearest first; then
    the first groups meeting online; then the Fracture Liaison Services for the district.
    With `shared` (read for the listings as they are now), all of them are taken from it
    rather than read again."""
    # A group that meets both ways is shown once: nearby, marked as meeting online too.
    if shared is None:
        nearby, nearby_total = _groups_within(session, centre, miles, today)
        online, online_total = online_groups(
            session, today, limit=MOST_ONLINE, leave_out=listed_ids(nearby)
        )
        services = find_services_near(session, centre.district)
    else:
        nearby, nearby_total = shared.groups_within(centre, miles, today)
        online, online_total = shared.first_online(today, listed_ids(nearby))
        services = shared.services_for(centre.district)
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
    points = _rows(
        session,
        select(*_POINT_COLUMNS).where(
            *_VISIBLE_IN_PERSON,
            _GROUP.latitude.between(box.min_latitude, box.max_latitude),
            _GROUP.longitude.between(box.min_longitude, box.max_longitude),
        ),
    )
    shown, total = _nearest_groups(points, centre, miles)
    by_id = {
        group.id: group
        for group in _cards(
            session,
            select(*_CARD_COLUMNS).where(_GROUP.id.in_([group_id for *_, group_id in shown])),
        )
    }
    # A group hidden or removed between the two queries is left out, not looked for.
    return [_found(by_id[group_id], distance, today)
            for distance, _, group_id in shown if group_id in by_id], total  # fmt: skip


def _nearest_groups(
    points: Iterable[tuple[int, str, float, float]], centre: DistrictCentre, miles: int
) -> tuple[list[tuple[float, str, int]], int]:
    """(miles, name, id) of the MOST_NEARBY of `points` nearest the centre within `miles`,
    nearest first, and how many are within `miles` in all."""
    within = []
    for group_id, name, latitude, longitude in points:
        distance = haversine_miles(centre.latitude, centre.longitude, latitude, longitude)
        if distance <= miles:
            within.append((distance, name, group_id))
    within.sort()
    return within[:MOST_NEARBY], len(within)


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
    them, as it is the number on the page of every online group. One query: the
    total comes with the rows (a subquery), and the groups left out are
    passed over in Python (a search leaves out at most MOST_NEARBY).
    """
    if not leave_out:
        rows, total = _counted_cards(session, _VISIBLE_ONLINE, _BY_NAME, limit, offset)
        return [_found(group, None, today) for group in rows], total
    enough = None if limit is None else offset + limit + len(leave_out)
    rows, total = _counted_cards(session, _VISIBLE_ONLINE, _BY_NAME, enough, 0)
    return _online_shown(rows, today, leave_out, offset, limit), total


def _online_shown(
    rows: Iterable[GroupCard], today: date, leave_out: Collection[int], offset: int,
    limit: int | None,
) -> list[FoundGroup]:
    """The online groups of `rows` (by name) a page shows: those it does not show already,
    from `offset`, `limit` of them at most."""
    left_out = set(leave_out)
    shown = [group for group in rows if group.id not in left_out][offset:]
    shown = shown if limit is None else shown[:limit]
    return [_found(group, None, today) for group in shown]


def _counted_cards(
    session: Session, conditions, order, limit: int | None, offset: int
) -> tuple[list[GroupCard], int]:
    """The cards of a page of the groups meeting `conditions`, and how many there are in all."""
    # The count as a subquery, evaluated once: a window count would read every row.
    total = select(func.count()).select_from(SupportGroup.__table__).where(*conditions)
    query = select(*_CARD_COLUMNS, total.scalar_subquery()).where(*conditions).order_by(*order)
    rows = _rows(session, query.offset(offset).limit(limit)).all()
    if rows:
        return [GroupCard(*row[:-1]) for row in rows], rows[0][-1]
    # Past the last page there is no row to carry the count: count on its own.
    return [], _rows(session, total).scalar() if offset else 0


def groups_in_region(
    session: Session, region_code: str, today: date, limit: int | None = None, offset: int = 0
) -> tuple[list[FoundGroup], int]:
    """Visible groups listed in a region, by town then name, and how many in all."""
    in_region = (_GROUP.hidden.is_(False), _GROUP.region == region_code)
    order = (_GROUP.town, _GROUP.name, _GROUP.id)
    rows, total = _counted_cards(session, in_region, order, limit, offset)
    return [_found(group, None, today) for group in rows], total


def _found(group: GroupCard, miles: float | None, today: date) -> FoundGroup:
    stale = needs_checking(group.checked_on, today)
    return FoundGroup(group, miles, next_meeting_of(group, today), stale)


def find_services_near(session: Session, district: str) -> list[FoundService]:
    """Services that cover the district first; else the nearest few by hospital district.

    A Northern Ireland district has no centre in the GB data, so only services
    that list it as covered can be found for it. One query when a service covers
    the district (the covering services with all the districts they cover), else
    three: that one, every hospital's district as plain tuples, and the nearest
    few services with their districts.
    """
    centre = _centre_of(district)
    covering = select(_COVERED.fls_service_id).where(_COVERED.outcode == district)
    services = _service_listings(session, _SERVICE.id.in_(covering.scalar_subquery()))
    if services:
        return _covering(services.values(), centre)
    if centre is None:
        return []
    hospitals = _rows(
        session, select(_SERVICE.id, _SERVICE.hospital_district).where(_SERVICE.hidden.is_(False))
    )
    nearest = _nearest(centre, hospitals)
    by_id = _service_listings(session, _SERVICE.id.in_([item for _, item in nearest]))
    return [FoundService(by_id[service_id], False, miles) for miles, service_id in nearest]


def _centre_of(district: str) -> DistrictCentre | None:
    return district_centre(district) if is_known_district(district) else None


def _covering(
    services: Iterable[ServiceListing], centre: DistrictCentre | None
) -> list[FoundService]:
    """The services that cover a district, nearest hospital first (by name where equal)."""
    by_name = sorted(services, key=lambda item: (item.name, item.id))
    found = [FoundService(service, True, _hospital_miles(centre, service.hospital_district))
             for service in by_name]  # fmt: skip
    return sorted(found, key=lambda item: (item.miles is None, item.miles or 0))


def _nearest(
    centre: DistrictCentre, hospitals: Iterable[tuple[int, str]]
) -> list[tuple[float, int]]:
    """(miles, service id) of the NEAREST_SERVICES services whose hospital is nearest."""
    return sorted(
        (miles, service_id)
        for service_id, hospital_district in hospitals
        if (miles := _hospital_miles(centre, hospital_district)) is not None
    )[:NEAREST_SERVICES]


def _service_listings(session: Session, which) -> dict[int, ServiceListing]:
    """The visible services meeting `which` as plain values, by id, each with the districts
    it covers: one query, a row for each service and district."""
    rows = _rows(
        session,
        select(*_SERVICE_COLUMNS, _COVERED.outcode)
        .join_from(FlsService.__table__, FlsServiceDistrict.__table__, isouter=True)
        .where(_SERVICE.hidden.is_(False), which),
    )
    columns: dict[int, tuple] = {}
    covered: dict[int, list[str]] = {}
    for *service, outcode in rows:
        columns.setdefault(service[0], tuple(service))
        districts = covered.setdefault(service[0], [])
        if outcode is not None:
            districts.append(outcode)
    return {number: ServiceListing(*values, covered_districts=tuple(sorted(covered[number])))
            for number, values in columns.items()}  # fmt: skip


def _hospital_miles(centre: DistrictCentre | None, hospital_district: str) -> float | None:
    hospital = None if centre is None else known_centre(hospital_district)
    if hospital is None:
        return None
    return haversine_miles(centre.latitude, centre.longitude, hospital.latitude, hospital.longitude)


@dataclass(frozen=True)
class SharedListings:
    """What every search page is drawn from, read once for the listings as they are: each
    visible group meeting in person, its place and card; the first groups meeting
    online, by name, with how many there are; and every visible Fracture Liaison
    Service with the districts it covers. Three queries, where each page drawn afresh
    would make four or five; webapp/groups/kept_pages.py keeps one for each version of
    the listings, so a listing changed is never shown as it was."""

    in_person: tuple[tuple[int, str, float, float], ...]  # visible groups meeting in person
    cards: dict[int, GroupCard]  # their cards, by id
    online: tuple[GroupCard, ...]  # enough for MOST_ONLINE after leaving out MOST_NEARBY
    online_total: int
    services: dict[int, ServiceListing]
    covering: dict[str, tuple[int, ...]]  # district: the services that cover it

    @classmethod
    def read(cls, session: Session) -> "SharedListings":
        online, total = _counted_cards(
            session, _VISIBLE_ONLINE, _BY_NAME, MOST_ONLINE + MOST_NEARBY, 0
        )
        services = _service_listings(session, true())
        covering: dict[str, list[int]] = {}
        for service in services.values():
            for district in service.covered_districts:
                covering.setdefault(district, []).append(service.id)
        # Each group's card and place from one query, so the two always agree.
        cards, in_person = {}, []
        rows = _rows(session, select(*_CARD_COLUMNS, _GROUP.latitude, _GROUP.longitude)
                     .where(*_VISIBLE_IN_PERSON))  # fmt: skip
        for *card_values, latitude, longitude in rows:
            card = cards[card_values[0]] = GroupCard(*card_values)
            if latitude is not None and longitude is not None:  # as the box query leaves out
                in_person.append((card.id, card.name, latitude, longitude))
        return cls(tuple(in_person), cards, tuple(online), total, services,
                   {district: tuple(ids) for district, ids in covering.items()})  # fmt: skip

    def groups_within(
        self, centre: DistrictCentre, miles: int, today: date
    ) -> tuple[list[FoundGroup], int]:
        """As the groups of find_groups_near: the nearest within `miles`, and how many."""
        box = bounding_box(centre.latitude, centre.longitude, miles)
        points = (point for point in self.in_person
                  if box.min_latitude <= point[2] <= box.max_latitude
                  and box.min_longitude <= point[3] <= box.max_longitude)  # fmt: skip
        shown, total = _nearest_groups(points, centre, miles)
        return [_found(self.cards[group_id], distance, today)
                for distance, _, group_id in shown], total  # fmt: skip

    def first_online(self, today: date, leave_out: Collection[int]) -> tuple[list[FoundGroup], int]:
        """As online_groups(session, today, MOST_ONLINE, leave_out=leave_out)."""
        return _online_shown(self.online, today, leave_out, 0, MOST_ONLINE), self.online_total

    def services_for(self, district: str) -> list[FoundService]:
        """As find_services_near(session, district)."""
        centre = _centre_of(district)
        covering = self.covering.get(district)
        if covering:
            return _covering((self.services[number] for number in covering), centre)
        if centre is None:
            return []
        hospitals = [(number, service.hospital_district)
                     for number, service in self.services.items()]  # fmt: skip
        return [FoundService(self.services[service_id], False, miles)
                for miles, service_id in _nearest(centre, hospitals)]  # fmt: skip
