"""The centre of every Great Britain postcode district, read once and kept in memory.

The table (2,995 rows, OGL v3, see ATTRIBUTION.md) is loaded the first time a
centre is asked for, not when the app starts, so importing the app costs
nothing and a process that never searches never reads it.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from webapp.postcodes.outcodes import UnknownDistrictError, parse_outcode

CENTROIDS_FILE = Path(__file__).with_name("uk_outcode_centroids_gb.csv")


@dataclass(frozen=True)
class DistrictCentre:
    """The approximate centre of one postcode district."""

    district: str
    latitude: float
    longitude: float


@cache
def _centres() -> dict[str, DistrictCentre]:
    # functools.cache makes this a lazy module-level cache; two threads racing
    # on the first call both build the same dict, which is harmless.
    with CENTROIDS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["outcode"]: DistrictCentre(
                row["outcode"], float(row["latitude"]), float(row["longitude"])
            )
            for row in csv.DictReader(handle)
        }


def is_known_district(district: str) -> bool:
    """True if `district` (upper case, no space) is in the GB district table."""
    return district in _centres()


def district_centre(text: str) -> DistrictCentre:
    """The centre of the district in `text` (a postcode or district), or a PostcodeError."""
    district = parse_outcode(text)
    try:
        return _centres()[district]
    except KeyError:
        raise UnknownDistrictError(district) from None


def known_centre(district: str) -> DistrictCentre | None:
    """The centre of a district already in canonical form (`DH1`, as stored), or None if the
    table lacks it: no parsing, for loops over stored districts."""
    return _centres().get(district)


def district_count() -> int:
    """How many districts the table holds (2,995 for the May 2025 data)."""
    return len(_centres())


def all_centres() -> tuple[DistrictCentre, ...]:
    """Every district's centre (for finding the district nearest a place)."""
    return tuple(_centres().values())
