"""Finding groups and Fracture Liaison Services near a district."""

import gc
from datetime import date

import pytest
from sqlalchemy import event

from config import TestConfig
from tests.groups.factories import TODAY, create_group, online_values
from webapp import create_app
from webapp.extensions import db
from webapp.groups.fls import add_service, check_service
from webapp.groups.search import (
    MOST_NEARBY,
    MOST_ONLINE,
    SharedListings,
    find_groups_near,
    find_services_near,
    groups_in_region,
    online_groups,
)
from webapp.postcodes import district_centre


def _service(session, **overrides):
    values = {
        "name": "Example FLS", "hospital": "Example Hospital", "phone": "0191 498 0456",
        "opening_hours": "Monday to Friday, 9am to 5pm", "hospital_district": "DH1",
        "covered_districts": "DH1 DH2 DH3",
    }  # fmt: skip
    values.update(overrides)
    details, errors = check_service(values, TODAY)
    assert not errors, errors
    return add_service(session, details, actor=None)


def _setup(session):
    create_group(session, name="Durham group", venue_postcode="DH1")
    create_group(session, name="Newcastle group", venue_postcode="NE1 4LP")
    create_group(session, name="Sunderland group", venue_postcode="SR1")
    create_group(session, name="London group", region="london", venue_postcode="SW1A 1AA")
    create_group(session, name="Hidden group", venue_postcode="DH1", hidden="yes")
    create_group(session, name="Both ways group", venue_postcode="DH7", format="both")
    create_group(session, **online_values())


def test_nearest_in_person_groups_first_then_online(database):
    _setup(database)
    search = find_groups_near(database, district_centre("DH1"), 25, TODAY)
    names = [found.group.name for found in search.nearby]
    assert names == ["Durham group", "Both ways group", "Sunderland group", "Newcastle group"]
    assert search.nearby[0].about_miles == 1  # same district: "about 1 mile", never 0
    newcastle = search.nearby[3]
    assert 12 <= newcastle.miles <= 15
    # Groups that meet online follow, whatever their distance; the one that
    # meets both ways is listed once, above, with its distance.
    assert [found.group.name for found in search.online] == ["Bones Online (example)"]
    assert search.online_listed_above == 1
    # The total is of every online group: the number on the page that lists them all.
    assert (search.nearby_total, search.online_total) == (4, 2)


def test_a_group_that_meets_both_ways_but_is_not_nearby_is_in_the_online_list(database):
    _setup(database)
    search = find_groups_near(database, district_centre("SW1A"), 25, TODAY)
    assert [found.group.name for found in search.nearby] == ["London group"]
    assert [found.group.name for found in search.online] == [
        "Bones Online (example)", "Both ways group"
    ]
    assert search.online_listed_above == 0


def test_widening_the_distance_finds_more(database):
    _setup(database)
    assert len(find_groups_near(database, district_centre("DH1"), 10, TODAY).nearby) == 2
    far = find_groups_near(database, district_centre("DH1"), 100, TODAY)
    assert "London group" not in [found.group.name for found in far.nearby]


def test_nothing_nearby_still_offers_online_groups(database):
    _setup(database)
    search = find_groups_near(database, district_centre("IV1"), 25, TODAY)
    assert search.nearby == []
    assert search.online_total == 2  # the online group and the one that meets both ways


def test_results_carry_the_next_meeting_and_a_staleness_flag(database):
    create_group(database, name="Old check", checked_on="01/09/2024", checked_by="A. Admin")
    search = find_groups_near(database, district_centre("DH1"), 25, date(2025, 10, 1))
    found = search.nearby[0]
    assert found.meeting.on == date(2025, 10, 21)
    assert found.needs_checking


@pytest.mark.parametrize("listings", [10, 60])
def test_a_search_costs_the_same_number_of_queries_however_many_listings(database, listings):
    for n in range(listings):
        create_group(database, name=f"Group {n}", venue_postcode=("DH1", "NE1", "SR1")[n % 3])
        create_group(database, **online_values(name=f"Online {n}"))
    _service(database)
    _service(database, name="Another FLS", covered_districts="NE1")
    database.expire_all()
    statements = []
    engine = database.get_bind()
    event.listen(engine, "before_cursor_execute", _counter(statements))
    try:
        find_groups_near(database, district_centre("DH1"), 25, TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", _counter.last)
    # Points in the box, the rows shown, online groups with their count, and the
    # services covering the district with the districts they cover.
    assert len(statements) == 4


def _counter(statements):
    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    _counter.last = count
    return count


def test_services_covering_the_district_come_first(database):
    _service(database, name="Durham FLS", covered_districts="DH1 DH2")
    _service(database, name="Tyneside FLS", hospital_district="NE1", covered_districts="NE1")
    _service(database, name="Hidden FLS", covered_districts="DH1", hidden="yes")
    found = find_services_near(database, "DH1")
    assert [item.service.name for item in found] == ["Durham FLS"]
    assert found[0].covers_district


def test_otherwise_the_nearest_services_by_hospital_are_listed(database):
    _service(database, name="Durham FLS", covered_districts="DH1")
    _service(database, name="Tyneside FLS", hospital_district="NE1", covered_districts="NE1")
    _service(database, name="London FLS", hospital_district="SE1", covered_districts="SE1")
    _service(database, name="Leeds FLS", hospital_district="LS1", covered_districts="LS1")
    found = find_services_near(database, "SR1")
    assert [item.service.name for item in found] == ["Tyneside FLS", "Durham FLS", "Leeds FLS"]
    assert not found[0].covers_district


def test_a_northern_ireland_district_finds_services_that_cover_it(database):
    _service(database, name="Belfast FLS", hospital_district="BT9", covered_districts="BT9 BT7")
    _service(database, name="Durham FLS", covered_districts="DH1")
    found = find_services_near(database, "BT9")
    assert [item.service.name for item in found] == ["Belfast FLS"]
    assert find_services_near(database, "BT60") == []


@pytest.mark.parametrize("district", ["DH1", "DH7", "SR1", "NE1", "BT9", "BT60", "ZE2"])
def test_a_search_from_the_shared_listings_is_the_search_read_afresh(database, district):
    # Nearby groups that also meet online, more online groups than a page shows, hidden
    # ones, services that cover districts and services found by their hospital.
    for n in range(MOST_NEARBY + 4):
        create_group(database, name=f"Both {n:02}", venue_postcode=("DH1", "DH7")[n % 2],
                     format="both")  # fmt: skip
    for n in range(MOST_ONLINE + 3):
        create_group(database, **online_values(name=f"Online {n}", hidden="yes" * (n == 2)))
    # In person in Northern Ireland: no place in the GB district data to measure from.
    create_group(database, name="Belfast group", town="Belfast", region="northern-ireland",
                 venue_postcode="BT9 7AB")  # fmt: skip
    _service(database, name="Durham FLS", covered_districts="DH1 DH2")
    _service(database, name="Tyneside FLS", hospital_district="NE1", covered_districts="NE1")
    _service(database, name="Belfast FLS", hospital_district="BT9", covered_districts="BT9")
    _service(database, name="Leeds FLS", hospital_district="LS1", covered_districts="LS1")
    _service(database, name="Hidden FLS", covered_districts="SR1", hidden="yes")
    database.flush()
    shared = SharedListings.read(database)

    for miles in (10, 100):
        centre = district_centre("DH1") if district[:2] == "BT" else district_centre(district)
        afresh = find_groups_near(database, centre, miles, TODAY)
        from_shared = find_groups_near(database, centre, miles, TODAY, shared)
        assert from_shared == afresh
    assert shared.services_for(district) == find_services_near(database, district)
    assert afresh.online and afresh.online_total == MOST_NEARBY + 4 + MOST_ONLINE + 2


def test_a_group_gone_between_the_two_queries_is_left_out_not_looked_for(database, monkeypatch):
    from webapp.groups import search

    create_group(database, name="Durham group", venue_postcode="DH1")
    create_group(database, name="Sunderland group", venue_postcode="SR1")
    read_cards = search._cards
    # As if an admin hid the nearest group just after its place was read, before its card.
    monkeypatch.setattr(search, "_cards", lambda session, query: [
        card for card in read_cards(session, query) if card.name != "Durham group"])

    found = find_groups_near(database, district_centre("DH1"), 25, TODAY)

    assert [item.group.name for item in found.nearby] == ["Sunderland group"]


def test_long_lists_are_cut_short_with_their_totals(database):
    for n in range(MOST_NEARBY + 3):
        create_group(database, name=f"Group {n:02}", venue_postcode="DH1")
    for n in range(MOST_ONLINE + 2):
        create_group(database, **online_values(name=f"Online {n}"))
    search = find_groups_near(database, district_centre("DH1"), 25, TODAY)
    assert len(search.nearby) == MOST_NEARBY and search.nearby_total == MOST_NEARBY + 3
    assert len(search.online) == MOST_ONLINE and search.online_total == MOST_ONLINE + 2
    second_page, total = online_groups(database, TODAY, limit=5, offset=5)
    assert [item.group.name for item in second_page] == ["Online 5", "Online 6"] and total == 7


def test_groups_by_region(database):
    _setup(database)
    found, total = groups_in_region(database, "north-east", TODAY)
    assert [item.group.town for item in found] == ["Durham"] * 4 and total == 4
    assert "Hidden group" not in [item.group.name for item in found]


def _left_for_the_collector(app, paths) -> list:
    """The database objects that the pages at `paths` leave in reference cycles.

    Asked of a second app on the same database, as a web process would: the test's
    own app context outlives its requests, and so would their database session.
    """
    served = create_app(type("Served", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}))  # fmt: skip
    client = served.test_client()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for path in paths:
            assert client.get(path).status_code == 200
        gc.collect()
        mapped = tuple(mapper.class_ for mapper in db.Model.registry.mappers)
        return [item for item in gc.garbage if isinstance(item, mapped)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        with served.app_context():
            db.engine.dispose()


def test_the_finders_pages_leave_no_database_objects_for_the_garbage_collector(app, database):
    """A Fracture Liaison Service and its covered districts point at each other. Loaded as
    database objects, every search left them in a cycle that Python's collector freed
    later, in whichever thread ran it, in the middle of another request; under threaded
    workers a worker died now and then with a segmentation fault. The finder reads
    services and groups as plain values."""
    _setup(database)
    _service(database, name="Durham FLS", covered_districts="DH1 DH2")
    _service(database, name="Tyneside FLS", hospital_district="NE1", covered_districts="NE1")
    _service(database, name="Belfast FLS", hospital_district="BT9", covered_districts="BT9")
    database.commit()
    pages = ["/groups/near/DH1", "/groups/near/SR1", "/groups/near/BT9", "/groups/near/ZE2",
             "/groups/online", "/groups/regions/north-east"]  # fmt: skip
    assert [type(item).__name__ for item in _left_for_the_collector(app, pages)] == []
