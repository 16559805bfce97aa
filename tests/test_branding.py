"""Who runs the service is said on every page; the NHS's logo and font only with NHS_BRANDING."""

import pytest

from config import TestConfig
from tests.pages import get_page
from webapp import create_app
from webapp.branding import Owner


class _Owned(TestConfig):
    OWNER_NAME = "Northshire Bone Health Partnership"
    OWNER_CONTACT = "bonecheck@northshire.example"


class _NhsBranded(_Owned):
    NHS_BRANDING = True


def _client(config):
    return create_app(config).test_client()


def test_by_default_no_nhs_logo_no_nhs_font_and_bonechecks_own_logo(client):
    response = client.get("/")
    page = get_page(client, "/")
    assert page.select_one("svg.nhsuk-header__logo") is None  # the NHS logo
    logo = page.select_one("img.nhsuk-header__organisation-logo")
    # A mark beside the service's name, which already says BoneCheck: no words of its own.
    assert logo["src"].endswith("/static/images/bonecheck-logo.svg") and logo["alt"] == ""
    assert "bonecheck-unbranded" in page.html["class"]
    assert "assets.nhs.uk" not in response.headers["Content-Security-Policy"]
    assert not page.select('link[href*="nhsuk-icon"]')  # nor the NHS's favicon


def test_an_organisation_entitled_to_it_gets_the_nhs_logo_and_font():
    client = _client(_NhsBranded)
    page = get_page(client, "/")
    assert page.select_one("svg.nhsuk-header__logo") is not None
    assert not page.html.get("class")
    assert "font-src 'self' https://assets.nhs.uk" in client.get("/").headers[
        "Content-Security-Policy"]


def test_every_footer_names_the_owner_and_links_to_about(client):
    for address in ("/", "/check/age", "/groups/", "/staff/sign-in"):
        footer = get_page(_client(_Owned), address).select_one("footer")
        text = " ".join(footer.get_text().split())
        assert "This service is run by Northshire Bone Health Partnership." in text
        assert "© Northshire Bone Health Partnership" in text
        assert footer.find("a", string="About this service")["href"] == "/about"


def test_the_about_page_says_who_runs_it_how_to_reach_them_and_what_is_kept():
    page = get_page(_client(_Owned), "/about")
    text = " ".join(page.find("main").get_text().split())
    assert "BoneCheck is run by Northshire Bone Health Partnership." in text
    contact = page.find("a", string="bonecheck@northshire.example")
    assert contact["href"] == "mailto:bonecheck@northshire.example"
    assert "QFracture-2012" in text and "never saved on our computers" in text
    assert "If a listing is wrong" in text
    assert "it is not a service of the NHS website" in text


def test_an_owners_logo_from_its_own_site_is_allowed_by_the_csp():
    class _WithLogo(_Owned):
        OWNER_LOGO = "https://northshire.example/logo.png"

    client = _client(_WithLogo)
    logo = get_page(client, "/").select_one("img.nhsuk-header__organisation-logo")
    assert (logo["src"], logo["alt"]) == ("https://northshire.example/logo.png",
                                          "Northshire Bone Health Partnership")
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://northshire.example" in csp


@pytest.mark.parametrize(
    "contact, href",
    [("fls@example.org", "mailto:fls@example.org"), ("0191 498 0123", "tel:01914980123"),
     ("https://example.org/feedback", "https://example.org/feedback"), ("Ward 7", None)],
)
def test_a_contact_becomes_the_right_kind_of_link(contact, href):
    assert Owner("Owner", contact, "", False).contact_href == href


def test_the_design_systems_stylesheet_comes_without_the_nhs_font_unless_branded(client):
    unbranded = client.get("/assets/nhsuk-frontend.min.css").get_data(as_text=True)
    with _client(_NhsBranded).get("/assets/nhsuk-frontend.min.css") as response:
        branded = response.get_data(as_text=True)
    assert "@font-face" not in unbranded and "assets.nhs.uk" not in unbranded
    assert "@font-face" in branded
    assert len(unbranded) > 0.9 * len(branded)  # everything else is still there
