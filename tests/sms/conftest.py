"""A Twilio-speaking server for the SMS tests, and a gateway pointed at it."""

import logging

import pytest

from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from webapp.sms.twilio import TwilioGateway

PUBLIC_BASE_URL = "https://bonecheck.example.nhs.uk"
FROM_NUMBER = "+447700900001"


@pytest.fixture(scope="session")
def _fake_twilio_server():
    fake = FakeTwilio()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_twilio(_fake_twilio_server):
    """The fake, with nothing received and no answers programmed."""
    _fake_twilio_server.reset()
    yield _fake_twilio_server
    _fake_twilio_server.reset()


@pytest.fixture
def twilio_gateway(fake_twilio):
    """The real gateway and the real client, talking to the fake."""
    return TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, public_base_url=PUBLIC_BASE_URL,
        from_number=FROM_NUMBER, api_base_url=fake_twilio.base_url, timeout=2.0,
    )


@pytest.fixture
def logs(caplog):
    """Every log record at any level, the app's included (its logger does not propagate)."""
    caplog.set_level(logging.DEBUG)
    app_logger = logging.getLogger("webapp")
    app_logger.addHandler(caplog.handler)
    level = app_logger.level
    app_logger.setLevel(logging.DEBUG)
    yield caplog
    app_logger.removeHandler(caplog.handler)
    app_logger.setLevel(level)
