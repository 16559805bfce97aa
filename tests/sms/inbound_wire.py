"""Inbound texts as Twilio posts them: every field of its Messaging webhook, signed."""

from itertools import count

from tests.sms.conftest import PUBLIC_BASE_URL
from tests.sms.twilio_wire import ACCOUNT_SID, AUTH_TOKEN, post_callback, sign

INBOUND_URL = PUBLIC_BASE_URL + "/sms/inbound"
OUR_NUMBER = "+447700900001"
_serial = count(1)


def inbound_params(from_number: str, body: str, sid: str | None = None) -> dict[str, str]:
    """The form fields Twilio sends for one inbound SMS."""
    sid = sid or f"SM{next(_serial):032x}"
    return {
        "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "",
        "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "",
        "Body": body, "FromCountry": "GB", "To": OUR_NUMBER, "ToZip": "", "NumSegments": "1",
        "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": from_number,
        "ApiVersion": "2010-04-01",
    }  # fmt: skip


def post_inbound(client, params: dict[str, str], token: str = AUTH_TOKEN,
                 url: str = INBOUND_URL):  # fmt: skip
    """POST the fields signed with `token` for `url` (our public address unless forged)."""
    headers = {"X-Twilio-Signature": sign(url, params, token)}
    return post_callback(INBOUND_URL, params, headers, client)


def send_text(client, from_number: str, body: str, sid: str | None = None):
    """A patient's text, signed as Twilio signs it."""
    return post_inbound(client, inbound_params(from_number, body, sid))
