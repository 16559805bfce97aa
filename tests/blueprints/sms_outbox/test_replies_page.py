"""Replies to read: the nurse's own service's unread replies, urgent first; marking one read."""

from datetime import datetime

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import get_page
from tests.reminders.inbound_support import reply
from tests.sms.factories import create_patient
from webapp.extensions import db
from webapp.models import AuditEvent, InboundMessage
from webapp.models.staff import Role

NOW = datetime(2027, 1, 11, 9, 0)


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
    return [[" ".join(cell.get_text().split()) for cell in row.select("td")][1:4]
            for row in page.select("tbody tr")]  # fmt: skip


def test_unread_replies_urgent_first_and_marking_one_read(database, service, nurse_client):
    patient = create_patient(database, service, first_name="Margaret", last_name="Example")
    elsewhere = create_patient(database, first_name="Someone", last_name="Elsewhere")
    reply(database, patient, "what is this", NOW)
    reply(database, patient, "my jaw hurts", NOW.replace(minute=5))
    reply(database, patient, "help", NOW.replace(minute=6))  # answered: nothing to read
    reply(database, elsewhere, "my hip hurts", NOW)
    page = get_page(nurse_client, "/sms-outbox/replies")
    assert _rows(page) == [
        ["Margaret Example", "my jaw hurts", "Possible side effect Urgent"],
        ["Margaret Example", "what is this", "Not understood"],
    ]
    urgent = database.scalars(select(InboundMessage).where(InboundMessage.urgent,
                                                           InboundMessage.patient_id == patient.id)
                              ).one()  # fmt: skip
    token_page = get_page(nurse_client, "/sms-outbox/replies")
    token = token_page.find("input", attrs={"name": "csrf_token"})["value"]
    response = nurse_client.post(f"/sms-outbox/replies/{urgent.id}/read",
                                 data={"csrf_token": token})  # fmt: skip
    assert response.status_code == 302
    assert _rows(get_page(nurse_client, "/sms-outbox/replies")) == [
        ["Margaret Example", "what is this", "Not understood"]]
    database.expire_all()
    assert urgent.read_at is not None
    latest = select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)
    assert database.scalar(latest) == "reply.read"


def test_another_services_reply_cannot_be_marked_read(database, service, nurse_client):
    elsewhere = create_patient(database, first_name="Someone", last_name="Elsewhere")
    result = reply(database, elsewhere, "my hip hurts", NOW)
    page = get_page(nurse_client, "/sms-outbox/replies")
    assert "There are no replies to read." in page.get_text()
    token = page.find("input", attrs={"name": "csrf_token"})["value"]  # the sign-out form's
    response = nurse_client.post(f"/sms-outbox/replies/{result.message.id}/read",
                                 data={"csrf_token": token})  # fmt: skip
    assert response.status_code == 404
    database.expire_all()
    assert result.message.read_at is None
