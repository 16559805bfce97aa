"""Replies in a real browser: a nurse types a reply as the patient in the offline outbox, then
reads it among the replies to read; axe finds no problem on either page."""

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests.accounts.factories import PASSWORD, code_for, create_fls_service, create_staff_member
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import press_button, type_into
from tests.sms.factories import create_patient, create_sent_message
from webapp.extensions import db
from webapp.models.staff import Role

pytestmark = pytest.mark.browser


def _nurse_and_patient(live_app):
    with live_app.app_context():
        service = create_fls_service(db.session, name="Replies service")
        nurse = create_staff_member(
            db.session, Role.NURSE, email="replies-nurse@nhs.net", fls_service=service,
            with_security_code=True,
        )  # fmt: skip
        patient = create_patient(db.session, service, first_name="Edith", last_name="Example")
        create_sent_message(db.session, patient)
        db.session.commit()
        return SimpleNamespace(email=nurse.email, totp_secret=nurse.totp_secret)


def test_a_nurse_replies_as_the_patient_and_reads_the_urgent_reply(page, live_app):
    nurse = _nurse_and_patient(live_app)
    page.goto("/staff/sign-in")
    type_into(page, "email", nurse.email)
    type_into(page, "password", PASSWORD)
    press_button(page, "main form button[type=submit]")
    type_into(page, "code", code_for(nurse))
    press_button(page)

    page.goto("/sms-outbox")
    with page.expect_navigation():
        page.get_by_role("link", name="Edith Example").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Texts with Edith Example"
    assert_accessible(page)
    type_into(page, "body", "my jaw hurts")
    press_button(page, "main form button[type=submit]")
    assert "Possible side effect" in page.locator("tbody").inner_text()
    assert "111" in page.locator("tbody").inner_text()

    page.goto("/staff/")
    with page.expect_navigation():
        page.get_by_role("link", name="Read your patients' replies").click()
    assert urlsplit(page.url).path == "/sms-outbox/replies"
    assert "Urgent" in page.locator("tbody tr").first.inner_text()
    assert_accessible(page)
