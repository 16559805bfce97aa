"""Twilio's signature, checked with its own RequestValidator against our public address."""

from tests.sms.fake_twilio import sign
from webapp.sms.signature import auth_tokens, is_signed_by_twilio, public_url

URL = "https://bonecheck.example.nhs.uk/sms/status?message=12"
FORM = {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered"}


def test_the_public_url_is_our_address_path_and_query_as_sent():
    assert public_url("https://bonecheck.example.nhs.uk/", "/sms/status", "message=12") == URL
    assert public_url("https://x.example", "/sms/status", "") == "https://x.example/sms/status"


def test_a_signature_made_with_the_auth_token_is_accepted():
    assert is_signed_by_twilio(URL, FORM, sign(URL, FORM, "token"), ["token"])


def test_a_signature_for_other_fields_another_url_or_token_is_refused():
    signature = sign(URL, FORM, "token")
    assert not is_signed_by_twilio(URL, {**FORM, "MessageStatus": "failed"}, signature, ["token"])
    assert not is_signed_by_twilio(URL.replace("12", "13"), FORM, signature, ["token"])
    assert not is_signed_by_twilio(URL, FORM, sign(URL, FORM, "other"), ["token"])


def test_no_signature_or_no_token_is_refused():
    assert not is_signed_by_twilio(URL, FORM, None, ["token"])
    assert not is_signed_by_twilio(URL, FORM, "", ["token"])
    assert not is_signed_by_twilio(URL, FORM, "x" * 10_000, ["token"])
    assert not is_signed_by_twilio(URL, FORM, sign(URL, FORM, "token"), [])


def test_the_previous_token_is_accepted_during_a_rotation():
    tokens = auth_tokens({"TWILIO_AUTH_TOKEN": "new", "TWILIO_PREVIOUS_AUTH_TOKEN": "old"})
    assert tokens == ["new", "old"]
    assert is_signed_by_twilio(URL, FORM, sign(URL, FORM, "old"), tokens)
    assert is_signed_by_twilio(URL, FORM, sign(URL, FORM, "new"), tokens)
    assert auth_tokens({"TWILIO_AUTH_TOKEN": "new", "TWILIO_PREVIOUS_AUTH_TOKEN": ""}) == ["new"]
