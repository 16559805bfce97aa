"""The self-check walked in a real browser, page by page, with the keyboard alone.

The walk starts at the home page's "Start now" and follows wherever the service
sends it, answering each question it finds from ANSWERS (keyed by the form
field's name), so a question added, removed or reordered is picked up without
editing a list of URLs. A question it has no answer for stops it with a clear
message.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.browser.keyboard import (
    choose_radio,
    follow_link,
    press_button,
    tick_checkboxes,
    type_into,
)
from tests.example_person import ANSWERS
from webapp.risk import RiskProfile, bmi_from_height_weight

# The same person as the QFracture-2012 equations take her, written out by hand
# (not through the self-check's own code), so the test checks that code too.
PROFILE = RiskProfile(
    sex="female",
    age=72,
    bmi=bmi_from_height_weight(160, 58),
    ethnicity=1,
    smoking=1,
    alcohol=1,
    previous_fracture=True,
    falls=True,
    asthma_or_copd=True,
)

START_LINK = 'a[href$="/check/"], a[href$="/check"]'
# Named form controls a person answers (not the CSRF token, not buttons).
FIELDS_OF_FORM = """() => {
    const form = document.querySelector('main form[method=post], main form[method=POST]');
    if (!form) return null;
    const controls = [...form.elements].filter(e => e.name && e.name !== 'csrf_token'
        && !['hidden', 'submit', 'button'].includes(e.type) && e.tagName !== 'BUTTON');
    return controls.map(e => ({name: e.name, type: e.type}))
        .filter((c, i, all) => all.findIndex(o => o.name === c.name) === i);
}"""


@dataclass
class QuestionPage:
    """One page the walk answered: where it was and what it asked for."""

    url: str
    fields: list[dict]


def start_check(page) -> None:
    """Open the home page and press "Start now" with the keyboard."""
    page.goto("/")
    follow_link(page, START_LINK)


def answer_page(page, fields: list[dict]) -> None:
    """Answer every field on the page from ANSWERS, by keyboard, and send the form."""
    for field in fields:
        name = field["name"]
        if name not in ANSWERS:
            raise AssertionError(f"the walk has no answer for {name!r} on {page.url}")
        answer = ANSWERS[name]
        if field["type"] == "radio":
            choose_radio(page, name, answer)
        elif field["type"] == "checkbox":
            tick_checkboxes(page, name, answer)
        else:
            type_into(page, name, answer)
    press_button(page)


def page_fields(page) -> list[dict] | None:
    """The fields of the page's POST form, or None when the page has no such form."""
    return page.evaluate(FIELDS_OF_FORM)


def walk_to_result(
    page,
    result_path: str,
    on_question: Callable[[QuestionPage], None] | None = None,
    most_pages: int = 40,
) -> list[QuestionPage]:
    """From the start, answer each question the service asks until it shows `result_path`.

    `on_question` is called on each question page before it is answered (to scan
    it, or to submit it empty first). A form with no fields, such as "Check your
    answers", is confirmed with its button.
    """
    start_check(page)
    visited = []
    for _ in range(most_pages):
        if urlsplit(page.url).path == result_path:
            return visited
        fields = page_fields(page)
        if fields is None:
            raise AssertionError(f"{page.url} has no form to go on with, and is not the result")
        question = QuestionPage(page.url, fields)
        visited.append(question)
        if on_question is not None:
            on_question(question)
        answer_page(page, fields)
    raise AssertionError(f"the walk did not reach a result in {most_pages} pages: {visited}")
