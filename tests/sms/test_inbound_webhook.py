"""`POST /sms/inbound`: Twilio's signed inbound-message webhook through the Flask test client,
on SQLite and PostgreSQL: signed, forged, unsigned, replayed, other URL, previous token,
junk fields, and random bodies (never a 500, always TwiML)."""

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.reminders.factories import create_patient
from tests.reminders.inbound_support import sent_text
from tests.sms.conftest import PUBLIC_BASE_URL
from tests.sms.inbound_wire import INBOUND_URL, inbound_params, post_inbound, send_text
from tests.sms.twilio_wire import AUTH_TOKEN, post_callback, sign
from webapp.clock import utc_now
from webapp.models import InboundMessage
from webapp.models.patients import PatientStatus


@pytest.fixture(autouse=True)
def _app_talks_to_twilio(app):
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE_URL)


def _answered(response) -> list[str]:
    """The texts a TwiML answer sends back (none for an empty <Response/>)."""
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == "Response"
    return [element.text for element in root.iter("Message")]


def _patient_with_a_dose(database):
    patient = create_patient(database)
    sent = utc_now() - timedelta(hours=1)
    _, [dose] = sent_text(database, patient, [(patient.regimens[0], "dose", date.today())], sent)
    database.commit()
    return patient, dose


def _count(database) -> int:
    return database.scalar(select(func.count()).select_from(InboundMessage))


def test_a_signed_reply_is_recorded_applied_and_answered_in_twiml(database, client):
    patient, dose = _patient_with_a_dose(database)
    response = send_text(client, patient.mobile, "Taken!")
    assert _answered(response) == ["Leeds FLS: Thank you, we have recorded it as taken."]
    assert "Set-Cookie" not in response.headers  # no session for Twilio
    database.expire_all()
    assert dose.outcome == "taken"
    stored = database.scalars(select(InboundMessage)).one()
    assert (stored.body, stored.answer, stored.channel) == ("Taken!", "Leeds FLS: Thank you, "
                                                            "we have recorded it as taken.",
                                                            "twilio")  # fmt: skip


def _forgeries(params):
    headers = {"X-Twilio-Signature": sign(INBOUND_URL, params, AUTH_TOKEN)}
    local = INBOUND_URL.replace(PUBLIC_BASE_URL, "http://localhost")
    return {
        "unsigned": (params, {}),
        "wrong token": (params, {"X-Twilio-Signature": sign(INBOUND_URL, params, "not-it")}),
        "changed body": ({**params, "Body": "STOP"}, headers),
        "other number": ({**params, "From": "+447700900777"}, headers),
        "other URL": (params, {"X-Twilio-Signature": sign(local, params, AUTH_TOKEN)}),
        "junk": (params, {"X-Twilio-Signature": "not a signature"}),
        "huge": (params, {"X-Twilio-Signature": "A" * 5000}),
    }


def test_unsigned_or_forged_messages_are_refused_and_change_nothing(database, client):
    patient, dose = _patient_with_a_dose(database)
    params = inbound_params(patient.mobile, "taken")
    for forgery, (form, headers) in _forgeries(params).items():
        response = post_callback(INBOUND_URL, form, headers, client)
        assert response.status_code == 403, forgery
    database.expire_all()
    assert (_count(database), dose.outcome, patient.status) == (0, None, PatientStatus.ACTIVE)
    assert _answered(post_inbound(client, params))  # the genuine one is accepted


def test_a_replayed_message_makes_one_record_and_the_same_answer(database, client):
    patient, dose = _patient_with_a_dose(database)
    params = inbound_params(patient.mobile, "no I forgot")
    first = _answered(post_inbound(client, params))
    again = _answered(post_inbound(client, params))
    assert first == again and "Never take 2 tablets on the same day." in first[0]
    assert _count(database) == 1


def test_the_previous_token_is_accepted_during_a_rotation(app, database, client):
    patient, dose = _patient_with_a_dose(database)
    app.config.update(TWILIO_AUTH_TOKEN="the-new-token", TWILIO_PREVIOUS_AUTH_TOKEN=AUTH_TOKEN)
    assert _answered(send_text(client, patient.mobile, "yes"))
    assert _answered(post_inbound(client, inbound_params(patient.mobile, "yes"),
                                  token="the-new-token"))  # fmt: skip
    database.expire_all()
    assert dose.outcome == "taken"


def test_stop_then_yes_get_empty_answers_as_twilio_answers_them_itself(database, client):
    patient, _ = _patient_with_a_dose(database)
    assert _answered(send_text(client, patient.mobile, "STOP")) == []
    database.expire_all()
    assert patient.status == PatientStatus.OPTED_OUT
    assert _answered(send_text(client, patient.mobile, "YES")) == []
    database.expire_all()
    assert patient.status == PatientStatus.ACTIVE


def test_an_unknown_number_gets_the_generic_answer_and_is_kept_masked(database, client):
    answer = _answered(send_text(client, "+447700900888", "is my jaw pain from the tablets"))
    assert answer == ["This number cannot help with your message. "
                      "If you need medical help, call 111, or 999 in an emergency."]
    stored = database.scalars(select(InboundMessage)).one()
    assert (stored.from_number, stored.body) == ("+44 7*** ***888", None)


@pytest.mark.parametrize("change", [
    {"MessageSid": "", "SmsSid": ""}, {"From": ""},
    {"MessageSid": "SM'; DROP TABLE x", "SmsSid": ""}, {"From": "+44\x007700\x00900123"},
    {"Body": "x" * 20000}, {"Body": "\x00 ü 👍 \u200b"}, {"From": "not a number at all" * 10},
])  # fmt: skip
def test_junk_or_missing_fields_never_cause_an_error(database, client, change):
    params = {key: value for key, value in {**inbound_params("+447700900123", "hi"),
                                            **change}.items()}  # fmt: skip
    _answered(post_inbound(client, params))
    stored = database.scalars(select(InboundMessage)).all()
    assert all(len(message.body or "") <= 1600 for message in stored)


def test_one_log_line_names_the_number_masked_and_never_the_text(database, client, logs):
    patient, _ = _patient_with_a_dose(database)
    send_text(client, patient.mobile, "my secret words")
    [line] = [r for r in logs.records if getattr(r, "event", None) == "sms.inbound"]
    assert (line.outcome, line.masked_number) == ("unclear", "+44 7*** ***" + patient.mobile[-3:])
    everything = logs.text + " ".join(str(vars(r)) for r in logs.records)
    assert patient.mobile not in everything and "secret" not in everything


@pytest.fixture
def texting_patient(app):
    """A patient with a dose awaiting an answer, on SQLite only (Hypothesis runs many examples)."""
    from webapp.extensions import db

    patient, _ = _patient_with_a_dose(db.session)
    return patient.mobile


@settings(max_examples=25, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(body=st.text(max_size=300), known=st.booleans())
def test_random_bodies_always_get_twiml_and_never_an_error(client, texting_patient, body, known):
    _answered(send_text(client, texting_patient if known else "+447700900456", body))
