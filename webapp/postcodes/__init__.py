"""Postcode districts: read what a person typed, find its centre, measure distances.

Pure Python, nothing of Flask. Only the district (the outward code, such as
`DH1`) is ever kept: a full postcode is reduced to it at once, because the
search needs no more and a full postcode can point at a single home.
"""

from webapp.postcodes.attribution import ATTRIBUTION_LINES, LICENCE_NAME, LICENCE_URL
from webapp.postcodes.distance import BoundingBox, bounding_box, haversine_miles
from webapp.postcodes.districts import DistrictCentre, district_centre, is_known_district
from webapp.postcodes.outcodes import (
    NORTHERN_IRELAND_AREA,
    NotAPostcodeError,
    PostcodeError,
    UnknownDistrictError,
    is_northern_ireland,
    parse_outcode,
    postcode_area,
)

__all__ = [
    "ATTRIBUTION_LINES",
    "LICENCE_NAME",
    "LICENCE_URL",
    "NORTHERN_IRELAND_AREA",
    "BoundingBox",
    "DistrictCentre",
    "NotAPostcodeError",
    "PostcodeError",
    "UnknownDistrictError",
    "bounding_box",
    "district_centre",
    "haversine_miles",
    "is_known_district",
    "is_northern_ireland",
    "parse_outcode",
    "postcode_area",
]
