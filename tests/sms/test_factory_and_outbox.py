"""Choosing a gateway from configuration, and the offline outbox."""

from datetime import timedelta

import pytest

from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from webapp.clock import utc_now
from webapp.sms.factory import gateway_from_config
from webapp.sms.gateway import OutgoingText
from webapp.sms.outbox import OutboxGateway
from webapp.sms.twilio import TwilioGateway

TEXT = OutgoingText(message_id=12, to="+447700900123", body="Your reminder")


def test_the_outbox_is_the_default(app):
    assert app.config["SMS_BACKEND"] == "outbox"
    assert isinstance(gateway_from_config(app.config), OutboxGateway)


def test_twilio_is_built_from_its_settings_and_sends_to_the_configured_server(fake_twilio):
    config = {
        "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": "+447700900001",
        "TWILIO_MESSAGING_SERVICE_SID": "", "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "PUBLIC_BASE_URL": "https://bonecheck.example", "SMS_HTTP_TIMEOUT": 3.0,
    }
    gateway = gateway_from_config(config)
    assert isinstance(gateway, TwilioGateway)
    result = gateway.send(TEXT)
    [message] = fake_twilio.messages
    assert message.sid == result.provider_sid
    assert message.status_callback == "https://bonecheck.example/sms/status?message=12"


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="SMS_BACKEND must be one of outbox, twilio"):
        gateway_from_config({"SMS_BACKEND": "carrier-pigeon"})


def test_the_outbox_sends_nothing_and_names_the_text_by_our_message_id():
    gateway = OutboxGateway()
    result = gateway.send(TEXT)
    assert (result.provider_sid, result.status) == ("OUTBOX12", "sent")


def test_the_outbox_finds_what_it_kept(logs):
    gateway = OutboxGateway()
    since = utc_now() - timedelta(seconds=1)
    gateway.send(TEXT)
    assert gateway.find_sent(TEXT.to, since, TEXT.body).provider_sid == "OUTBOX12"
    assert gateway.find_sent(TEXT.to, since, "Another body") is None
    assert gateway.find_sent("+447700900456", since, TEXT.body) is None
    assert gateway.find_sent(TEXT.to, utc_now() + timedelta(seconds=5), TEXT.body) is None
    assert TEXT.to not in logs.text and TEXT.body not in logs.text
    [line] = [r for r in logs.records if getattr(r, "event", None) == "sms.kept_in_outbox"]
    assert (line.masked_number, line.sms_message_id) == ("+44 7*** ***123", 12)


def test_a_new_outbox_has_kept_nothing():
    assert OutboxGateway().find_sent(TEXT.to, utc_now() - timedelta(days=1), TEXT.body) is None
