"""The public support group finder: search, results, help pages, group pages, calendar files."""

import logging
from datetime import UTC, date

import icalendar
import pytest
import time_machine
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.groups.factories import create_group, online_values
from tests.pages import csrf_token, get_page, post_form, submit
from webapp.groups.fls import add_service, check_service

# Before the Durham example's next meeting on 21 October 2025 (third Tuesday).
TODAY = date(2025, 10, 1)


def _durham_service(session):
    details, errors = check_service(
        {"name": "Durham FLS (example)", "hospital": "Example Hospital", "phone": "0191 498 0456",
         "opening_hours": "Weekdays, 9am to 5pm", "hospital_district": "DH1",
         "covered_districts": "DH1 DH2"}, TODAY)  # fmt: skip
    assert not errors
    return add_service(session, details, None)


def _text(page) -> str:
    return " ".join(page.get_text().split())


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_typed_postcode_is_posted_and_only_its_district_reaches_the_url(client, database):
    response = submit(client, "/groups/", {"postcode": "dh1 3ln"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups/near/DH1"
    assert "3LN" not in response.headers["Location"].upper()


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_results_list_nearest_groups_with_distance_then_online_then_services(client, database):
    create_group(database, name="Durham group", venue_postcode="DH1")
    create_group(database, name="Newcastle group", venue_postcode="NE1")
    create_group(database, name="Hidden group", venue_postcode="DH1", hidden="yes")
    create_group(database, **online_values())
    _durham_service(database)
    database.commit()
    page = get_page(client, "/groups/near/DH1")
    text = _text(page)
    assert page.h1.get_text(strip=True) == "Support groups near DH1"
    assert text.index("Durham group") < text.index("Newcastle group") < text.index("Bones Online")
    assert "About 1 mile" in text and "About 13 miles" in text
    assert "Hidden group" not in text
    assert "Tuesday 21 October 2025, 7:30pm to 9pm" in text  # the 12-hour clock people use
    assert "Example listing" in text
    assert "0808 800 0035" in text
    assert "Durham FLS (example)" in text and "Covers your postcode district" in text
    assert "finds people over 50 who have broken a bone" in text
    assert "Contains OS data © Crown copyright" in text


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_services_that_do_not_cover_the_district_are_shown_as_such_after_saying_so(client,
                                                                                   database):
    _durham_service(database)
    database.commit()
    text = _text(get_page(client, "/groups/near/NE1"))
    assert "None of the Fracture Liaison Services we know of covers NE1." in text
    assert "Durham FLS (example)" in text
    assert "Does not cover your postcode district" in text
    assert "Covers your postcode district" not in text
    assert "Postcode districts covered DH1, DH2" in text


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_service_that_covers_the_district_is_not_hedged(client, database):
    _durham_service(database)
    database.commit()
    text = _text(get_page(client, "/groups/near/DH2"))
    assert "Covers your postcode district" in text
    assert "we know of covers" not in text and "Does not cover" not in text


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_results_say_how_many_were_found_and_offer_another_search(client, database):
    create_group(database, name="Durham group", venue_postcode="DH1")
    create_group(database, **online_values())
    _durham_service(database)
    database.commit()
    page = get_page(client, "/groups/near/DH1")
    assert ("We found 1 group that meets in person within 25 miles, 1 that meets online, and 1 "
            "Fracture Liaison Service.") in _text(page)
    box = page.find("form", action="/groups/")
    assert box.find("input", attrs={"name": "postcode"})
    assert "Search again with another postcode" in box.get_text()


@pytest.mark.parametrize("address", ["/groups/near/ZZ99", "/groups/near/BT9"])
def test_the_not_found_and_northern_ireland_pages_offer_another_search(client, database,
                                                                        address):
    page = get_page(client, address)
    assert page.find("form", action="/groups/").find("input", attrs={"name": "postcode"})


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_group_opened_from_the_results_leads_back_to_the_same_search(client, database):
    group = create_group(database, name="Durham group", venue_postcode="DH1")
    database.commit()
    results = get_page(client, "/groups/near/DH1?miles=50")
    link = results.find("a", string="Durham group")["href"]
    assert link == f"/groups/{group.id}?near=DH1&miles=50"
    back = get_page(client, link).select_one(".nhsuk-back-link a, a.nhsuk-back-link")
    assert back["href"] == "/groups/near/DH1?miles=50"
    assert "Back to groups near DH1" in back.get_text()
    # Opened any other way, or with a made-up search, it offers a new search instead.
    for address in (f"/groups/{group.id}", f"/groups/{group.id}?near=<script>&miles=99"):
        back = get_page(client, address).select_one(".nhsuk-back-link a, a.nhsuk-back-link")
        assert back["href"] == "/groups/" and "Find another group" in back.get_text()


def test_a_town_name_leads_straight_to_its_results(client, database):
    response = submit(client, "/groups/", {"postcode": "Durham"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups/near/DH1"


def test_a_name_shared_by_several_places_gets_a_page_to_choose(client, database):
    response = submit(client, "/groups/", {"postcode": "Newcastle"})
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.h1.get_text(strip=True) == "Which Newcastle do you mean?"
    links = {a.get_text(strip=True): a["href"] for a in page.select("main ul a")}
    assert links["Newcastle upon Tyne, England"] == "/groups/near/NE1"
    assert links["Newcastle under Lyme, England"] == "/groups/near/ST5"
    assert links["Newcastle, Northern Ireland"] == "/groups/regions/northern-ireland"
    assert "GeoNames" in page.get_text()


def test_a_place_that_is_not_known_is_a_clear_error(client, database):
    page = post_form(client, "/groups/", {"postcode": "Nowhereville"})
    assert ("Enter a real postcode, like DH1 3LN, or the name of a town or city in the UK, "
            "like Durham") in page.get_text()


def _card_names(page, heading: str) -> list[str]:
    """The group names in the cards after the h2 `heading`, up to the next h2."""
    section = page.find("h2", string=heading)
    names = []
    for element in section.find_next_siblings():
        if element.name == "h2":
            break
        names += [h.get_text(strip=True) for h in element.select(".nhsuk-card__heading")]
    return names


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_group_meeting_both_ways_is_shown_once_marked_also_online(client, database):
    create_group(database, name="Both ways group", venue_postcode="DH1", format="both")
    create_group(database, **online_values())
    database.commit()
    page = get_page(client, "/groups/near/DH1")
    assert _text(page).count("Both ways group") == 1
    assert _card_names(page, "Groups that meet in person within 25 miles") == ["Both ways group"]
    assert _card_names(page, "Groups that meet online") == ["Bones Online (example)"]
    card = page.select_one(".nhsuk-card")
    assert card.select_one(".nhsuk-tag--blue").get_text(strip=True) == "Also meets online"
    assert "Groups listed above that meet online are not repeated here" in _text(page)
    assert "See all" not in _text(page)  # both online groups are already on the page

    # Far away, it is not nearby, so it is listed with the online groups (unmarked).
    far = get_page(client, "/groups/near/TR1")
    assert _card_names(far, "Groups that meet online") == [
        "Bones Online (example)", "Both ways group"
    ]
    assert far.select(".nhsuk-tag--blue") == []
    assert "not repeated here" not in _text(far)


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_when_the_only_online_group_is_nearby_the_online_section_says_so(client, database):
    create_group(database, name="Both ways group", venue_postcode="DH1", format="both")
    database.commit()
    text = _text(get_page(client, "/groups/near/DH1"))
    assert text.count("Both ways group") == 1
    assert "There are no online groups listed" not in text
    assert "Groups listed above that meet online are not repeated here" in text
    assert "See all" not in text


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_region_page_shows_a_group_meeting_both_ways_once(client, database):
    create_group(database, name="Both ways group", venue_postcode="DH1", format="both")
    create_group(database, **online_values())
    database.commit()
    page = get_page(client, "/groups/regions/north-east")
    assert _text(page).count("Both ways group") == 1
    assert _card_names(page, "Groups that meet online") == ["Bones Online (example)"]
    assert "Also meets online" in _text(page)


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_the_distance_can_be_widened(client, database):
    create_group(database, name="Leeds group", region="yorkshire-and-the-humber",
                 venue_postcode="LS1")  # fmt: skip
    database.commit()
    near = _text(get_page(client, "/groups/near/DH1?miles=25"))
    assert "Leeds group" not in near and "Search within 50 miles" in near
    assert "Leeds group" in _text(get_page(client, "/groups/near/DH1?miles=100"))


def test_an_odd_distance_falls_back_to_the_default(client, database):
    page = get_page(client, "/groups/near/DH1?miles=7000")
    assert "within 25 miles" in _text(page)


def test_a_lower_case_district_in_the_url_is_tidied(client, database):
    response = client.get("/groups/near/dh1?miles=50")
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups/near/DH1?miles=50"


def test_nonsense_in_the_url_is_not_found(client, database):
    get_page(client, "/groups/near/not-a-postcode", status=404)


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_nothing_nearby_gets_help(client, database):
    create_group(database, **online_values())
    database.commit()
    text = _text(get_page(client, "/groups/near/IV1"))
    assert "No groups that meet in person are listed within 25 miles of IV1" in text
    assert "Bones Online" in text and "0808 800 0035" in text
    assert "Choose a nation or region" in text and "North East England" in text


def test_a_northern_ireland_postcode_gets_its_own_page(client, database):
    response = submit(client, "/groups/", {"postcode": "BT1 1AA"})
    assert response.headers["Location"] == "/groups/near/BT1"
    page = get_page(client, "/groups/near/BT1")
    text = _text(page)
    assert page.h1.get_text(strip=True) == "Support groups in Northern Ireland"
    assert "not found" not in text.lower()
    assert "0808 800 0035" in text


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_northern_ireland_postcode_lists_northern_irelands_groups_there_and_then(
    client, database
):
    create_group(database, name="Belfast group", town="Belfast", region="northern-ireland",
                 venue_postcode="BT9 7AB", contact_phone="", format="both")  # fmt: skip
    create_group(database, name="Durham group")
    create_group(database, **online_values())
    database.commit()
    page = get_page(client, "/groups/near/BT1")
    text = _text(page)
    assert "Belfast group" in text and "Durham group" not in text
    assert text.count("Belfast group") == 1  # not again with the online groups
    assert _card_names(page, "Groups that meet online") == ["Bones Online (example)"]
    assert "See more groups in Northern Ireland" not in text  # every one is on the page
    # The nations and regions offered are the others.
    other = page.find("h2", string="Or choose another nation or region").find_all_next("a")
    assert "Wales" in [link.get_text(strip=True) for link in other]
    assert "/groups/regions/northern-ireland" not in [link["href"] for link in other]


def test_an_unknown_district_gets_help(client, database):
    response = submit(client, "/groups/", {"postcode": "ZZ99 9ZZ"})
    page = get_page(client, response.headers["Location"])
    text = _text(page)
    assert page.h1.get_text(strip=True) == "We could not find ZZ99"
    assert "like DH1 3LN" in text and "0808 800 0035" in text and "Scotland" in text


def test_nonsense_re_asks_with_an_error_and_help(client, database):
    page = post_form(client, "/groups/", {"postcode": "hello there"})
    assert page.title.get_text().startswith("Error: ")
    assert "Enter a real postcode" in _text(page.select_one(".nhsuk-error-summary"))
    assert "0808 800 0035" in _text(page)


def test_an_empty_search_asks_for_a_postcode(client, database):
    page = post_form(client, "/groups/", {"postcode": ""})
    assert "Enter your postcode" in _text(page.select_one(".nhsuk-error-summary"))


def test_the_finder_page_shows_the_attribution_and_regions(client, database):
    text = _text(get_page(client, "/groups/"))
    assert "Open Government Licence v3.0" in text
    assert "Derived via odileeds/Postcodes2LatLon" in text
    assert "Wales" in text


def test_the_full_postcode_is_never_logged(client, database, caplog):
    caplog.set_level(logging.DEBUG)
    submit(client, "/groups/", {"postcode": "DH1 3LN"}, follow_redirects=True)
    assert "3LN" not in caplog.text


@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=st.text(max_size=30))
def test_no_typed_text_ever_breaks_the_search(client, typed):
    # One token for the whole run: the client (and its session) lasts across examples.
    if not hasattr(client, "finder_token"):
        client.finder_token = csrf_token(client, "/groups/")
    token = client.finder_token
    response = client.post(
        "/groups/", data={"csrf_token": token, "postcode": typed}, follow_redirects=True
    )
    # A form error or a help page (200), or a tidy 404 for an odd address; never a 500 or 400.
    assert response.status_code in (200, 404), response.status_code


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_a_group_page_shows_everything_and_offers_a_calendar_file(client, database):
    group = create_group(database)
    database.commit()
    page = get_page(client, f"/groups/{group.id}")
    text = _text(page)
    assert "Example listing" in text and "made up" in text
    assert "Step-free access Yes" in text and "Hearing loop No" in text
    assert "Parking Not known" in text
    assert "Details checked on Monday 1 September 2025" in text
    # Typed "7.30pm" by staff, shown the one way every time on the page is written.
    assert "Third Tuesday of the month, 7:30pm to 9pm" in text and "7.30pm" not in text
    assert "A. Admin" not in text  # who checked it is for staff, not the public
    assert "Later meetings: Tuesday 18 November 2025" in text
    link = page.find("a", string="Add the meetings to your calendar")
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    event = next(iter(icalendar.Calendar.from_ical(response.data).walk("VEVENT")))
    assert str(event.decoded("DTSTART").astimezone(UTC)) == "2025-10-21 18:30:00+00:00"


@time_machine.travel("2026-10-01 09:00 +0100", tick=False)
def test_a_listing_not_checked_for_a_year_carries_a_caution(client, database):
    group = create_group(database, today=date(2026, 10, 1), next_meeting_date="20/10/2026",
                         checked_on="01/09/2025")  # fmt: skip
    database.commit()
    assert "have not been checked for over a year" in _text(get_page(client, f"/groups/{group.id}"))
    assert "have not been checked for over a year" in _text(get_page(client, "/groups/near/DH1"))


def test_hidden_and_missing_groups_are_not_found(client, database):
    group = create_group(database, hidden="yes")
    database.commit()
    get_page(client, f"/groups/{group.id}", status=404)
    get_page(client, "/groups/99999", status=404)
    assert client.get(f"/groups/{group.id}/next-meeting.ics").status_code == 404


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_regions_list_their_groups(client, database):
    create_group(database)
    create_group(database, name="Belfast group", town="Belfast", region="northern-ireland",
                 venue_postcode="BT9 7AB", contact_phone="")  # fmt: skip
    database.commit()
    get_page(client, "/groups/regions")
    assert "Durham Bone Health Group" in _text(get_page(client, "/groups/regions/north-east"))
    assert "Belfast group" in _text(get_page(client, "/groups/regions/northern-ireland"))
    get_page(client, "/groups/regions/atlantis", status=404)
    get_page(client, "/groups/regions/north-east?page=2", status=404)


@time_machine.travel("2025-10-01 09:00 +0100", tick=False)
def test_every_online_group_a_page_at_a_time(client, database):
    for n in range(25):
        create_group(database, **online_values(name=f"Online {n:02}"))
    database.commit()
    first = get_page(client, "/groups/near/DH1")
    assert "See all 25 groups that meet online" in _text(first)
    page_one = _text(get_page(client, "/groups/online"))
    assert "Online 00" in page_one and "Online 19" in page_one and "Online 20" not in page_one
    assert "Page 1 of 2" in page_one
    assert "Online 24" in _text(get_page(client, "/groups/online?page=2"))
    get_page(client, "/groups/online?page=3", status=404)
