"""Nations and regions, for browsing listings when a postcode cannot help.

England is split into its nine ONS regions; Scotland, Wales and Northern
Ireland are each one region. A Northern Ireland postcode, or one we do not
know, is met with this choice instead of a dead end.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A region a listing belongs to, and the nation it is in."""

    code: str
    name: str
    nation: str


ENGLAND = "England"
SCOTLAND = "Scotland"
WALES = "Wales"
NORTHERN_IRELAND = "Northern Ireland"
NATIONS = (ENGLAND, SCOTLAND, WALES, NORTHERN_IRELAND)

REGIONS = (
    Region("north-east", "North East England", ENGLAND),
    Region("north-west", "North West England", ENGLAND),
    Region("yorkshire-and-the-humber", "Yorkshire and the Humber", ENGLAND),
    Region("east-midlands", "East Midlands", ENGLAND),
    Region("west-midlands", "West Midlands", ENGLAND),
    Region("east-of-england", "East of England", ENGLAND),
    Region("london", "London", ENGLAND),
    Region("south-east", "South East England", ENGLAND),
    Region("south-west", "South West England", ENGLAND),
    Region("scotland", "Scotland", SCOTLAND),
    Region("wales", "Wales", WALES),
    Region("northern-ireland", "Northern Ireland", NORTHERN_IRELAND),
)

REGIONS_BY_CODE = {region.code: region for region in REGIONS}


def find_region(code: str) -> Region | None:
    """The region with this code (`"north-east"`), or None."""
    return REGIONS_BY_CODE.get(code)
