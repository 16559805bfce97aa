"""TwilioGateway with the real `twilio` client against a local Twilio-speaking server."""

from datetime import timedelta

import pytest

from tests.sms.conftest import FROM_NUMBER, PUBLIC_BASE_URL
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from webapp.clock import utc_now
from webapp.sms.gateway import OutgoingText, SmsSendError
from webapp.sms.twilio import TwilioGateway

MOBILE = "+447700900123"
BODY = "Time for your weekly tablet. Reply STOP to stop these texts"


def _text(message_id=42, to=MOBILE, body=BODY, valid_for=None):
    return OutgoingText(message_id=message_id, to=to, body=body, valid_for=valid_for)


def test_a_sent_text_reaches_twilio_with_our_callback_and_comes_back_with_its_sid(
    twilio_gateway, fake_twilio
):
    result = twilio_gateway.send(_text(valid_for=timedelta(hours=2)))

    [message] = fake_twilio.messages
    assert result.provider_sid == message.sid
    assert result.provider_sid.startswith("SM") and len(result.provider_sid) == 34
    assert result.status == "sent"
    assert (message.to, message.from_, message.account_sid) == (MOBILE, FROM_NUMBER, ACCOUNT_SID)
    assert message.body.startswith("Time for your weekly tablet")
    assert message.status_callback == f"{PUBLIC_BASE_URL}/sms/status?message=42"
    assert message.validity_period == "7200"


def test_a_text_without_a_validity_period_sends_none(twilio_gateway, fake_twilio):
    twilio_gateway.send(_text())
    assert fake_twilio.requests[0]["form"].keys() == {"To", "Body", "From", "StatusCallback"}


def test_validity_period_is_kept_within_what_twilio_accepts(twilio_gateway, fake_twilio):
    twilio_gateway.send(_text(message_id=1, valid_for=timedelta(days=1)))
    twilio_gateway.send(_text(message_id=2, valid_for=timedelta(0)))
    assert [m.validity_period for m in fake_twilio.messages] == ["36000", "1"]


def test_a_messaging_service_sends_instead_of_a_from_number(fake_twilio):
    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, public_base_url=PUBLIC_BASE_URL + "/",
        messaging_service_sid="MG" + "1" * 32, api_base_url=fake_twilio.base_url,
    )
    gateway.send(_text(message_id=7))
    [message] = fake_twilio.messages
    assert (message.from_, message.messaging_service_sid) == (None, "MG" + "1" * 32)
    assert message.status_callback == f"{PUBLIC_BASE_URL}/sms/status?message=7"


def test_a_gateway_needs_someone_to_send_from():
    with pytest.raises(ValueError, match="from number or a messaging service"):
        TwilioGateway(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                      public_base_url=PUBLIC_BASE_URL)


def test_wrong_credentials_are_refused_by_the_server_and_worth_retrying_once_fixed(fake_twilio):
    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token="not-the-token", public_base_url=PUBLIC_BASE_URL,
        from_number=FROM_NUMBER, api_base_url=fake_twilio.base_url,
    )
    with pytest.raises(SmsSendError) as raised:
        gateway.send(_text())
    assert (raised.value.code, raised.value.retryable) == (20003, True)
    assert fake_twilio.messages == []


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, 20500), (503, 20500)])
def test_busy_or_broken_twilio_is_retryable_and_nothing_was_sent(
    twilio_gateway, fake_twilio, status, code
):
    fake_twilio.fail_next(1, status=status)
    with pytest.raises(SmsSendError) as raised:
        twilio_gateway.send(_text())
    assert (raised.value.code, raised.value.retryable, raised.value.maybe_sent) == (
        code, True, False
    )
    assert fake_twilio.messages == []


def test_the_client_does_not_retry_by_itself(twilio_gateway, fake_twilio):
    fake_twilio.fail_next(1, status=500)
    with pytest.raises(SmsSendError):
        twilio_gateway.send(_text())
    assert len(fake_twilio.requests) == 1
    twilio_gateway.send(_text())
    assert len(fake_twilio.requests) == 2
    assert len(fake_twilio.messages) == 1


@pytest.mark.parametrize("code", [21211, 21610, 21614, 21408, 21612])
def test_a_refused_number_is_permanent_and_keeps_twilios_code(twilio_gateway, fake_twilio, code):
    fake_twilio.refuse_next(1, code)
    with pytest.raises(SmsSendError) as raised:
        twilio_gateway.send(_text())
    assert (raised.value.code, raised.value.retryable, raised.value.maybe_sent) == (
        code, False, False
    )
    assert str(code) in str(raised.value)
    assert MOBILE not in str(raised.value)


def test_a_malformed_number_gets_twilios_own_21211(twilio_gateway):
    with pytest.raises(SmsSendError) as raised:
        twilio_gateway.send(_text(to="07700 900123"))
    assert (raised.value.code, raised.value.retryable) == (21211, False)


def test_a_number_refused_for_good_is_refused_every_time(twilio_gateway, fake_twilio):
    fake_twilio.refuse_number(MOBILE, 21610)
    for message_id in (1, 2):
        with pytest.raises(SmsSendError) as raised:
            twilio_gateway.send(_text(message_id=message_id))
        assert raised.value.code == 21610
    twilio_gateway.send(_text(to="+447700900456"))
    assert fake_twilio.count_by_recipient() == {"+447700900456": 1}


def test_a_timeout_is_retryable_and_says_the_text_may_have_gone(fake_twilio):
    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, public_base_url=PUBLIC_BASE_URL,
        from_number=FROM_NUMBER, api_base_url=fake_twilio.base_url, timeout=0.3,
    )
    since = utc_now() - timedelta(seconds=1)
    fake_twilio.stall_next(1, seconds=5)
    with pytest.raises(SmsSendError) as raised:
        gateway.send(_text())
    assert (raised.value.retryable, raised.value.maybe_sent) == (True, True)
    # It did go: reconciling finds it rather than sending it twice.
    [message] = fake_twilio.messages
    fake_twilio.status_callback(message.sid, "sent")
    found = gateway.find_sent(MOBILE, since, message.body)
    assert found is not None and found.provider_sid == message.sid


def test_nothing_listening_is_retryable_and_nothing_was_sent():
    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, public_base_url=PUBLIC_BASE_URL,
        from_number=FROM_NUMBER, api_base_url="http://127.0.0.1:9", timeout=1,
    )
    with pytest.raises(SmsSendError) as raised:
        gateway.send(_text())
    assert (raised.value.retryable, raised.value.maybe_sent, raised.value.code) == (
        True, False, None
    )


def test_find_sent_matches_number_body_and_time(twilio_gateway, fake_twilio):
    since = utc_now() - timedelta(seconds=1)
    sent = twilio_gateway.send(_text(message_id=1))
    twilio_gateway.send(_text(message_id=2, body="Another text"))
    twilio_gateway.send(_text(message_id=3, to="+447700900456"))

    found = twilio_gateway.find_sent(MOBILE, since, _text().body)
    assert found is not None and found.provider_sid == sent.provider_sid
    assert twilio_gateway.find_sent(MOBILE, since, "Never sent") is None
    assert twilio_gateway.find_sent("+447700900999", since, _text().body) is None
    assert twilio_gateway.find_sent(MOBILE, since + timedelta(hours=1), _text().body) is None


def test_find_sent_asks_twilio_by_number_and_day(twilio_gateway, fake_twilio):
    since = utc_now()
    twilio_gateway.find_sent(MOBILE, since, "Any")
    [request] = fake_twilio.requests
    assert request["method"] == "GET"
    assert request["query"]["To"] == MOBILE
    assert request["query"]["DateSent>"] == since.strftime("%Y-%m-%d")


def test_find_sent_follows_twilios_pages(twilio_gateway, fake_twilio):
    since = utc_now() - timedelta(seconds=1)
    first = twilio_gateway.send(_text(message_id=1))
    for message_id in range(2, 60):
        twilio_gateway.send(_text(message_id=message_id, body=f"Text {message_id}"))
    found = twilio_gateway.find_sent(MOBILE, since, _text().body)
    assert found is not None and found.provider_sid == first.provider_sid
    pages = [r for r in fake_twilio.requests if r["method"] == "GET"]
    assert len(pages) == 2 and pages[1]["query"]["PageToken"] == "PA50"


def test_find_sent_when_twilio_cannot_answer_raises(twilio_gateway, fake_twilio):
    url = fake_twilio.base_url
    fake_twilio.stop()
    try:
        with pytest.raises(SmsSendError) as raised:
            twilio_gateway.find_sent(MOBILE, utc_now(), "Any")
        assert raised.value.retryable is True
    finally:
        fake_twilio.start(int(url.rsplit(":", 1)[1]))


def test_query_string_with_the_number_is_not_logged_by_the_client(
    twilio_gateway, fake_twilio, logs
):
    twilio_gateway.find_sent(MOBILE, utc_now(), "Any")
    assert MOBILE not in logs.text
