"""The offline simulator: a nurse reads a patient's texts and types a reply as the patient,
which goes through the same service as Twilio's webhook; her own service's patients only."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import error_messages, get_page, parse_page, post_form, submit
from tests.sms.factories import create_patient, create_sent_message
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models import InboundMessage
from webapp.models.patients import PatientStatus
from webapp.models.staff import Role


@pytest.fixture
def service(app):
    return create_fls_service(db.session, name="Leeds Fracture Liaison Service")


@pytest.fixture
def nurse_client(app, service):
    nurse = create_staff_member(db.session, Role.NURSE, fls_service=service)
    client = app.test_client()
    sign_in(client, nurse)
    return client


def _url(patient) -> str:
    return f"/sms-outbox/patients/{patient.id}"


def _rows(page):
    return [[" ".join(cell.get_text().split()) for cell in row.select("td")][1:]
            for row in page.select("tbody tr")]  # fmt: skip


def test_a_reply_typed_as_the_patient_is_applied_and_answered(database, service, nurse_client):
    patient = create_patient(database, service, first_name="Margaret", last_name="Example")
    message = create_sent_message(database, patient, body="Your alendronic acid is due today.",
                                  sent_at=utc_now() - timedelta(hours=1))  # fmt: skip
    outbox = get_page(nurse_client, "/sms-outbox")
    assert outbox.find("a", string="Margaret Example")["href"] == _url(patient)

    response = submit(nurse_client, _url(patient), {"body": "Taken thanks"})
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(patient))
    page = get_page(nurse_client, _url(patient))
    assert page.h1.get_text(strip=True) == "Texts with Margaret Example"
    rows = _rows(page)
    assert rows[0] == ["BoneCheck", "Your alendronic acid is due today.", ""]
    assert rows[1] == ["Patient", "Taken thanks", "Taken"]
    assert rows[2][0] == "BoneCheck" and "recorded it as taken" in rows[2][1]
    assert "received as if the patient had sent it" in page.get_text()
    database.expire_all()
    assert message.reminders[0].outcome == "taken"
    stored = database.scalars(select(InboundMessage)).one()
    assert (stored.channel, stored.patient_id) == ("outbox", patient.id)


def test_a_side_effect_shows_as_urgent_and_stop_opts_out(database, service, nurse_client):
    patient = create_patient(database, service)
    submit(nurse_client, _url(patient), {"body": "my jaw hurts"})
    assert "Urgent" in get_page(nurse_client, _url(patient)).get_text()
    submit(nurse_client, _url(patient), {"body": "STOP"})
    database.expire_all()
    assert patient.status == PatientStatus.OPTED_OUT


def test_an_empty_reply_is_explained_and_nothing_is_recorded(database, service, nurse_client):
    patient = create_patient(database, service)
    page = post_form(nurse_client, _url(patient), {"body": ""})
    assert error_messages(page) == ["Enter the patient's reply"]
    assert database.scalars(select(InboundMessage)).all() == []


def test_another_services_patient_is_not_found(database, service, nurse_client):
    elsewhere = create_patient(database, create_fls_service(database, name="Elsewhere FLS"))
    get_page(nurse_client, _url(elsewhere), status=404)
    response = submit_without_page(nurse_client, _url(elsewhere))
    assert response.status_code in (400, 404)
    assert database.scalars(select(InboundMessage)).all() == []


def submit_without_page(client, url):
    """A POST with no CSRF token (the page cannot be fetched to read one)."""
    return client.post(url, data={"body": "taken"})


def test_the_simulator_is_there_only_while_texts_are_kept_offline(app, database, service,
                                                                  nurse_client):
    patient = create_patient(database, service)
    create_sent_message(database, patient)
    assert get_page(nurse_client, "/sms-outbox").find("a", href=_url(patient)) is not None
    app.config["SMS_BACKEND"] = "twilio"
    get_page(nurse_client, _url(patient), status=404)
    page = get_page(nurse_client, "/sms-outbox")
    assert page.find("a", href=_url(patient)) is None
    assert patient.full_name in page.get_text()


def test_a_post_without_the_csrf_token_is_refused(database, service, nurse_client):
    patient = create_patient(database, service)
    parse_page(submit_without_page(nurse_client, _url(patient)), status=400)
    assert database.scalars(select(InboundMessage)).all() == []
