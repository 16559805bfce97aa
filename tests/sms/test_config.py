"""SMS settings: production with Twilio refuses to start without what it needs."""

import pytest

from config import DevelopmentConfig, ProductionConfig, TestConfig
from webapp import create_app

TWILIO_SETTINGS = {
    "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "token",
    "TWILIO_FROM_NUMBER": "+447700900001", "TWILIO_MESSAGING_SERVICE_SID": "",
    "PUBLIC_BASE_URL": "https://bonecheck.example.nhs.uk",
}


@pytest.fixture
def production_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")


def _production(**overrides):
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", **TWILIO_SETTINGS, **overrides}
    return type("Production", (ProductionConfig,), settings)


def test_every_environment_keeps_texts_offline_unless_told():
    for config in (DevelopmentConfig, TestConfig, ProductionConfig):
        assert config.SMS_BACKEND == "outbox"


def test_production_with_twilio_and_every_setting_starts(production_environment):
    app = create_app(_production())
    assert app.config["SMS_BACKEND"] == "twilio"


def test_a_messaging_service_will_do_instead_of_a_from_number(production_environment):
    create_app(_production(TWILIO_FROM_NUMBER="", TWILIO_MESSAGING_SERVICE_SID="MG" + "2" * 32))


@pytest.mark.parametrize("name", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL"])
def test_production_with_twilio_refuses_to_start_without_a_setting(production_environment, name):
    with pytest.raises(RuntimeError, match=f"SMS_BACKEND=twilio needs .*{name}"):
        create_app(_production(**{name: ""}))


def test_production_with_twilio_refuses_to_start_without_a_sender(production_environment):
    with pytest.raises(RuntimeError,
                       match="TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"):
        create_app(_production(TWILIO_FROM_NUMBER=""))


def test_production_names_every_missing_setting_at_once(production_environment):
    with pytest.raises(RuntimeError) as raised:
        create_app(_production(TWILIO_ACCOUNT_SID="", PUBLIC_BASE_URL=""))
    assert "TWILIO_ACCOUNT_SID, PUBLIC_BASE_URL" in str(raised.value)


@pytest.mark.parametrize("config", [DevelopmentConfig, TestConfig, ProductionConfig])
def test_an_unknown_sms_backend_refuses_to_start(production_environment, config):
    bad = type("Bad", (config,), {"SMS_BACKEND": "twillio"})
    with pytest.raises(RuntimeError, match="must be one of outbox, twilio, not 'twillio'"):
        create_app(bad)


def test_outside_production_twilio_settings_may_be_incomplete():
    """Development may try the Twilio backend against a local server without a public address."""
    create_app(type("Dev", (TestConfig,), {"SMS_BACKEND": "twilio"}))
