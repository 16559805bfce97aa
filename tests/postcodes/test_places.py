"""Towns and cities by name, from GeoNames' UK places, searched from the nearest district."""

import pytest

from webapp.postcodes.places import place_meant, places_named


def test_a_town_is_found_whatever_its_case_and_leads_to_its_district():
    (durham,) = places_named("  durham ")
    assert (durham.name, durham.nation, durham.district) == ("Durham", "England", "DH1")


def test_a_name_several_places_share_finds_each_biggest_after_the_exact_one():
    found = places_named("Newcastle")
    names = [place.name for place in found]
    assert names[0] == "Newcastle"  # the exact name first: a town in Northern Ireland
    assert {"Newcastle upon Tyne", "Newcastle under Lyme"} <= set(names)
    assert place_meant(found, "Newcastle") is None  # so the person chooses
    upon_tyne = next(place for place in found if place.name == "Newcastle upon Tyne")
    assert upon_tyne.district == "NE1"
    assert found[0].in_northern_ireland and found[0].district is None


@pytest.mark.parametrize("typed", ["newcastle-under-lyme", "Newcastle under Lyme"])
def test_hyphens_and_spaces_are_the_same(typed):
    assert [place.name for place in places_named(typed)] == ["Newcastle under Lyme"]


def test_a_big_place_named_exactly_is_meant_over_smaller_ones_starting_alike():
    found = places_named("London")
    assert len(found) > 1 and place_meant(found, "London").name == "London"


@pytest.mark.parametrize("typed", ["", "Ne", "Nowhereville", "12345", "<script>"])
def test_nothing_is_found_for_what_is_not_a_uk_town(typed):
    assert places_named(typed) == []
