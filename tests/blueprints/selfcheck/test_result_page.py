"""The result page says each thing once, and only what applies, for the people it was read by.

A woman of 74 who broke her wrist at 68 and fell last year, a man of 55 with no risk factor,
a smoker and someone on steroid tablets: each page's visible text is read as they would read
it (the pictures' text alternatives are left out: they are read instead of the pictures).
"""

import pytest

from tests.blueprints.selfcheck.journey import confirm_answers, give_answers, url
from tests.pages import get_page
from tests.selfcheck.examples import complete_answers
from webapp.selfcheck import advice

PEOPLE = {
    "woman of 74, broken wrist, a fall": complete_answers(age=74, broken_bones="yes", falls="yes"),
    "man of 55, no risk factor": complete_answers(
        age=55, sex="male", height={"cm": 178.0}, weight={"kg": 80.0}
    ),
    "smoker": complete_answers(age=60, smoking="3"),
    "steroid tablets": complete_answers(age=62, steroids="yes"),
}
# Said once on every result, whoever it is for.
ONCE_FOR_EVERYONE = (
    advice.NOT_A_DIAGNOSIS,
    advice.ABOUT_THE_NUMBERS,
    "It is the responsibility of anyone using it",  # ClinRisk's disclaimer
    "Estimated with the published QFracture-2012 equations",  # the credit
    "Each figure is 1 person",  # the pictures' key
    "See a summary you can print or show your GP",
    advice.DO_EXERCISE,
    advice.DO_CALCIUM,
    advice.DO_VITAMIN_D,
    advice.HELPLINE,
    advice.HELPLINE_HOURS,
    advice.READ_NHS_OSTEOPOROSIS.text,
    advice.READ_ROS_EXERCISE.text,
)


def _result(client, answers):
    give_answers(client, answers)
    confirm_answers(client)
    page = get_page(client, url("result"))
    for picture in page.select("main svg"):
        picture.decompose()
    return page


def _text(page) -> str:
    return " ".join(page.find("main").get_text(" ").split())


def _links(page) -> list[str]:
    return [link["href"] for link in page.select("main a[href]")]


@pytest.mark.parametrize("person", PEOPLE)
def test_each_message_is_said_once(client, person):
    page = _result(client, PEOPLE[person])
    text = _text(page)
    for message in ONCE_FOR_EVERYONE:
        assert text.count(message) == 1, (person, message, text.count(message))
    headings = [heading.get_text(strip=True) for heading in page.select("main h2, main h3")]
    assert len(headings) == len(set(headings)), headings


@pytest.mark.parametrize("person", PEOPLE)
def test_each_number_is_in_words_once(client, person):
    page = _result(client, PEOPLE[person])
    sentences = page.select("main p.bonecheck-risk")
    assert len(sentences) == 2
    for sentence in sentences:
        words = sentence.strong.get_text()
        assert _text(page).lower().count(words.lower()) == 1, words


@pytest.mark.parametrize("person", PEOPLE)
def test_each_reason_is_listed_once(client, person):
    page = _result(client, PEOPLE[person])
    reasons = [item.get_text(strip=True) for item in page.select("main .bonecheck-at-a-glance li")]
    assert bool(reasons) is (person != "man of 55, no risk factor")
    for reason in reasons:
        assert _text(page).count(reason) == 1, reason


def test_the_woman_with_a_broken_wrist_is_told_about_it_once_with_the_fls(client):
    page = _result(client, PEOPLE["woman of 74, broken wrist, a fall"])
    text = _text(page)
    for message in (advice.BROKEN_BONE_LEAD, advice.BROKEN_BONE_ACTION, advice.FLS_WHAT_IT_IS):
        assert text.count(message) == 1, message
    assert advice.REASON_PREVIOUS_FRACTURE not in text
    assert text.count("Fracture Liaison Service") == 3  # the lead's advice, what one is, the finder
    assert advice.DO_FALLS in text and advice.READ_NHS_FALLS.url in _links(page)


@pytest.mark.parametrize("person", ["man of 55, no risk factor", "smoker", "steroid tablets"])
def test_no_broken_bone_no_fls_and_no_falls_advice_for_those_who_said_no(client, person):
    page = _result(client, PEOPLE[person])
    text = _text(page)
    assert advice.BROKEN_BONE_LEAD not in text and advice.FLS_WHAT_IT_IS not in text
    assert advice.DO_FALLS not in text
    assert advice.READ_NHS_FALLS.url not in _links(page)
    assert "balance training" not in text


def test_the_man_with_no_risk_factor_is_told_so_once_and_nothing_that_does_not_apply(client):
    page = _result(client, PEOPLE["man of 55, no risk factor"])
    text = _text(page)
    assert text.count(advice.NO_REASON_FOUND) == 1
    for advice_that_does_not_apply in (advice.DO_SMOKING, advice.DO_ALCOHOL, advice.DO_FALLS):
        assert advice_that_does_not_apply not in text


def test_only_the_smoker_gets_the_stop_smoking_link(client):
    for person, answers in PEOPLE.items():
        page = _result(client, answers)
        smokes = person == "smoker"
        assert (advice.READ_NHS_QUIT_SMOKING.url in _links(page)) is smokes, person
        assert (advice.DO_SMOKING in _text(page)) is smokes, person


def test_the_helpline_says_where_its_opening_hours_are_and_links_there(client):
    page = _result(client, PEOPLE["steroid tablets"])
    helpline = page.find("h2", string="Talk to someone").find_next("p")
    assert helpline.find("a", href=advice.ROS_HELPLINE_TEL).get_text() == advice.ROS_HELPLINE
    website = helpline.find("a", href=advice.READ_ROS_WEBSITE.url)
    assert website.get_text() == advice.READ_ROS_WEBSITE.text
    assert advice.HELPLINE_HOURS in " ".join(helpline.get_text().split())


def test_every_trusted_link_for_everyone_is_on_the_page_once(client):
    links = _links(_result(client, PEOPLE["man of 55, no risk factor"]))
    for link in (advice.READ_NHS_OSTEOPOROSIS, advice.READ_ROS_EXERCISE, advice.READ_ROS_WEBSITE):
        assert links.count(link.url) == 1, link
