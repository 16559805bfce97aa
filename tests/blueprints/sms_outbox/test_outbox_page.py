"""The SMS outbox page: a nurse sees her own service's texts, newest first, in UK time."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import get_page
from tests.sms.factories import create_patient, create_sent_message
from webapp.extensions import db
from webapp.models.reminders import ReminderStatus, SmsMessage
from webapp.models.staff import Role

SUMMER_MORNING = datetime(2026, 7, 1, 8, 0)  # 09:00 in the UK


@pytest.fixture
def service(app):
    return create_fls_service(db.session, name="Leeds Fracture Liaison Service")


@pytest.fixture
def nurse_client(app, service):
    nurse = create_staff_member(db.session, Role.NURSE, fls_service=service)
    client = app.test_client()
    sign_in(client, nurse)
    return client


def _rows(page):
    return [[" ".join(cell.get_text().split()) for cell in row.select("td")]
            for row in page.select("tbody tr")]


def test_a_nurse_sees_her_services_texts_newest_first_in_uk_time(
    database, service, nurse_client
):
    patient = create_patient(database, service, first_name="Margaret", last_name="Example",
                             mobile="+447700900123")
    create_sent_message(database, patient, body="First text", sent_at=SUMMER_MORNING)
    create_sent_message(database, patient, status=ReminderStatus.DELIVERED, body="Second text",
                        sent_at=SUMMER_MORNING + timedelta(days=7))
    other = create_patient(database, first_name="Someone", last_name="Elsewhere")
    create_sent_message(database, other, body="Another service's text")

    page = get_page(nurse_client, "/sms-outbox")

    assert page.h1.get_text(strip=True) == "SMS outbox"
    assert _rows(page) == [
        ["8 Jul 2026, 09:00", "Margaret Example 07700 900123", "Delivered", "1", "Second text"],
        ["1 Jul 2026, 09:00", "Margaret Example 07700 900123", "Sent", "1", "First text"],
    ]
    assert "Another service" not in page.get_text()
    assert "1 Jul 2026" in page.get_text() and "Leeds Fracture Liaison Service" in page.get_text()


def test_a_failed_text_shows_why(app, nurse_client, service):
    patient = create_patient(db.session, service)
    message = create_sent_message(db.session, patient, status=ReminderStatus.FAILED)
    message.error_code = 21614
    message.error_message = "Twilio says this is not a mobile number (21614)"
    db.session.commit()
    [row] = _rows(get_page(nurse_client, "/sms-outbox"))
    assert row[2] == "Failed Twilio says this is not a mobile number (21614)"


def test_a_text_still_being_sent_shows_when_it_was_claimed(app, nurse_client, service):
    patient = create_patient(db.session, service)
    create_sent_message(db.session, patient, status=ReminderStatus.SENDING,
                        sent_at=datetime(2026, 1, 5, 9, 0))
    [row] = _rows(get_page(nurse_client, "/sms-outbox"))
    assert row[0] == "5 Jan 2026, 08:59"
    assert row[2] == "Sending"


def test_the_text_is_shown_as_text_not_html(app, nurse_client, service):
    patient = create_patient(db.session, service)
    create_sent_message(db.session, patient, body="<script>alert(1)</script>\nSecond line")
    page = get_page(nurse_client, "/sms-outbox")
    cell = page.select("tbody td")[-1]
    assert cell.get_text("|") == "<script>alert(1)</script>|Second line"
    assert page.find("script", string="alert(1)") is None


def test_texts_come_fifty_to_a_page(app, nurse_client, service):
    patient = create_patient(db.session, service)
    _many_texts(patient, 51)
    first = get_page(nurse_client, "/sms-outbox")
    assert len(_rows(first)) == 50
    assert "51 texts" in first.select_one("caption").get_text()
    second = get_page(nurse_client, "/sms-outbox?page=2")
    assert [row[4] for row in _rows(second)] == ["Text 0"]
    assert len(_rows(get_page(nurse_client, "/sms-outbox?per_page=1000"))) == 50


def test_a_page_costs_the_same_queries_however_many_patients(app, nurse_client, service):
    for _ in range(2):
        _many_texts(create_patient(db.session, service), 1)
    few = _queries_for(nurse_client, "/sms-outbox")
    for _ in range(20):
        _many_texts(create_patient(db.session, service), 1)
    assert _queries_for(nurse_client, "/sms-outbox") == few


def _queries_for(client, url) -> int:
    statements = []

    def count(*args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        get_page(client, url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def _many_texts(patient, how_many):
    start = datetime(2026, 3, 2, 9, 0)
    for number in range(how_many):
        moment = start + timedelta(minutes=number)
        db.session.add(SmsMessage(
            patient=patient, to_number=patient.mobile, body=f"Text {number}", segments=1,
            status="sent", claimed_at=moment, sent_at=moment, status_changed_at=moment,
        ))
    db.session.commit()


def test_offline_the_page_says_texts_are_kept_not_sent(app, nurse_client):
    assert "Texts are not being sent" in get_page(nurse_client, "/sms-outbox").get_text()
    app.config["SMS_BACKEND"] = "twilio"
    page = get_page(nurse_client, "/sms-outbox")
    assert "Texts are not being sent" not in page.get_text()
    assert "No texts have been sent" in page.get_text()


def test_an_admin_gets_not_found(app):
    admin = create_staff_member(db.session, Role.ADMIN)
    client = app.test_client()
    sign_in(client, admin)
    assert client.get("/sms-outbox").status_code == 404


def test_anyone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get("/sms-outbox")
    assert response.status_code == 302
    assert response.location.startswith("/staff/sign-in")


def test_the_page_is_never_cached(nurse_client):
    assert nurse_client.get("/sms-outbox").headers["Cache-Control"] == "no-store"


def test_a_nurse_finds_the_page_from_her_account(nurse_client):
    page = get_page(nurse_client, "/staff/")
    assert page.find("a", href="/sms-outbox") is not None


def test_a_text_the_offline_outbox_kept_does_not_read_as_sent(database, service, nurse_client):
    patient = create_patient(database, service)
    create_sent_message(database, patient, body="Kept text", provider_sid="OUTBOX41",
                        sent_at=SUMMER_MORNING)  # fmt: skip

    page = get_page(nurse_client, "/sms-outbox")

    assert _rows(page)[0][2] == "Kept, not sent"
