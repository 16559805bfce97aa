"""Great-circle distances between district centres, and a box to prefilter by.

District centres are rough, so the haversine formula on a sphere is accurate
enough: its error (under 0.5%) is far smaller than a district's size.
"""

import math
from dataclasses import dataclass

# The mean radius of the Earth (IUGG), in miles.
EARTH_RADIUS_MILES = 3958.7613
# Miles per degree of latitude on that sphere.
MILES_PER_DEGREE = math.pi * EARTH_RADIUS_MILES / 180


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in miles between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class BoundingBox:
    """A latitude/longitude rectangle that holds every point within some miles of a centre."""

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(latitude: float, longitude: float, miles: float) -> BoundingBox:
    """A box around a point that contains every point within `miles` of it.

    A database can filter by this cheaply with plain comparisons; the exact
    distance is then worked out only for the few rows inside. The box is a
    little generous on purpose (longitude taken at the box's edge nearest the
    pole), never too tight. Great Britain is far from the poles and the
    antimeridian, so neither needs handling.
    """
    d_lat = miles / MILES_PER_DEGREE
    far_latitude = min(89.0, abs(latitude) + d_lat)
    d_lon = miles / (MILES_PER_DEGREE * math.cos(math.radians(far_latitude)))
    return BoundingBox(latitude - d_lat, latitude + d_lat, longitude - d_lon, longitude + d_lon)
