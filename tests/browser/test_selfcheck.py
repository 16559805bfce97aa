"""The self-check in a real browser: keyboard only, accessible in every state, safe with input.

The walk follows the service from the home page's "Start now" (tests/browser/journey.py),
so every question page it meets is scanned, empty-submitted and scanned again; a
coverage check then fails if the app has a self-check page the walks never reached.
"""

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from flask import url_for

from tests.browser.axe import assert_accessible, axe_violations, describe_violations
from tests.browser.journey import PROFILE, page_fields, start_check, walk_to_result
from tests.browser.keyboard import choose_radio, follow_link, press_button, type_into
from webapp.risk import estimate_fracture_risk

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
ERROR_SUMMARY_HAS_FOCUS = (
    "() => !!document.activeElement && !!document.activeElement.closest('.nhsuk-error-summary')"
)
# "About 4.6 in 100", "About 14 in 100", "Fewer than 1 in 1,000", "More than 99 in 100".
RISK_IN_WORDS = re.compile(r"(about|fewer than|more than) ([\d.]+) in (100|1,000)", re.IGNORECASE)


@pytest.fixture(scope="module")
def paths(live_app):
    """The self-check's own URLs, asked of the app rather than written out here."""
    with live_app.test_request_context():
        return {
            "result": url_for("selfcheck.result"),
            "summary": url_for("selfcheck.summary"),
            "age": url_for("selfcheck.age"),
            "pages": _selfcheck_pages(live_app),
        }


def _selfcheck_pages(app) -> dict[str, str]:
    """Every self-check page a person can open with GET, by endpoint name (not the GP
    summary's PDF, a download: tests/browser/test_printing.py and test_summary_pdf.py)."""
    return {
        rule.endpoint: rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("selfcheck.") and "GET" in rule.methods
        and not rule.rule.endswith(".pdf")
    }


def _endpoint(live_app, url: str) -> str:
    endpoint, _ = live_app.url_map.bind("localhost").match(urlsplit(url).path)
    return endpoint


def _risks_on_page(page) -> dict[str, str]:
    """The two risks in words, read from the paragraph after each risk's heading."""
    risks = {}
    for heading, name in (("A break of the hip", "major_osteoporotic"), ("A hip fracture", "hip")):
        paragraph = page.locator(f"h3:has-text('{heading}') + p")
        risks[name] = " ".join(paragraph.inner_text().split())
    return risks


def _assert_shows(words: str, percent: float) -> None:
    """The number in `words` is `percent` as the page rounds it (one decimal below 10)."""
    match = RISK_IN_WORDS.search(words)
    assert match, f"no risk in words in {words!r}"
    qualifier, number = match.group(1).lower(), float(match.group(2))
    if qualifier == "fewer than":
        assert percent < 0.05, (words, percent)
    elif qualifier == "more than":
        assert percent >= 99.5, (words, percent)
    else:
        tolerance = 0.05 if "." in match.group(2) or number < 10 else 0.5
        assert abs(number - percent) <= tolerance + 1e-9, (words, percent)

class AccessibilityLog:
    """Axe violations found on each page of a walk, reported together at the end."""

    def __init__(self):
        self.found: dict[str, str] = {}
        self.scanned: set[str] = set()

    def scan(self, page, label: str) -> None:
        self.scanned.add(page.url)
        violations = axe_violations(page)
        if violations:
            self.found[f"{label} {page.url}"] = describe_violations(violations)

    def scan_with_errors(self, page, label: str) -> None:
        """Scan the page, send it empty, check focus moves to the errors, scan that too."""
        self.scan(page, label)
        press_button(page)
        if not page.evaluate(ERROR_SUMMARY_HAS_FOCUS):
            self.found[f"{label} (errors) {page.url}"] = "the error summary did not get focus"
        self.scan(page, f"{label} (errors)")

    def report(self) -> str:
        return "\n\n".join(f"{where}:\n{what}" for where, what in self.found.items())

def test_keyboard_only_journey_reaches_the_right_result(page, paths):
    questions = walk_to_result(page, paths["result"])
    assert len(questions) >= 15, [question.url for question in questions]

    expected = estimate_fracture_risk(PROFILE)
    shown = _risks_on_page(page)
    _assert_shows(shown["major_osteoporotic"], expected.major_osteoporotic_percent)
    _assert_shows(shown["hip"], expected.hip_percent)

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "result.png", full_page=True)
    log = AccessibilityLog()
    log.scan(page, "result")

    follow_link(page, f'a[href="{paths["summary"]}"]')
    assert urlsplit(page.url).path == paths["summary"]
    assert _risks_on_page(page) == shown, "the printable summary shows other numbers"
    page.screenshot(path=SCREENSHOTS / "summary.png", full_page=True)
    log.scan(page, "summary")
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / "summary-print.png", full_page=True)
    log.scan(page, "summary as printed")
    assert not log.found, log.report()


# Each visible piece of text in <main>, its font size, and whether it is one of the two risks.
TEXT_SIZES = """() => [...document.querySelectorAll('main *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
        && e.getClientRects().length > 0)
    .map(e => ({text: e.textContent.trim().slice(0, 60),
                size: parseFloat(getComputedStyle(e).fontSize),
                risk: !!e.closest('.bonecheck-risk')}))"""


def test_the_printed_summary_shows_the_risks_largest_and_the_finders_address(page, paths):
    walk_to_result(page, paths["result"])
    page.goto(paths["summary"])
    finder_address = page.locator("p.bonecheck-print-only")
    assert not finder_address.is_visible(), "the written-out address is for paper only"
    page.emulate_media(media="print")

    sizes = page.evaluate(TEXT_SIZES)
    risks = [text for text in sizes if text["risk"]]
    others = [text for text in sizes if not text["risk"]]
    assert len({text["text"] for text in risks}) >= 2, risks
    largest_other = max(others, key=lambda text: text["size"])
    assert min(text["size"] for text in risks) > largest_other["size"], (risks, largest_other)

    assert finder_address.is_visible()
    host = urlsplit(page.url).netloc
    assert finder_address.inner_text().endswith(f" at {host}/groups/")


def test_the_result_folds_away_the_disclaimer_on_screen_but_prints_it(page, paths):
    walk_to_result(page, paths["result"])
    disclaimer = page.locator("details.bonecheck-open-in-print p", has_text="ClinRisk")
    assert not disclaimer.is_visible()
    page.emulate_media(media="print")
    assert disclaimer.is_visible()
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert disclaimer.is_visible(), "the details were not opened before printing"


def test_an_empty_answer_moves_focus_to_the_error_summary(page):
    start_check(page)
    press_button(page)
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.evaluate(ERROR_SUMMARY_HAS_FOCUS), "the error summary did not get focus"
    assert page.title().startswith("Error: ")
    # The summary's link takes a keyboard user to the field to put right.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == page_fields(page)[0]["name"]

def test_every_selfcheck_page_and_its_errors_are_accessible(context, page, paths, live_app):
    log = AccessibilityLog()
    side_page = context.new_page()

    def scan_question_and_its_alternatives(question):
        if not question.fields:
            # "Check your answers": nothing to leave empty; its button goes on.
            log.scan(page, "confirmation")
            return
        log.scan_with_errors(page, "question")
        # "Enter your height in feet and inches instead" and the like: the same
        # question asked another way, checked in a second tab of the same session.
        hrefs = page.locator("main form a[href]").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        # The switch to the other units is a button (it carries what was typed): its page
        # is the same address with ?units=.
        hrefs += [f"?units={units}" for units in page.locator(
            "main form button[name=switch_units]").evaluate_all(
            "buttons => buttons.map(button => button.value)")]  # fmt: skip
        for href in hrefs:
            side_page.goto(urljoin(page.url, href))
            log.scan_with_errors(side_page, "alternative")

    walk_to_result(page, paths["result"], on_question=scan_question_and_its_alternatives)
    log.scan(page, "result")
    page.goto(paths["summary"])
    log.scan(page, "summary")
    for age in ("45", "25", "105"):
        _answer_age(page, paths["age"], age)
        log.scan(page, f"age {age}")
    # Answers deleted (a fresh tab has none): a page of the check says so.
    side_page.context.clear_cookies()
    side_page.goto(paths["result"])
    log.scan(side_page, "answers deleted")

    reached = {_endpoint(live_app, url) for url in log.scanned}
    never_scanned = set(paths["pages"]) - reached - {"selfcheck.start"}
    assert not never_scanned, f"self-check pages no walk reached: {sorted(never_scanned)}"
    assert not log.found, log.report()


def _answer_age(page, age_path: str, years: str) -> None:
    """Change the age answer with the keyboard and land on whatever page it leads to."""
    page.goto(age_path)
    type_into(page, "age", years)
    press_button(page)


def test_switching_to_feet_and_inches_keeps_what_was_typed(page):
    start_check(page)
    type_into(page, "age", "72")
    press_button(page)
    choose_radio(page, "sex", "female")
    press_button(page)
    type_into(page, "height", "165")
    press_button(page, "main form button[name=switch_units]")
    assert page.locator("input[name=feet]").input_value() == "5"
    assert page.locator("input[name=inches]").input_value() == "5"
    assert_accessible(page)
    press_button(page)
    # Feet and inches for the height: the weight is asked in stones and pounds.
    assert page.locator("input[name=stones]").count() == 1


def test_feet_and_inches_typed_in_the_centimetres_box_lead_to_the_feet_and_inches_boxes(page):
    start_check(page)
    type_into(page, "age", "72")
    press_button(page)
    choose_radio(page, "sex", "female")
    press_button(page)
    type_into(page, "height", "5 4")
    press_button(page)
    message = page.locator(".nhsuk-error-message")
    assert "It looks like you entered feet and inches" in message.inner_text()
    assert_accessible(page)
    follow_link(page, ".nhsuk-error-message a")
    type_into(page, "feet", "5")
    type_into(page, "inches", "4")
    press_button(page)
    assert page.locator("input[name=stones]").count() == 1  # weight asked the same way


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'],
    ids=["script", "img-onerror"],
)
def test_typed_markup_is_shown_as_text_and_never_runs(page, payload):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    start_check(page)
    type_into(page, "age", payload)
    press_button(page)

    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.locator("input[name=age]").input_value() == payload
    assert page.locator("main img, main script").count() == 0
    assert dialogs == []


def test_the_timeout_warning_offers_to_keep_the_answers_then_says_when_they_are_gone(page):
    """The browser's clock is moved on, not waited for: 28 minutes, the warning; keep the
    answers; 30 more minutes with no answer, and the page says they were deleted."""
    page.clock.install()
    start_check(page)
    type_into(page, "age", "72")
    press_button(page)
    warning = page.locator("dialog#timeout-warning")
    assert not warning.is_visible()
    page.clock.fast_forward("28:01")
    assert warning.is_visible()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus inside
    assert_accessible(page)
    with page.expect_response("**/check/keep-alive") as kept:
        warning.get_by_role("button", name="Keep my answers").click()
    assert kept.value.status == 204
    assert not warning.is_visible()
    page.clock.fast_forward("30:01")
    page.wait_for_url("**/check/ended")
    assert page.locator("h1").inner_text() == "Your answers have been deleted"
    assert_accessible(page)


def test_without_javascript_the_question_pages_say_how_long_answers_are_kept(browser,
                                                                            live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/check/age")
        assert "we delete your answers if you do not use this check for 30 minutes" in (
            page.locator("main").inner_text())
        assert not page.locator("dialog#timeout-warning").is_visible()
    finally:
        context.close()
