"""The support group finder and its admin pages in a real browser.

An admin signs in (password and security code), adds a group in Durham and signs
out; a member of the public types `dh1 3ln`, finds it with its distance and
downloads its calendar file; a nurse cannot reach the admin pages; and axe scans
every finder and listing-admin page, error states included.
"""

import re
from datetime import timedelta
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import icalendar
import pytest

from tests.accounts.factories import PASSWORD, code_for, create_staff_member
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import follow_link, press_button, type_into
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.groups.fls import add_service, check_service
from webapp.models.groups import SupportGroup
from webapp.models.staff import Role

pytestmark = pytest.mark.browser

TODAY = uk_today()
NEXT_MEETING = TODAY + timedelta(days=30)
_numbers = count(1)


def _staff(live_app, role: str):
    with live_app.app_context():
        staff = create_staff_member(
            db.session, role, email=f"groups-{role}-{next(_numbers)}@nhs.net",
            full_name=f"Pat {role.title()}", with_security_code=True,
        )  # fmt: skip
        # Only what signing in needs, read while the session is open.
        return SimpleNamespace(email=staff.email, totp_secret=staff.totp_secret)


def _sign_in(page, staff) -> None:
    page.goto("/staff/sign-in")
    type_into(page, "email", staff.email)
    type_into(page, "password", PASSWORD)
    # Not the password field's Show button: the form's own.
    press_button(page, "main form button[type=submit]")
    assert urlsplit(page.url).path == "/staff/security-code", page.url
    type_into(page, "code", code_for(staff))
    press_button(page)


def _sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def _add_durham_group(page, name: str) -> None:
    page.goto("/admin/support-groups/add")
    fields = {
        "name": name, "town": "Durham", "venue_name": "Example Education Centre",
        "address": "1 Example Road, Durham", "venue_postcode": "DH1 5TW",
        "meeting_pattern": "Third Tuesday of the month, 7.30pm to 9pm",
        "next_meeting_date-day": str(NEXT_MEETING.day),
        "next_meeting_date-month": str(NEXT_MEETING.month),
        "next_meeting_date-year": str(NEXT_MEETING.year), "start_time": "19:30",
        "end_time": "21:00", "cost": "£2 a meeting", "contact_email": "durham@example.org",
        "contact_phone": "0191 498 0123", "website": "https://example.org/durham",
    }  # fmt: skip
    for field, value in fields.items():
        page.fill(f"[name={field}]", value)
    page.select_option("[name=region]", "north-east")
    page.select_option("[name=repeats]", "monthly")
    page.check("input[name=format][value=in-person]")
    page.check("input[name=step_free_access][value=yes]")
    page.check("input[name=checked][value=yes]")
    with page.expect_navigation():
        page.get_by_role("button", name="Save listing").click()


def test_an_admin_adds_a_group_that_the_public_then_finds(page, live_app, browser, live_server):
    admin = _staff(live_app, Role.ADMIN)
    _sign_in(page, admin)
    _add_durham_group(page, "Browser Test Durham Group")
    assert urlsplit(page.url).path == "/admin/support-groups/", page.url
    assert "Browser Test Durham Group has been added" in page.content()
    _sign_out(page)
    assert page.get_by_role("button", name="Sign out").count() == 0

    # A member of the public, in a fresh context with no staff cookie.
    public = browser.new_context(base_url=live_server, accept_downloads=True)
    try:
        visitor = public.new_page()
        visitor.goto("/groups/")
        type_into(visitor, "postcode", "dh1 3ln")
        press_button(visitor)
        assert urlsplit(visitor.url).path == "/groups/near/DH1"
        card = visitor.locator(".nhsuk-card", has_text="Browser Test Durham Group")
        assert "About 1 mile" in card.inner_text()
        with visitor.expect_navigation():
            card.get_by_role("link", name="Browser Test Durham Group").click()
        with visitor.expect_download() as download_info:
            visitor.get_by_role("link", name="Add the meetings to your calendar").click()
        data = Path(download_info.value.path()).read_bytes()
        event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
        assert str(event["SUMMARY"]) == "Browser Test Durham Group"
        assert event.decoded("DTSTART").date() == NEXT_MEETING
        assert "RRULE" in event  # the meetings after it too
    finally:
        public.close()


def test_a_nurse_cannot_reach_the_listing_pages(page, live_app):
    nurse = _staff(live_app, Role.NURSE)
    _sign_in(page, nurse)
    for url in ("/admin/support-groups/", "/admin/support-groups/add",
                "/admin/support-groups/upload", "/admin/support-groups/upload/format",
                "/admin/support-groups/export.csv"):  # fmt: skip
        response = page.goto(url)
        assert response.status == 404, url
        assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_by_role("link", name="Admin").count() == 0


@pytest.fixture(scope="module")
def finder_data(live_app):
    """Listings for the scans: a Durham group, an online group and a service."""
    with live_app.app_context():
        from tests.groups.factories import create_group, online_values

        dates = {"today": TODAY, "next_meeting_date": NEXT_MEETING.strftime("%d/%m/%Y"),
                 "checked_on": TODAY.strftime("%d/%m/%Y")}  # fmt: skip
        group = create_group(db.session, reference="scan-durham", name="Scan Durham Group",
                             **dates)  # fmt: skip
        create_group(db.session, **online_values(reference="scan-online", **dates))
        _add_service({"name": "Scan Durham FLS (example)", "hospital": "Example Hospital",
                      "phone": "0191 498 0456", "hospital_district": "DH1",
                      "covered_districts": "DH1 DH2"})  # fmt: skip
        db.session.commit()
        return {"group_id": group.id}


PUBLIC_PAGES = ["/groups/", "/groups/near/DH1", "/groups/near/DH1?miles=10", "/groups/near/IV1",
                "/groups/near/BT1", "/groups/near/ZZ99", "/groups/regions",
                "/groups/regions/north-east", "/groups/regions/northern-ireland",
                "/groups/online"]  # fmt: skip


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_finder_pages_are_accessible(page, finder_data, url):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert_accessible(page)


def test_a_group_page_is_accessible(page, finder_data):
    page.goto(f"/groups/{finder_data['group_id']}")
    assert page.locator("h1").inner_text() == "Scan Durham Group"
    assert_accessible(page)


def test_the_finders_error_state_is_accessible(page, finder_data):
    page.goto("/groups/")
    type_into(page, "postcode", "not a postcode")
    press_button(page)
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)


def test_listing_admin_pages_are_accessible(page, live_app, finder_data):
    _sign_in(page, _staff(live_app, Role.ADMIN))
    group_id = finder_data["group_id"]
    for url in ("/admin/support-groups/", "/admin/support-groups/add",
                f"/admin/support-groups/{group_id}/edit",
                f"/admin/support-groups/{group_id}/delete",
                "/admin/support-groups/upload", "/admin/support-groups/upload/format"):  # fmt: skip
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        assert_accessible(page)


def test_listing_admin_error_states_are_accessible(page, live_app, tmp_path):
    _sign_in(page, _staff(live_app, Role.ADMIN))
    page.goto("/admin/support-groups/add")
    page.fill("[name=venue_postcode]", "XX1 1XX")
    page.fill("[name=website]", "http://example.org")
    page.fill("[name=next_meeting_date-day]", "21")
    page.fill("[name=next_meeting_date-year]", str(NEXT_MEETING.year))
    with page.expect_navigation():
        page.get_by_role("button", name="Save listing").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # The summary's link for the date moves focus to the box that is missing.
    page.get_by_role("link", name="Next meeting date must include a month").click()
    assert page.evaluate("document.activeElement.name") == "next_meeting_date-month"

    bad = tmp_path / "bad.csv"
    bad.write_text("name,town,region,format,meeting_pattern,contact_email\n"
                   "A group,Durham,north-east,by pigeon,Monthly,a@example.org\n")  # fmt: skip
    page.goto("/admin/support-groups/upload")
    page.set_input_files("input[name=listings]", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and import").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.locator("tbody tr").count() == 1
    assert_accessible(page)
    with live_app.app_context():
        assert db.session.query(SupportGroup).filter_by(name="A group").count() == 0



def test_searching_by_a_town_shared_by_several_places_offers_a_choice(page, finder_data):
    page.goto("/groups/")
    type_into(page, "postcode", "Newcastle")
    press_button(page)
    assert page.locator("h1").inner_text() == "Which Newcastle do you mean?"
    assert_accessible(page)
    follow_link(page, 'main a[href="/groups/near/NE1"]')
    assert urlsplit(page.url).path == "/groups/near/NE1"


def _search(page, typed: str) -> None:
    """Type a postcode or a place into the finder's box and search, by keyboard."""
    page.goto("/groups/")
    type_into(page, "postcode", typed)
    press_button(page)


def test_a_town_that_is_one_place_leads_straight_to_its_results(page, finder_data):
    _search(page, "Durham")
    assert urlsplit(page.url).path == "/groups/near/DH1"
    assert page.locator("h1").inner_text() == "Support groups near DH1"
    assert re.search(r"We found [1-9]\d* groups? that meets? in person within 25 miles",
                     page.locator("main").inner_text())  # fmt: skip
    assert page.locator(".nhsuk-card", has_text="Scan Durham Group").count() == 1
    assert page.get_by_label("Search again with another postcode").is_visible()
    assert_accessible(page)


def test_a_place_we_do_not_know_says_so_and_keeps_the_search_box(page, finder_data):
    _search(page, "Nowhereville")
    assert urlsplit(page.url).path == "/groups/"
    assert page.locator(".nhsuk-error-message").inner_text().endswith(
        "Enter a real postcode, like DH1 3LN, or the name of a town or city in the UK, "
        "like Durham")  # fmt: skip
    assert page.locator("input[name=postcode]").input_value() == "Nowhereville"
    assert_accessible(page)


@pytest.fixture(scope="module")
def nearer_service(live_app, finder_data):
    """A service whose hospital (DH3) is nearer DH2 and NE1 than Durham's, covering only DH3."""
    with live_app.app_context():
        _add_service({"name": "Scan Birtley FLS (example)", "hospital": "Example Birtley Hospital",
                      "phone": "0191 498 0789", "hospital_district": "DH3",
                      "covered_districts": "DH3"})  # fmt: skip
        db.session.commit()


def _add_service(values: dict) -> None:
    """A Fracture Liaison Service added as an admin's checked entry would be."""
    details, _ = check_service(values, TODAY)
    add_service(db.session, details, None)


def _service_cards(page) -> list[str]:
    """Each Fracture Liaison Service listed, as its card reads, in page order."""
    return page.locator('main .nhsuk-card:has(dt:text-is("Hospital"))').all_inner_texts()


def test_the_service_that_covers_the_district_is_listed_first(page, nearer_service):
    _search(page, "dh2 1aa")
    assert urlsplit(page.url).path == "/groups/near/DH2"
    first = _service_cards(page)[0]
    assert first.startswith("Scan Durham FLS (example)"), first
    assert "Covers your postcode district" in first
    assert "None of the Fracture Liaison Services we know of" not in page.content()
    assert_accessible(page)


def test_where_no_service_covers_the_district_the_nearest_are_shown_with_their_districts(
        page, nearer_service):  # fmt: skip
    _search(page, "NE1 4LP")
    assert urlsplit(page.url).path == "/groups/near/NE1"
    assert "None of the Fracture Liaison Services we know of covers NE1." in (
        page.locator("main").inner_text())
    cards = [" ".join(card.split()) for card in _service_cards(page)]
    assert all("Does not cover your postcode district" in card for card in cards), cards
    assert cards[0].startswith("Scan Birtley FLS (example)"), cards
    assert "Postcode districts covered DH3" in cards[0]
    assert cards[1].startswith("Scan Durham FLS (example)"), cards
    assert "Postcode districts covered DH1, DH2" in cards[1]
    assert_accessible(page)

