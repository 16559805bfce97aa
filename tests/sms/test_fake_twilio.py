"""The Twilio-speaking test server: what other tests and other processes rely on."""

import subprocess
import sys
import textwrap
from urllib.parse import parse_qs, urlsplit

from twilio.request_validator import RequestValidator

from tests.sms.fake_twilio import AUTH_TOKEN, FakeTwilioRemote
from webapp.sms.gateway import OutgoingText

SEND_FROM_ANOTHER_PROCESS = textwrap.dedent("""
    import sys
    from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
    from webapp.sms.gateway import OutgoingText, SmsSendError
    from webapp.sms.twilio import TwilioGateway

    gateway = TwilioGateway(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                            public_base_url="https://example.test", from_number="+447700900001",
                            api_base_url=sys.argv[1])
    for message_id, to in enumerate(["+447700900111", "+447700900111", "+447700900222"]):
        try:
            gateway.send(OutgoingText(message_id=message_id, to=to, body="Hello"))
        except SmsSendError as error:
            print(error.code)
""")


def test_another_process_sends_and_the_test_counts_per_recipient(fake_twilio):
    remote = FakeTwilioRemote(fake_twilio.base_url)
    remote.program(count=1, status=400, code=21614)
    remote.program(refuse_number="+447700900222", code=21610)
    finished = subprocess.run(
        [sys.executable, "-c", SEND_FROM_ANOTHER_PROCESS, fake_twilio.base_url],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert finished.stdout.split() == ["21614", "21610"]
    assert remote.count_by_recipient() == {"+447700900111": 1}
    assert fake_twilio.count_by_recipient() == remote.count_by_recipient()
    assert [m["body"] for m in remote.messages(to="+447700900111")] == ["Hello"]
    assert remote.messages(to="+447700900222") == []


def test_status_callbacks_are_signed_as_twilio_signs_them(twilio_gateway, fake_twilio):
    sent = twilio_gateway.send(OutgoingText(message_id=5, to="+447700900123", body="Hi"))
    url, params, headers = fake_twilio.status_callback(sent.provider_sid, "undelivered", 30003)

    assert parse_qs(urlsplit(url).query) == {"message": ["5"]}
    assert params["MessageSid"] == sent.provider_sid
    assert (params["MessageStatus"], params["ErrorCode"]) == ("undelivered", "30003")
    validator = RequestValidator(AUTH_TOKEN)
    assert validator.validate(url, params, headers["X-Twilio-Signature"])
    assert not validator.validate(url, {**params, "MessageStatus": "delivered"},
                                  headers["X-Twilio-Signature"])
    assert fake_twilio.messages[0].status == "undelivered"


def test_a_sent_message_looks_like_twilios_json(twilio_gateway, fake_twilio):
    body = "A long text " * 20
    twilio_gateway.send(OutgoingText(message_id=5, to="+447700900123", body=body))
    [message] = FakeTwilioRemote(fake_twilio.base_url).messages()
    assert message["num_segments"] == 2
    assert message["status_callback"].endswith("/sms/status?message=5")
    assert message["sid"].startswith("SM")
