"""Dispatch through the real `twilio` client against a local server that speaks Twilio's API.

Real time (the server stamps messages with the clock), and a service that may
text all day, so these pass at any hour.
"""

from datetime import time, timedelta

import pytest
from sqlalchemy.orm import sessionmaker

from tests.accounts.factories import create_fls_service
from tests.reminders.dispatch_support import add_reminder, create_patient, messages, statuses
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.reminders.dispatch import DispatchSettings, send_due_reminders
from webapp.sms.twilio import TwilioGateway

ALL_DAY = {"sms_sending_starts": time(0, 0), "sms_sending_ends": time.max}


@pytest.fixture(scope="module")
def fake_server():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    yield fake_server
    fake_server.reset()


@pytest.fixture
def gateway(fake):
    return TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, from_number="+447700900001",
        public_base_url="https://bonecheck.example.nhs.uk", api_base_url=fake.base_url,
        timeout=0.5,
    )  # fmt: skip


@pytest.fixture
def all_day_service(database):
    service = create_fls_service(database, name="All Day FLS")
    for name, value in ALL_DAY.items():
        setattr(service, name, value)
    database.commit()
    return service


def _due_patients(database, service, count):
    now = utc_now()
    patients = [create_patient(database, service) for _ in range(count)]
    for patient in patients:
        add_reminder(database, patient, send_at=now - timedelta(minutes=1))
    return patients


def _dispatch(gateway, later=timedelta(0)):
    return send_due_reminders(sessionmaker(db.engine), gateway, utc_now() + later,
                              DispatchSettings(max_per_second=0))  # fmt: skip


def test_each_due_text_reaches_the_provider_once_with_our_id_in_its_callback(
    database, all_day_service, fake, gateway
):
    patients = _due_patients(database, all_day_service, 3)

    summary = _dispatch(gateway)

    assert summary.sent == 3
    assert fake.count_by_recipient() == {patient.mobile: 1 for patient in patients}
    by_sid = {message.sid: message for message in fake.messages}
    for message in messages(database):
        received = by_sid[message.provider_sid]
        assert (received.to, received.body, message.status) == (message.to_number, message.body,
                                                                "sent")  # fmt: skip
        assert received.status_callback.endswith(f"/sms/status?message={message.id}")
        assert 0 < int(received.validity_period) <= 3 * 3600
    assert _dispatch(gateway).sent == 0 and len(fake.messages) == 3


@pytest.mark.parametrize("status", [429, 500])
def test_a_busy_or_failing_provider_is_retried_later_and_nothing_is_lost(
    database, all_day_service, fake, gateway, status
):
    (patient,) = _due_patients(database, all_day_service, 1)
    fake.fail_next(1, status=status)

    assert _dispatch(gateway).retrying == 1
    (message,) = messages(database)
    assert (message.status, message.attempts) == ("retry", 1)
    assert fake.messages == []

    assert _dispatch(gateway).sent == 0  # not before its time
    assert _dispatch(gateway, later=timedelta(minutes=2)).sent == 1

    (message,) = messages(database)
    assert (message.status, message.attempts) == ("sent", 2)
    assert fake.count_by_recipient() == {patient.mobile: 1}


@pytest.mark.parametrize(
    ("code", "patient_status"), [(21211, "active"), (21614, "active"), (21610, "opted_out")]
)
def test_a_refused_number_fails_and_stops_its_texts(
    database, all_day_service, fake, gateway, code, patient_status
):
    (patient,) = _due_patients(database, all_day_service, 1)
    fake.refuse_number(patient.mobile, code)

    assert _dispatch(gateway).failed == 1

    (message,) = messages(database)
    assert (message.status, message.error_code) == ("failed", code)
    database.expire_all()
    patient = database.get(Patient, patient.id)
    assert (patient.sms_blocked_code, patient.status) == (code, patient_status)
    assert statuses(database) == {"failed": 1}


def test_a_lost_answer_is_reconciled_from_the_providers_list_never_resent(
    database, all_day_service, fake, gateway
):
    (patient,) = _due_patients(database, all_day_service, 1)
    fake.stall_next(1, seconds=2)  # accepted, but the answer comes after the client gave up

    assert _dispatch(gateway).unanswered == 1
    assert statuses(database) == {"sending": 1}

    summary = _dispatch(gateway, later=timedelta(minutes=11))

    assert summary.sent == 1
    (message,) = messages(database)
    (received,) = fake.messages
    assert (message.status, message.provider_sid) == ("sent", received.sid)
    assert fake.count_by_recipient() == {patient.mobile: 1}
