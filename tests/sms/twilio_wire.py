"""What Twilio's Messages API looks like on the wire, for the fake server and its callers.

Message resources as Twilio's JSON, its error bodies, signed status callbacks
(RequestValidator's own algorithm), the small parsers the fake needs, and
`FakeTwilioRemote`, which another process uses to read and program a fake.
"""

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"
API_VERSION = "2010-04-01"

# What Twilio says for the refusals tests need (https://www.twilio.com/docs/api/errors).
ERROR_MESSAGES = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    21211: "Invalid 'To' Phone Number",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the "
           "'To' number",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21612: "The 'To' phone number is not currently reachable via SMS",
    21614: "'To' number is not a valid mobile number",
}
STATUS_FOR_CODE = {20003: 401, 20429: 429, 20500: 500}
_GSM_7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f"
)


@dataclass
class FakeMessage:
    """One message the fake accepted, in Twilio's own field names."""

    sid: str
    account_sid: str
    to: str
    body: str
    from_: str | None
    messaging_service_sid: str | None
    status_callback: str | None
    validity_period: str | None
    date_created: datetime
    status: str = "queued"
    num_segments: int = 1

    def as_twilio_json(self) -> dict:
        """The JSON Twilio returns for a message resource."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}.json"
        created = format_datetime(self.date_created.replace(tzinfo=UTC), usegmt=False)
        return {
            "account_sid": self.account_sid, "api_version": API_VERSION, "body": self.body,
            "date_created": created, "date_updated": created,
            "date_sent": None if self.status in ("queued", "accepted") else created,
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": self.from_, "messaging_service_sid": self.messaging_service_sid,
            "num_media": "0", "num_segments": str(self.num_segments), "price": None,
            "price_unit": "USD", "sid": self.sid, "status": self.status,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": self.to, "uri": uri,
        }

    def record(self) -> dict:
        """A plain, JSON-friendly record for tests (`from_` as `from`)."""
        values = asdict(self)
        values["from"] = values.pop("from_")
        values["date_created"] = self.date_created.isoformat()
        return values


def sign(url: str, params: dict[str, str], auth_token: str) -> str:
    """X-Twilio-Signature for a POST of `params` to `url`, by RequestValidator's own algorithm."""
    return RequestValidator(auth_token).compute_signature(url, params)


def post_callback(url: str, params: dict[str, str], headers: dict[str, str], client=None):
    """POST a callback to `url`: through a Flask test `client` (path and query) or over HTTP."""
    if client is not None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return client.post(path, data=params, headers=headers)
    request = Request(url, data=urlencode(params).encode(), headers=headers, method="POST")
    with urlopen(request, timeout=10) as response:
        return response.status


def single_values(encoded: str) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(encoded, keep_blank_values=True).items()}


def missing_field(form: dict[str, str]) -> int | None:
    if not form.get("To"):
        return 21604
    if not form.get("Body"):
        return 21602
    if not (form.get("From") or form.get("MessagingServiceSid")):
        return 21603
    return None


def error(status: int, code: int | None):
    """Twilio's error body: code, message, more_info, status."""
    status = STATUS_FOR_CODE.get(code, status) if status == 400 else status
    body = {
        "code": code or status, "message": ERROR_MESSAGES.get(code, "Error"),
        "more_info": f"https://www.twilio.com/docs/errors/{code or status}", "status": status,
    }
    return status, body, 0.0


def parse_date_sent(value: str | None) -> datetime | None:
    """`DateSent>` as Twilio takes it: YYYY-MM-DD, or a full UTC time."""
    if not value:
        return None
    if len(value) == 10:
        return datetime.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def segments(body: str) -> int:
    """GSM-7 texts: 160 characters, or 153 a part; anything else UCS-2: 70, or 67 a part."""
    if set(body) <= _GSM_7:
        length = len(body) + sum(body.count(c) for c in "^{}\\[~]|€\f")
        single, part = 160, 153
    else:
        length, single, part = len(body), 70, 67
    return 1 if length <= single else -(-length // part)


class FakeTwilioRemote:
    """The records and answers of a fake started by another process, over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def messages(self, to: str | None = None) -> list[dict]:
        """Every message the fake accepted (to one number, if given), oldest first."""
        query = f"?{urlencode({'To': to})}" if to else ""
        with urlopen(f"{self.base_url}/_test/messages{query}", timeout=10) as response:
            return json.load(response)["messages"]

    def count_by_recipient(self) -> dict[str, int]:
        """How many messages each number was sent."""
        counts: dict[str, int] = {}
        for message in self.messages():
            counts[message["to"]] = counts.get(message["to"], 0) + 1
        return counts

    def program(self, **values) -> None:
        """Program answers: `count`, `status`, `code`, `stall_seconds`;
        or refuse a number for good: `refuse_number`, `code`."""
        request = Request(f"{self.base_url}/_test/answers", data=json.dumps(values).encode(),
                          headers={"Content-Type": "application/json"}, method="POST")
        with urlopen(request, timeout=10):
            pass
