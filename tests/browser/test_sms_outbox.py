"""The SMS outbox page in a real browser: a nurse signs in, finds it, and axe finds no problem."""

from datetime import timedelta
from itertools import count
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests.accounts.factories import PASSWORD, code_for, create_fls_service, create_staff_member
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import press_button, type_into
from tests.sms.factories import create_patient, create_sent_message
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.reminders import ReminderStatus
from webapp.models.staff import Role

pytestmark = pytest.mark.browser
_numbers = count(1)


def _nurse_with_texts(live_app):
    with live_app.app_context():
        service = create_fls_service(db.session, name=f"Outbox service {next(_numbers)}")
        nurse = create_staff_member(
            db.session, Role.NURSE, email=f"outbox-nurse-{next(_numbers)}@nhs.net",
            fls_service=service, with_security_code=True,
        )  # fmt: skip
        patient = create_patient(db.session, service, first_name="Margaret", last_name="Example")
        create_sent_message(db.session, patient, status=ReminderStatus.DELIVERED,
                            sent_at=utc_now() - timedelta(days=1))
        failed = create_sent_message(db.session, patient, status=ReminderStatus.FAILED,
                                     body="Time for your weekly tablet.\nReply STOP to stop")
        failed.error_message = "Twilio says this is not a mobile number (21614)"
        db.session.commit()
        return SimpleNamespace(email=nurse.email, totp_secret=nurse.totp_secret)


def test_a_nurse_reads_the_outbox_and_it_is_accessible(page, live_app):
    nurse = _nurse_with_texts(live_app)
    page.goto("/staff/sign-in")
    type_into(page, "email", nurse.email)
    type_into(page, "password", PASSWORD)
    press_button(page, "main form button[type=submit]")
    assert urlsplit(page.url).path == "/staff/security-code", page.url
    type_into(page, "code", code_for(nurse))
    press_button(page)

    page.goto("/staff/")
    with page.expect_navigation():
        page.get_by_role("link", name="See the texts sent to your patients (SMS outbox)").click()
    assert urlsplit(page.url).path == "/sms-outbox"
    assert page.get_by_role("heading", level=1).inner_text() == "SMS outbox"
    assert page.locator("tbody tr").count() == 2
    assert "not a mobile number" in page.locator("tbody tr").first.inner_text()
    assert_accessible(page)
