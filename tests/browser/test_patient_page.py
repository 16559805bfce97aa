"""The patient page a nurse opens from the worklist, in a real browser with axe.

A nurse opens a patient with a history of texts and a worklist reason, reads
the adherence chart, records a phone call (first with a mistake the error
summary names), sees it on the timeline, marks the worklist reason handled,
and the page passes axe with the chart on it and prints legibly: the figures
table shows on paper and nothing runs off the page.
"""

from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.test_patients import _nurse, _sign_in, _submit
from tests.patients.factories import create_patient, regimen_entry
from tests.patients.history import add_dose_history, add_reply
from webapp.adherence.refresh import refresh_patients
from webapp.clock import uk_today, utc_now
from webapp.extensions import db

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# An A4 page at 96 dots an inch, less the browser's default margins.
A4_WIDTH = 718
# The page's content, however long, must fit across it.
FITS_ACROSS = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.getClientRects().length > 0
        && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.textContent.trim().slice(0, 30)}`)"""


def _patient_with_a_history(live_app, service_id: int) -> int:
    """A patient 13 weeks after their fracture, on weekly alendronic acid, with 20 weeks of
    texts and an unread reply, their figures and worklist worked out as the job does."""
    with live_app.app_context():
        from webapp.models.staff import FlsService

        service = db.session.get(FlsService, service_id)
        patient = create_patient(
            db.session, service, first_name="Dorothy",
            fracture_date=uk_today() - timedelta(weeks=13),
            regimens=[regimen_entry(first_dose_date=uk_today() - timedelta(weeks=21))],
        )  # fmt: skip
        now = utc_now()
        add_dose_history(db.session, patient, 20, now)
        add_reply(db.session, patient, "Took it <b>late</b> & felt sick", now)
        refresh_patients(db.session, [patient.id], now)
        db.session.commit()
        return patient.id


def test_a_nurse_records_a_call_marks_the_reason_handled_and_prints_the_page(page, live_app):
    nurse = _nurse(live_app, "Patient Page FLS")
    patient_id = _patient_with_a_history(live_app, nurse.service_id)
    _sign_in(page, nurse)
    page.goto(f"/patients/{patient_id}")
    assert page.locator("h1").inner_text() == "Dorothy Example"
    attention = page.locator(".bonecheck-attention")
    assert "12 to 16 week contact due" in attention.inner_text()
    assert "Reply to read" in attention.inner_text()
    assert "Figures worked out at" in page.locator("main").inner_text()
    chart = page.get_by_role("img", name="Adherence by month, last 12 months")
    assert chart.count() == 1
    assert chart.locator("rect").count() >= 5  # a bar for each month on treatment
    # The patient's words are shown as text, never as markup.
    assert "Took it <b>late</b> & felt sick" in page.locator("#timeline ~ ol").inner_text()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Record a contact").click()
    assert_accessible(page)
    # The date starts as today; the kind must be chosen.
    assert page.input_value("[name=happened_on-day]") == str(uk_today().day)
    _submit(page, "Record contact")
    assert "Select what kind of contact it was" in page.locator(
        ".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.check("input[name=kind][value=phone_call]")
    page.fill("[name=note]", "Talked through the sickness; will keep taking it")
    _submit(page, "Record contact")
    assert page.locator("h1").inner_text() == "Dorothy Example"
    newest = page.locator(".bonecheck-timeline__entry").first.inner_text()
    assert "Phone call" in newest and "will keep taking it" in newest and "Nell Nurse" in newest

    # The call is the 12 to 16 week contact: that reason has gone, the reply is still to read.
    assert "12 to 16 week contact due" not in attention.inner_text()
    assert "Reply to read" in attention.inner_text()
    _submit(page, "Mark as handled")
    assert "Enter a note saying what you did" in page.locator(
        ".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.fill("[name=note]", "Read the reply and called back")
    _submit(page, "Mark as handled")
    assert "Marked as handled. The note is on the timeline below." in page.content()
    assert page.locator(".bonecheck-attention").count() == 0
    handled = page.locator(".bonecheck-timeline__entry--handled").first.inner_text()
    assert "Reply to read" in handled and "called back" in handled
    assert_accessible(page)

    # An older page of the timeline stands on its own, and passes axe too.
    page.goto(f"/patients/{patient_id}/timeline?until={uk_today() - timedelta(days=60)}")
    assert page.locator("h1").inner_text().startswith("Timeline to")
    assert page.locator(".bonecheck-timeline__entry--dose").count() > 0
    assert_accessible(page)
    page.goto(f"/patients/{patient_id}")

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "patient-page.png", full_page=True)
    _prints_legibly(page)


def _prints_legibly(page) -> None:
    """As printed: the figures table shows, no button or form, nothing runs off the page."""
    table = page.locator("details.bonecheck-open-in-print table")
    assert not table.is_visible(), "on screen the table is folded away under the chart"
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    assert table.is_visible(), "the figures table does not print"
    assert table.locator("tbody tr").count() == 12
    assert not page.get_by_role("button", name="Mark as handled").is_visible()
    assert page.evaluate(FITS_ACROSS) == []
    page.screenshot(path=SCREENSHOTS / "patient-page-print.png", full_page=True)
