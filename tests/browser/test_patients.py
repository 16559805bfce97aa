"""A nurse's patient pages in a real browser, with axe on every page and error state.

A nurse signs in (password and security code), enrols a patient, first with
mistakes the error summary names, sees the planned texts on the record, pauses
them and resumes them; a nurse of another service gets 404 for the record.
"""

from datetime import date, timedelta
from itertools import count
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests.accounts.factories import PASSWORD, code_for, create_fls_service, create_staff_member
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import press_button, type_into
from tests.patients.factories import create_patient
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.models.staff import Role

pytestmark = pytest.mark.browser

FIRST_DOSE = uk_today() - timedelta(days=2)
_numbers = count(1)


def _nurse(live_app, service_name: str):
    """A nurse with a security code in the named service (made if missing)."""
    with live_app.app_context():
        from sqlalchemy import select

        from webapp.models.staff import FlsService

        service = db.session.scalar(select(FlsService).where(FlsService.name == service_name))
        if service is None:
            service = create_fls_service(db.session, name=service_name)
            service.sms_name = "Test FLS"
            db.session.commit()
        staff = create_staff_member(
            db.session, Role.NURSE, email=f"patients-nurse-{next(_numbers)}@nhs.net",
            full_name="Nell Nurse", fls_service=service, with_security_code=True,
        )  # fmt: skip
        return SimpleNamespace(email=staff.email, totp_secret=staff.totp_secret,
                               service_id=service.id)  # fmt: skip


def _sign_in(page, staff) -> None:
    page.goto("/staff/sign-in")
    type_into(page, "email", staff.email)
    type_into(page, "password", PASSWORD)
    press_button(page, "main form button[type=submit]")
    assert urlsplit(page.url).path == "/staff/security-code", page.url
    type_into(page, "code", code_for(staff))
    press_button(page)


def _fill_date(page, name: str, day: date) -> None:
    page.fill(f"[name={name}-day]", str(day.day))
    page.fill(f"[name={name}-month]", str(day.month))
    page.fill(f"[name={name}-year]", str(day.year))


def _texts_table(page):
    """The record's table of planned and recent texts (the adherence figures are a table too)."""
    return page.get_by_role("table", name="Texts from a week ago on, in UK time")


def _submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_nurse_enrols_a_patient_sees_the_texts_pauses_and_resumes(page, live_app):
    _sign_in(page, _nurse(live_app, "Browser FLS"))
    with page.expect_navigation():
        page.get_by_role("link", name="Patients", exact=True).click()
    assert page.locator("h1").inner_text() == "Patients"
    with page.expect_navigation():
        page.get_by_role("button", name="Enrol a patient").click()
    assert_accessible(page)

    # Mistakes first: a mistyped NHS number, a landline, an afternoon alendronic acid time.
    page.fill("[name=nhs_number]", "943 476 5918")
    page.fill("[name=first_name]", "Rosalind")
    page.fill("[name=last_name]", "Example")
    _fill_date(page, "date_of_birth", date(1947, 8, 9))
    page.fill("[name=mobile]", "0113 496 0000")
    page.check("input[name=medicine][value=alendronic_acid_weekly]")
    page.check("input[name=sms_consent][value=yes]")
    page.fill("[name=reminder_time]", "15:00")
    _submit(page, "Enrol patient")
    assert page.title().startswith("Error: Enrol a patient")
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "This is not a valid NHS number" in summary
    assert "Texts to a landline may be read aloud" in summary
    assert "Enter the date of the first dose" in summary
    assert "choose a reminder time between 6am and 10am" in summary
    assert_accessible(page)
    # The summary's link takes focus to the field with the problem.
    page.locator(".nhsuk-error-summary a", has_text="mobile number").click()
    assert page.evaluate("document.activeElement.name") == "mobile"
    # What was typed is kept.
    assert page.input_value("[name=first_name]") == "Rosalind"

    page.fill("[name=nhs_number]", "943 476 5919")
    page.fill("[name=mobile]", "07700 900888")
    page.fill("[name=reminder_time]", "8am")
    _fill_date(page, "first_dose_date", FIRST_DOSE)
    _submit(page, "Enrol patient")
    assert page.locator("h1").inner_text() == "Rosalind Example"
    assert "The patient has been enrolled" in page.content()
    texts = _texts_table(page).inner_text()
    assert "Welcome text" in texts and "Dose reminder" in texts and "Planned" in texts
    assert "08:00" in texts
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Pause texts").click()
    assert_accessible(page)
    _fill_date(page, "paused_until", uk_today())
    _submit(page, "Pause texts")
    assert "The date to pause until must be in the future" in page.locator(
        ".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    _fill_date(page, "paused_until", uk_today() + timedelta(days=7))
    _submit(page, "Pause texts")
    assert "Texts to this patient are paused" in page.content()
    assert page.locator("strong.nhsuk-tag").first.inner_text() == "Paused"
    assert "Planned" not in _texts_table(page).inner_text()
    assert "Not sent: paused" in _texts_table(page).inner_text()
    assert_accessible(page)

    _submit(page, "Resume texts")
    assert "Texts to this patient have started again" in page.content()
    assert page.locator("strong.nhsuk-tag").first.inner_text() == "Active"
    assert "Planned" in _texts_table(page).inner_text()


@pytest.fixture(scope="module")
def patient_ids(live_app):
    """A patient on a clinic medicine in 'Scan FLS', for the scans and the 404 check."""
    with live_app.app_context():
        from sqlalchemy import select

        from tests.patients.factories import regimen_entry
        from webapp.models.staff import FlsService

        service = db.session.scalar(select(FlsService).where(FlsService.name == "Scan FLS"))
        if service is None:
            service = create_fls_service(db.session, name="Scan FLS")
        patient = create_patient(db.session, service, regimens=[regimen_entry(
            medicine="denosumab_6_monthly", first_dose_date=uk_today() - timedelta(days=150),
            last_given_date=uk_today() - timedelta(days=150))], reminder_time="10:00")
        return SimpleNamespace(patient=patient.id, regimen=patient.regimens[0].id)


def test_a_nurse_of_another_service_gets_not_found(page, live_app, patient_ids):
    _sign_in(page, _nurse(live_app, "Another Browser FLS"))
    for url in (f"/patients/{patient_ids.patient}", f"/patients/{patient_ids.patient}/edit",
                f"/patients/{patient_ids.patient}/pause"):  # fmt: skip
        response = page.goto(url)
        assert response.status == 404, url
        assert page.locator("h1").inner_text() == "Page not found"
    page.goto("/patients/")
    assert "Scan FLS" not in page.content()


def test_every_patient_page_is_accessible(page, live_app, patient_ids):
    _sign_in(page, _nurse(live_app, "Scan FLS"))
    base = f"/patients/{patient_ids.patient}"
    regimen = f"{base}/medicines/{patient_ids.regimen}"
    for url in ("/patients/", base, f"{base}/edit", f"{base}/opt-out", f"{base}/discharge",
                f"{base}/medicines/add", f"{regimen}/stop", f"{regimen}/switch",
                f"{regimen}/dose-given"):  # fmt: skip
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        assert_accessible(page)


def test_patient_error_states_are_accessible(page, live_app, patient_ids):
    _sign_in(page, _nurse(live_app, "Scan FLS"))
    base = f"/patients/{patient_ids.patient}"
    regimen = f"{base}/medicines/{patient_ids.regimen}"
    for url, button in ((f"{base}/discharge", "Discharge patient"),
                        (f"{base}/medicines/add", "Add medicine"),
                        (f"{regimen}/switch", "Switch medicine"),
                        (f"{regimen}/stop", "Stop medicine"),
                        (f"{regimen}/dose-given", "Record dose given")):  # fmt: skip
        page.goto(url)
        _submit(page, button)
        assert page.locator(".nhsuk-error-summary").is_visible(), url
        assert page.title().startswith("Error: "), url
        assert_accessible(page)
    page.goto(f"{base}/edit")
    page.fill("[name=mobile]", "not a number")
    _submit(page, "Save changes")
    assert "Enter a UK phone number" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.goto("/patients/")
    page.fill("[name=q]", "Example")
    _submit(page, "Search")
    assert page.locator("tbody tr").count() >= 1
    assert_accessible(page)
