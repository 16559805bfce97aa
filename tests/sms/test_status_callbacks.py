"""`POST /sms/status`: Twilio's signed delivery reports, on SQLite and PostgreSQL.

Texts go through the real TwilioGateway to the local Twilio-speaking server;
its signed callbacks are posted to the app as Twilio would post them.
"""


from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.sms.conftest import PUBLIC_BASE_URL
from tests.sms.factories import create_patient, create_sent_message
from tests.sms.fake_twilio import AUTH_TOKEN, post_callback, sign
from webapp.clock import utc_now
from webapp.models.patients import PatientStatus
from webapp.models.reminders import Reminder, ReminderStatus
from webapp.models.staff import AuditEvent
from webapp.sms.gateway import OutgoingText


@pytest.fixture(autouse=True)
def _app_talks_to_twilio(app):
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE_URL)


def _sent(database, gateway, **message_values):
    """A text sent through Twilio and recorded as dispatch records it."""
    message = create_sent_message(database, create_patient(database),
                                  status=ReminderStatus.SENDING, **message_values)
    result = gateway.send(OutgoingText(message.id, message.to_number, message.body))
    message.provider_sid = result.provider_sid
    message.status = result.status
    for reminder in message.reminders:
        reminder.status = result.status
    database.commit()
    return message


def _statuses(database, message):
    database.expire_all()
    return message.status, [reminder.status for reminder in message.reminders]


@pytest.mark.parametrize(("twilio_status", "ours"), [
    ("queued", "sent"), ("sending", "sent"), ("sent", "sent"), ("delivered", "delivered"),
    ("undelivered", "undelivered"), ("failed", "failed"),
])
def test_each_status_moves_the_text_and_its_reminders(
    database, client, fake_twilio, twilio_gateway, twilio_status, ours
):
    message = _sent(database, twilio_gateway, reminders=2)
    response = fake_twilio.send_status_callback(message.provider_sid, twilio_status, client=client)
    assert response.status_code == 204
    assert _statuses(database, message) == (ours, [ours, ours])


def test_delivery_is_recorded_with_the_time_it_was_heard(database, client, fake_twilio,
                                                          twilio_gateway):
    message = _sent(database, twilio_gateway)
    before = utc_now()
    response = fake_twilio.send_status_callback(message.provider_sid, "delivered", client=client)
    assert "Set-Cookie" not in response.headers  # no session for Twilio
    database.expire_all()
    assert message.status_changed_at >= before.replace(microsecond=0)
    assert message.reminders[0].status_changed_at == message.status_changed_at


def test_an_unsigned_callback_is_refused_and_changes_nothing(database, client, fake_twilio,
                                                             twilio_gateway):
    message = _sent(database, twilio_gateway)
    url, params, _ = fake_twilio.status_callback(message.provider_sid, "delivered")
    response = post_callback(url, params, {}, client)
    assert response.status_code == 403
    assert _statuses(database, message) == ("sent", ["sent"])


def _forgeries(url, params, headers):
    """The same report, forged four ways."""
    # Signed for the address the request seems to come to, not our public one.
    local = url.replace(PUBLIC_BASE_URL, "http://localhost")
    return {
        "wrong token": (params, {"X-Twilio-Signature": sign(url, params, "not-the-token")}),
        "changed field": ({**params, "MessageStatus": "delivered"}, headers),
        "other host": (params, {"X-Twilio-Signature": sign(local, params, AUTH_TOKEN)}),
        "junk": (params, {"X-Twilio-Signature": "not a signature"}),
    }


def test_a_forged_callback_is_refused_and_changes_nothing(
    database, client, fake_twilio, twilio_gateway
):
    message = _sent(database, twilio_gateway)
    url, params, headers = fake_twilio.status_callback(message.provider_sid, "failed", 21610)
    for forgery, (form, forged_headers) in _forgeries(url, params, headers).items():
        assert post_callback(url, form, forged_headers, client).status_code == 403, forgery
    assert _statuses(database, message) == ("sent", ["sent"])
    assert message.patient.status == PatientStatus.ACTIVE
    assert post_callback(url, params, headers, client).status_code == 204


def test_the_previous_auth_token_still_works_during_a_rotation(
    app, database, client, fake_twilio, twilio_gateway
):
    message = _sent(database, twilio_gateway)
    app.config.update(TWILIO_AUTH_TOKEN="the-new-token", TWILIO_PREVIOUS_AUTH_TOKEN=AUTH_TOKEN)
    response = fake_twilio.send_status_callback(message.provider_sid, "delivered", client=client)
    assert response.status_code == 204
    assert _statuses(database, message)[0] == "delivered"


def test_a_final_status_never_moves_back(database, client, fake_twilio, twilio_gateway):
    message = _sent(database, twilio_gateway)
    fake_twilio.send_status_callback(message.provider_sid, "delivered", client=client)
    changed_at = _changed_at(database, message)
    for later in ("sent", "queued", "failed", "undelivered"):
        response = fake_twilio.send_status_callback(message.provider_sid, later, 30003,
                                                    client=client)
        assert response.status_code == 204
        assert _statuses(database, message) == ("delivered", ["delivered"]), later
    assert (_changed_at(database, message), message.error_code) == (changed_at, None)


def test_a_later_status_never_moves_a_text_back_to_sent(database, client, fake_twilio,
                                                        twilio_gateway):
    message = _sent(database, twilio_gateway)
    fake_twilio.send_status_callback(message.provider_sid, "sent", client=client)
    fake_twilio.send_status_callback(message.provider_sid, "queued", client=client)
    assert _statuses(database, message) == ("sent", ["sent"])


def _changed_at(database, message):
    database.expire_all()
    return message.status_changed_at


def test_a_repeated_callback_changes_nothing(database, client, fake_twilio, twilio_gateway):
    message = _sent(database, twilio_gateway)
    fake_twilio.send_status_callback(message.provider_sid, "undelivered", 30003, client=client)
    changed_at = _changed_at(database, message)
    response = fake_twilio.send_status_callback(message.provider_sid, "undelivered", 30003,
                                                client=client)
    assert response.status_code == 204
    assert _changed_at(database, message) == changed_at
    assert (message.status, message.error_code) == ("undelivered", 30003)


def test_a_callback_for_a_message_we_never_sent_changes_nothing(
    database, client, fake_twilio, twilio_gateway
):
    message = _sent(database, twilio_gateway)
    url = f"{PUBLIC_BASE_URL}/sms/status?message=999999"
    params = {"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"}
    response = post_callback(url, params, {"X-Twilio-Signature": sign(url, params, AUTH_TOKEN)},
                             client)
    assert response.status_code == 204
    assert _statuses(database, message) == ("sent", ["sent"])


SIGNED_JUNK = [
    {"MessageStatus": "exploded"},
    {"MessageSid": "SM-not-a-sid"},
    {"MessageSid": "SM" + "a" * 100_000},
    {"ErrorCode": "lots"},
    {"ErrorCode": "9" * 50_000},
    {"To": "+44" + "7" * 5_000},
    {"MessageStatus": "delivered\x00"},
    {"MessageStatus": "", "SmsStatus": ""},
]
JUNK_QUERIES = ["message=abc", "message=-1", "message=0", "message=" + "9" * 40]


def test_signed_junk_changes_nothing_and_is_not_an_error(
    database, client, fake_twilio, twilio_gateway
):
    message = _sent(database, twilio_gateway)
    url, params, _ = fake_twilio.status_callback(message.provider_sid, "delivered")
    for junk in SIGNED_JUNK:
        form = {**params, **junk}
        headers = {"X-Twilio-Signature": sign(url, form, AUTH_TOKEN)}
        assert post_callback(url, form, headers, client).status_code == 204
        assert _statuses(database, message) == ("sent", ["sent"]), junk


def test_a_junk_message_id_changes_nothing(database, client, fake_twilio, twilio_gateway):
    message = _sent(database, twilio_gateway)
    params = {"MessageSid": message.provider_sid, "MessageStatus": "failed", "ErrorCode": "21211"}
    for query in JUNK_QUERIES:
        url = f"{PUBLIC_BASE_URL}/sms/status?{query}"
        headers = {"X-Twilio-Signature": sign(url, params, AUTH_TOKEN)}
        assert post_callback(url, params, headers, client).status_code == 204
        assert _statuses(database, message) == ("sent", ["sent"]), query


def test_a_body_past_the_upload_limit_is_refused_not_an_error(database, client):
    response = client.post("/sms/status", data={"Body": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_a_callback_naming_one_message_with_anothers_sid_changes_nothing(
    database, client, fake_twilio, twilio_gateway
):
    first = _sent(database, twilio_gateway)
    second = _sent(database, twilio_gateway)
    url = f"{PUBLIC_BASE_URL}/sms/status?message={first.id}"
    params = {"MessageSid": second.provider_sid, "MessageStatus": "delivered"}
    post_callback(url, params, {"X-Twilio-Signature": sign(url, params, AUTH_TOKEN)}, client)
    assert _statuses(database, first) == ("sent", ["sent"])
    assert _statuses(database, second) == ("sent", ["sent"])


def test_a_receipt_finds_a_text_whose_sid_was_never_recorded(
    database, client, fake_twilio, twilio_gateway
):
    """The dispatcher died after Twilio accepted the text: our id in the URL still matches it."""
    message = create_sent_message(database, create_patient(database),
                                  status=ReminderStatus.SENDING)
    twilio_gateway.send(OutgoingText(message.id, message.to_number, message.body))
    [sent] = fake_twilio.messages
    fake_twilio.send_status_callback(sent.sid, "delivered", client=client)
    assert _statuses(database, message) == ("delivered", ["delivered"])
    assert message.provider_sid == sent.sid
    assert message.sent_at is not None


@pytest.mark.parametrize("status", ["failed", "undelivered"])
def test_unsubscribed_opts_the_patient_out_by_sms(database, client, fake_twilio, twilio_gateway,
                                                  status):
    message = _sent(database, twilio_gateway)
    planned = _plan_reminder(database, message.patient)
    fake_twilio.send_status_callback(message.provider_sid, status, 21610, client=client)
    database.expire_all()
    patient = message.patient
    assert (planned.status, planned.skip_reason) == ("skipped", "opted out by SMS")
    [audited] = database.scalars(select(AuditEvent).where(
        AuditEvent.action == "patient.texts_stopped")).all()
    assert (audited.entity_type, audited.entity_id) == ("patient", str(patient.id))
    assert patient.mobile not in str(vars(audited))
    assert (message.status, message.error_code) == (status, 21610)
    assert "STOP" in message.error_message
    assert (patient.status, patient.opted_out_by) == (PatientStatus.OPTED_OUT, "sms")
    assert patient.opted_out_at is not None
    assert patient.sms_blocked_code == 21610
    assert not patient.may_be_texted


def _plan_reminder(database, patient):
    reminder = Reminder(patient=patient, regimen=patient.regimens[0], kind="dose",
                        due_on=date(2027, 1, 4), send_at=datetime(2027, 1, 4, 9, 0),
                        status="planned", status_changed_at=utc_now(), created_at=utc_now())
    database.add(reminder)
    database.commit()
    return reminder


def test_a_refused_number_stops_texts_to_it(database, client, fake_twilio, twilio_gateway):
    for code in (21211, 21614, 21612, 21408, 30004, 30005, 30006):
        message = _sent(database, twilio_gateway)
        fake_twilio.send_status_callback(message.provider_sid, "failed", code, client=client)
        database.expire_all()
        patient = message.patient
        assert patient.sms_blocked_code == code
        assert str(code) in patient.sms_blocked_reason
        assert patient.status == PatientStatus.ACTIVE
        assert not patient.may_be_texted


def test_a_passing_failure_does_not_stop_texts(database, client, fake_twilio, twilio_gateway):
    message = _sent(database, twilio_gateway)
    fake_twilio.send_status_callback(message.provider_sid, "undelivered", 30003, client=client)
    database.expire_all()
    assert message.error_message == "Twilio error 30003"
    assert message.patient.sms_blocked_code is None
    assert message.patient.may_be_texted


def test_a_refusal_of_an_old_number_leaves_the_new_one_alone(
    database, client, fake_twilio, twilio_gateway
):
    message = _sent(database, twilio_gateway)
    message.patient.mobile = "+447700900999"
    database.commit()
    fake_twilio.send_status_callback(message.provider_sid, "failed", 21211, client=client)
    database.expire_all()
    assert message.status == "failed"
    assert message.patient.sms_blocked_code is None


def test_a_callback_logs_one_line_without_the_number_or_text(
    database, client, fake_twilio, twilio_gateway, logs
):
    message = _sent(database, twilio_gateway)
    fake_twilio.send_status_callback(message.provider_sid, "delivered", client=client)
    [line] = [r for r in logs.records if getattr(r, "event", None) == "sms.status_callback"]
    assert (line.outcome, line.sms_message_id, line.status) == ("applied", message.id,
                                                                "delivered")
    assert line.masked_number == "+44 7*** ***" + message.to_number[-3:]
    everything = logs.text + " ".join(str(vars(r)) for r in logs.records)
    assert message.to_number not in everything
    assert message.body not in everything
