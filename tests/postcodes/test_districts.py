"""The district-centre table and the distances worked out from it."""

import hashlib

import pytest
from geographiclib.geodesic import Geodesic

from webapp.postcodes import (
    ATTRIBUTION_LINES,
    UnknownDistrictError,
    bounding_box,
    district_centre,
    haversine_miles,
    is_known_district,
)
from webapp.postcodes.districts import CENTROIDS_FILE, district_count

METRES_PER_MILE = 1609.344


def test_the_shipped_table_is_the_documented_file():
    digest = hashlib.sha256(CENTROIDS_FILE.read_bytes()).hexdigest()
    assert digest == "20d8295d822d7e2719162cd2e2b0c9145f22f6a49ae909e596640691dad9f518"
    assert district_count() == 2995


def test_spot_checks_from_the_data_readme():
    ab10 = district_centre("AB10")
    assert (ab10.latitude, ab10.longitude) == (57.13488, -2.11742)
    b1 = district_centre("B1")
    assert (b1.latitude, b1.longitude) == (52.47961, -1.90783)
    ze1 = district_centre("ze1 0aa")
    assert (ze1.latitude, ze1.longitude) == (60.15161, -1.16875)


def test_northern_ireland_is_not_in_the_table():
    assert not is_known_district("BT1")
    with pytest.raises(UnknownDistrictError):
        district_centre("BT1 1AA")


def test_a_well_formed_but_unknown_district_is_its_own_error():
    with pytest.raises(UnknownDistrictError) as caught:
        district_centre("ZZ99 1ZZ")
    assert caught.value.district == "ZZ99"


def _miles(first: str, second: str) -> float:
    a, b = district_centre(first), district_centre(second)
    return haversine_miles(a.latitude, a.longitude, b.latitude, b.longitude)


def _geodesic_miles(first: str, second: str) -> float:
    """The same distance on the WGS84 ellipsoid, by Karney's independent method."""
    a, b = district_centre(first), district_centre(second)
    return Geodesic.WGS84.Inverse(a.latitude, a.longitude, b.latitude, b.longitude)["s12"] / (
        METRES_PER_MILE
    )


@pytest.mark.parametrize(
    ("first", "second", "about"),
    [
        # Durham to Newcastle city centre is about 14 miles as the crow flies;
        # the district centres sit a little closer together.
        ("DH1", "NE1", 14),
        # Westminster to Edinburgh is about 330 miles as the crow flies.
        ("SW1A", "EH1", 330),
        # Cardiff to Glasgow, about 305 miles.
        ("CF10", "G1", 305),
        # Inverness to Truro, about 500 miles.
        ("IV1", "TR1", 500),
    ],
)
def test_distances_between_known_districts(first, second, about):
    miles = _miles(first, second)
    # Within 7% of the published crow-flies figure (district centres are rough)…
    assert miles == pytest.approx(about, rel=0.07)
    # …and within 0.5% of the ellipsoidal distance between the same two points.
    assert miles == pytest.approx(_geodesic_miles(first, second), rel=0.005)


def test_distance_is_symmetric_and_zero_to_itself():
    assert _miles("DH1", "NE1") == pytest.approx(_miles("NE1", "DH1"))
    assert _miles("M1", "M1") == 0


@pytest.mark.parametrize("district", ["DH1", "SW1A", "IV1", "ZE1", "TR1"])
@pytest.mark.parametrize("miles", [10, 25, 100])
def test_the_bounding_box_holds_every_district_within_the_radius(district, miles):
    from webapp.postcodes.districts import _centres

    centre = district_centre(district)
    box = bounding_box(centre.latitude, centre.longitude, miles)
    for other in _centres().values():
        if haversine_miles(centre.latitude, centre.longitude, other.latitude, other.longitude) <= (
            miles
        ):
            assert box.min_latitude <= other.latitude <= box.max_latitude
            assert box.min_longitude <= other.longitude <= box.max_longitude


def test_the_attribution_has_the_four_required_lines():
    assert len(ATTRIBUTION_LINES) == 4
    assert ATTRIBUTION_LINES[2].startswith("Source: Office for National Statistics")
