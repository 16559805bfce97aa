"""The admin navigation: every section reachable from each section, the current one marked."""

import pytest

from tests.accounts.factories import create_staff_member, sign_in
from tests.pages import get_page
from webapp.models.staff import Role

SECTIONS = {
    "/admin/staff": "Staff accounts",
    "/admin/fls-services": "Fracture Liaison Services",
    "/admin/support-groups/": "Support groups",
    "/admin/audit-log": "Audit log",
    "/admin/figures": "Service figures",
}


@pytest.fixture
def admin_client(app, database):
    client = app.test_client()
    sign_in(client, create_staff_member(database, Role.ADMIN))
    return client


@pytest.mark.parametrize(("url", "heading"), SECTIONS.items())
def test_each_admin_section_links_to_every_section_and_marks_itself(admin_client, url, heading):
    page = get_page(admin_client, url)
    nav = page.select_one("nav[aria-label='Admin pages']")
    links = {link.get_text(strip=True): link["href"] for link in nav.select("a")}
    assert links == {text: href for href, text in SECTIONS.items()}
    current = nav.select("[aria-current]")
    assert [(link.get_text(strip=True), link["aria-current"]) for link in current] == [
        (heading, "page")
    ]
    assert current[0].find("strong") is not None  # seen as well as announced


def test_the_account_page_offers_an_admin_every_section(admin_client):
    links = {link.get_text(strip=True) for link in get_page(admin_client, "/staff/").select("a")}
    assert {"Manage staff accounts", "Manage Fracture Liaison Services",
            "Manage support groups", "Read the audit log"} <= links  # fmt: skip
