"""Changing an answer on "Check your answers" in a real browser, by keyboard, and weights
given in pounds alone.

A woman of 74 answers every question, then changes her sex, or her age and back: every
answer that still applies is still there, and a page asked again says why. Each page
visited is scanned with axe.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.journey import page_fields, start_check
from tests.browser.keyboard import choose_radio, follow_link, press_button, type_into
from tests.example_person import ANSWERS
from webapp.selfcheck.answers import QUESTIONS

pytestmark = pytest.mark.browser

CHECK_YOUR_ANSWERS = "/check/check-your-answers"
# Every question, then "Check your answers": a question answered wrongly is asked again
# and the walk runs out of pages.
EVERY_QUESTION_ONCE = len(QUESTIONS) + 1
# Conditions, medicines and risk factors some for both sexes, some for women only.
WOMAN_OF_74 = {
    **ANSWERS,
    "age": "74",
    "conditions": ["asthma_or_copd", "endocrine_problems"],
    "medicines": ["antidepressants", "oestrogen_only_hrt"],
    "other_risk_factors": ["height_loss", "premature_menopause"],
    "weight": "160lb",  # pounds alone
}
BROKEN_SINCE_50 = "Broken a wrist, spine, hip or shoulder bone since turning 50"
SHOWN_ANSWERS = """() => Object.fromEntries(
    [...document.querySelectorAll('main .nhsuk-summary-list__row')].map(row => [
        row.querySelector('.nhsuk-summary-list__key').innerText.trim(),
        row.querySelector('.nhsuk-summary-list__value').innerText.split('\\n')
            .map(line => line.trim()).filter(Boolean)]))"""


def _answers_shown(page) -> dict[str, list[str]]:
    """"Check your answers" as a person reads it: each question's words and its answers."""
    assert urlsplit(page.url).path == CHECK_YOUR_ANSWERS, page.url
    return page.evaluate(SHOWN_ANSWERS)


def _ticked(page, name: str) -> list[str]:
    return page.locator(f"input[type=checkbox][name={name}]:checked").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    )


def _answer_everything(page, answers: dict) -> None:
    """Answer each question the service asks from `answers` until "Check your answers".

    The boxes are filled directly, not by keyboard: the keyboard walk is tested in
    test_selfcheck.py and takes several times as long; the changes tested here are
    still made by keyboard.
    """
    start_check(page)
    for _ in range(EVERY_QUESTION_ONCE):
        if urlsplit(page.url).path == CHECK_YOUR_ANSWERS:
            return
        for field in page_fields(page):
            name, answer = field["name"], answers[field["name"]]
            if field["type"] in ("radio", "checkbox"):
                for value in [answer] if isinstance(answer, str) else answer:
                    page.check(f'input[name="{name}"][value="{value}"]')
            else:
                page.fill(f'input[name="{name}"]', answer)
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.get_by_role("button", name="Continue").click()
    raise AssertionError(f"a question was asked more than once: still on {page.url}")


@pytest.fixture(scope="module")
def answered(browser, live_server) -> dict[str, list[dict]]:
    """The session cookie of the woman of 74 once she has answered every question, for
    each broken-bone answer: each test starts at "Check your answers" without answering
    the 15 questions again."""
    cookies = {}
    for broken in ("yes", "no"):
        context = browser.new_context(base_url=live_server)
        try:
            _answer_everything(context.new_page(), {**WOMAN_OF_74, "broken_bones": broken})
            cookies[broken] = context.cookies()
        finally:
            context.close()
    return cookies


def _open_check_your_answers(page, cookies: list[dict]) -> None:
    page.context.add_cookies(cookies)
    page.goto(CHECK_YOUR_ANSWERS)


def _reason_given(page) -> str:
    """The words of the inset that says why a question is asked again."""
    return " ".join(page.locator("main .nhsuk-inset-text").inner_text().split())


def _assert_asked_again_because_of_sex(page, question: str, still_ticked: list[str]) -> None:
    assert urlsplit(page.url).path == f"/check/{question}", page.url
    assert _reason_given(page) == (
        "Information: You changed your answer about your sex, so the choices on this page "
        "have changed. Check your answer and continue."
    )
    assert _ticked(page, question.replace("-", "_")) == still_ticked
    assert_accessible(page)


def test_changing_sex_keeps_every_answer_that_still_applies(page, answered):
    _open_check_your_answers(page, answered["yes"])
    before = _answers_shown(page)
    follow_link(page, 'main a[href="/check/sex"]')
    choose_radio(page, "sex", "male")
    press_button(page)
    # Men are asked about care homes and androgen-deprivation therapy: those two pages
    # are asked again, with what still applies ticked and the reason given.
    _assert_asked_again_because_of_sex(page, "medicines", ["antidepressants"])
    press_button(page)
    _assert_asked_again_because_of_sex(page, "other-risk-factors", ["height_loss"])
    press_button(page)

    after = _answers_shown(page)
    assert after.pop("Sex") == ["Male"]
    assert after.pop("Conditions") == ["Asthma or COPD (chronic obstructive pulmonary disease)"]
    assert after.pop("Medicines and where you live") == ["You take antidepressants"]
    assert after.pop("Other risk factors") == [
        "You have lost more than 4 cm (about 1.5 inches) in height"
    ]
    for changed in ("Sex", "Conditions", "Medicines", "Other risk factors"):
        before.pop(changed)
    assert after == before
    assert after[BROKEN_SINCE_50] == ["Yes"]
    assert_accessible(page)


def _change_age(page, years: str) -> None:
    """Follow the page's link to the age question and give `years`."""
    follow_link(page, 'main a[href="/check/age"]')
    type_into(page, "age", years)
    press_button(page)


@pytest.mark.parametrize("broken", ["yes", "no"])
def test_changing_age_to_49_and_back_to_74_keeps_the_broken_bone_answer(page, answered,
                                                                        broken):
    _open_check_your_answers(page, answered[broken])
    before = _answers_shown(page)
    _change_age(page, "49")
    assert urlsplit(page.url).path == "/check/under-50"
    assert_accessible(page)
    _change_age(page, "74")  # the page's "Change your age"
    assert _answers_shown(page) == before
    assert before[BROKEN_SINCE_50] == [broken.capitalize()]


def test_a_no_since_50_is_asked_again_under_50_and_says_why(page, answered):
    """"No" since 50 says nothing about the years before: at 49 the question is asked
    again, as "ever"; "yes" since 50 would have been kept (the test above)."""
    _open_check_your_answers(page, answered["no"])
    _change_age(page, "49")
    press_button(page)  # "Continue anyway"
    assert urlsplit(page.url).path == "/check/broken-bones"
    assert _reason_given(page) == (
        "Information: You changed your age, so this question now asks about a different time. "
        "Answer it again."
    )
    assert page.locator("input[name=broken_bones]:checked").count() == 0
    assert_accessible(page)


def test_pounds_alone_are_accepted_and_shown_in_stones_and_pounds(page, answered):
    """"160lb" in the kilograms box was accepted (the answers were reached), and in the
    stones and pounds boxes 0 stone 150 pounds is too."""
    _open_check_your_answers(page, answered["yes"])
    assert _answers_shown(page)["Weight"] == ["11 stone 6 pounds (72.6 kg)"]
    assert_accessible(page)
    # Answered in pounds, the weight is asked again in the stones and pounds boxes.
    follow_link(page, 'main a[href="/check/weight"]')
    type_into(page, "stones", "0")
    type_into(page, "pounds", "150")
    assert_accessible(page)
    press_button(page)
    assert _answers_shown(page)["Weight"] == ["10 stone 10 pounds (68 kg)"]
