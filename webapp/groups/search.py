"""Finding support groups and Fracture Liaison Services near a postcode district.

A search costs a fixed number of queries, however many listings there are:
one for groups meeting in person inside a latitude/longitude box around the
district (cheap comparisons on indexed columns), one for groups meeting online,
and one for the Fracture Liaison Services. Exact distances are then worked out
in Python for the few rows inside the box.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.groups.listings import GroupMeeting, needs_checking, next_meeting_of
from webapp.models.groups import BOTH, IN_PERSON, ONLINE, SupportGroup
from webapp.models.staff import FlsService
from webapp.postcodes import (
    DistrictCentre,
    bounding_box,
    haversine_miles,
    is_known_district,
)
from webapp.postcodes.districts import district_centre

# The distances a person can choose, in miles; the first search uses the default.
DISTANCE_CHOICES = (10, 25, 50, 100)
DEFAULT_MILES = 25
# How many Fracture Liaison Services to list when none covers the district.
NEAREST_SERVICES = 3


@dataclass(frozen=True)
class FoundGroup:
    """A listing as the results show it: how far, when it next meets, whether it is stale."""

    group: SupportGroup
    miles: float | None
    meeting: GroupMeeting
    needs_checking: bool

    @property
    def about_miles(self) -> int | None:
        """The distance rounded to a whole mile, never "0" (district centres are rough)."""
        return None if self.miles is None else max(1, round(self.miles))


@dataclass(frozen=True)
class FoundService:
    """A Fracture Liaison Service near the district, or one that covers it."""

    service: FlsService
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
    online: list[FoundGroup] = field(default_factory=list)
    services: list[FoundService] = field(default_factory=list)


def find_groups_near(
    session: Session, centre: DistrictCentre, miles: int, today: date
) -> GroupSearch:
    """Groups meeting in person within `miles` of the district, nearest first; then
    every group meeting online; then the Fracture Liaison Services for the district."""
    nearby = _groups_within(session, centre, miles, today)
    shown = {found.group.id for found in nearby}
    online = [found for found in online_groups(session, today) if found.group.id not in shown]
    services = find_services_near(session, centre.district)
    return GroupSearch(centre.district, miles, nearby, online, services)


def _groups_within(
    session: Session, centre: DistrictCentre, miles: int, today: date
) -> list[FoundGroup]:
    box = bounding_box(centre.latitude, centre.longitude, miles)
    rows = session.scalars(
        select(SupportGroup).where(
            SupportGroup.hidden.is_(False),
            SupportGroup.meeting_format.in_((IN_PERSON, BOTH)),
            SupportGroup.latitude.between(box.min_latitude, box.max_latitude),
            SupportGroup.longitude.between(box.min_longitude, box.max_longitude),
        )
    )
    found = []
    for group in rows:
        distance = haversine_miles(
            centre.latitude, centre.longitude, group.latitude, group.longitude
        )
        if distance <= miles:
            found.append(_found(group, distance, today))
    found.sort(key=lambda item: (item.miles, item.group.name))
    return found


def online_groups(session: Session, today: date) -> list[FoundGroup]:
    """Every visible group that meets online, by name: open to anyone, wherever they live."""
    rows = session.scalars(
        select(SupportGroup)
        .where(SupportGroup.hidden.is_(False), SupportGroup.meeting_format.in_((ONLINE, BOTH)))
        .order_by(SupportGroup.name)
    )
    return [_found(group, None, today) for group in rows]


def groups_in_region(session: Session, region_code: str, today: date) -> list[FoundGroup]:
    """Every visible group listed in a region, by town then name."""
    rows = session.scalars(
        select(SupportGroup)
        .where(SupportGroup.hidden.is_(False), SupportGroup.region == region_code)
        .order_by(SupportGroup.town, SupportGroup.name)
    )
    return [_found(group, None, today) for group in rows]


def _found(group: SupportGroup, miles: float | None, today: date) -> FoundGroup:
    stale = needs_checking(group.checked_on, today)
    return FoundGroup(group, miles, next_meeting_of(group, today), stale)


def find_services_near(session: Session, district: str) -> list[FoundService]:
    """Services that cover the district first; else the nearest few by hospital district.

    A Northern Ireland district has no centre in the GB data, so only services
    that list it as covered can be found for it.

    There are a few hundred services at most in the UK, so all visible ones are
    read in one query (their districts come with them) and sorted here.
    """
    services = session.scalars(select(FlsService).where(FlsService.hidden.is_(False))).all()
    centre = district_centre(district) if is_known_district(district) else None
    found = [_found_service(service, district, centre) for service in services]
    covering = [item for item in found if item.covers_district]
    if covering:
        return sorted(covering, key=lambda item: (item.miles is None, item.miles or 0))
    located = sorted((item for item in found if item.miles is not None), key=lambda i: i.miles)
    return located[:NEAREST_SERVICES]


def _found_service(
    service: FlsService, district: str, centre: DistrictCentre | None
) -> FoundService:
    miles = None
    if centre is not None and is_known_district(service.hospital_district):
        hospital = district_centre(service.hospital_district)
        miles = haversine_miles(
            centre.latitude, centre.longitude, hospital.latitude, hospital.longitude
        )
    return FoundService(service, district in service.covered_districts, miles)
