"""The result page in a real browser, for two people: accessible, and short enough to print.

The answers are put straight into the session (the keyboard walk through every question is
tested in test_selfcheck.py); the page is then opened as the person would open it.
"""

import re

import pytest
from flask import url_for

from tests.browser.axe import assert_accessible
from tests.selfcheck.examples import complete_answers
from webapp.selfcheck import advice
from webapp.selfcheck.answers import fingerprint

pytestmark = pytest.mark.browser

PEOPLE = {
    "woman of 74, broken wrist, a fall": complete_answers(age=74, broken_bones="yes", falls="yes"),
    "man of 55, no risk factor": complete_answers(
        age=55, sex="male", height={"cm": 178.0}, weight={"kg": 80.0}
    ),
}
# Before these pages said each thing once, both printed on 4 A4 pages. Printed at the paper's
# full width, the lean page takes at most 3; this keeps it from growing back.
MOST_PRINTED_PAGES = 3


def _open_result(live_app, live_server, context, page, answers: dict) -> None:
    """Give the browser a session holding confirmed answers, as "Check your answers" would."""
    client = live_app.test_client()
    with client.session_transaction() as session:
        session["check"] = answers
        session["check_confirmed"] = fingerprint(answers)
    name = live_app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    context.add_cookies([{"name": name, "value": cookie.value, "url": live_server}])
    with live_app.test_request_context():
        page.goto(url_for("selfcheck.result"))
    assert page.locator("h1").inner_text() == "Your result"


def _printed_pages(page) -> int:
    """How many A4 pages Chromium prints the page on, counted in the PDF it makes."""
    return len(re.findall(rb"/Type\s*/Page\b", page.pdf(format="A4")))


@pytest.mark.parametrize("person", PEOPLE)
def test_the_result_is_accessible_on_screen_and_printed(live_app, live_server, context, page,
                                                        person):
    _open_result(live_app, live_server, context, page, PEOPLE[person])
    assert_accessible(page)
    page.emulate_media(media="print")
    assert_accessible(page)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_result_prints_on_no_more_pages_than_it_did(live_app, live_server, context, page,
                                                        person):
    _open_result(live_app, live_server, context, page, PEOPLE[person])
    assert 1 < _printed_pages(page) <= MOST_PRINTED_PAGES


def test_falls_advice_and_its_link_show_only_for_the_person_who_fell(live_app, live_server,
                                                                     context, page):
    falls_link = page.locator(f"main a[href='{advice.READ_NHS_FALLS.url}']")
    _open_result(live_app, live_server, context, page, PEOPLE["man of 55, no risk factor"])
    assert falls_link.count() == 0
    _open_result(live_app, live_server, context, page,
                 PEOPLE["woman of 74, broken wrist, a fall"])
    assert falls_link.count() == 1 and falls_link.is_visible()
    assert page.locator("main .nhsuk-card--warning").inner_text().count(
        advice.BROKEN_BONE_ACTION) == 1
