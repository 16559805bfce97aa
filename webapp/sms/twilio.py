"""Sending texts through Twilio with the official `twilio` client.

One `TwilioGateway` per process: it holds the client (and its HTTP connection
pool). It makes one attempt per call and never retries: dispatch owns retries,
with backoff, and knows whether a text is still worth sending. Twilio's answers
become `SmsSendError`s that say whether trying again can help (429, 5xx,
timeouts, lost connections) or not (a refused number, code kept), and whether
the text may have gone anyway (an answer lost after the request was sent).
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import urlencode

from requests.exceptions import ConnectTimeout, RequestException, Timeout
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError

from webapp.sms.gateway import OutgoingText, SendResult, SmsSendError

STATUS_CALLBACK_PATH = "/sms/status"
# Twilio keeps a queued text for 1 to 36,000 seconds (error 21624 / 90007 outside that).
VALIDITY_SECONDS = (1, 36_000)
# How far back from the claim to look when reconciling, for clocks that disagree.
CLOCK_SLACK = timedelta(minutes=5)
# How many of a number's recent messages `find_sent` reads at most.
FIND_SENT_LIMIT = 200
FIND_SENT_PAGE_SIZE = 50
# Refusals from an account or credential problem: nothing wrong with the text or
# the number, so trying again once the problem is fixed loses nothing.
ACCOUNT_PROBLEM_STATUSES = frozenset({401, 403})

# The client logs query strings (which hold phone numbers) at INFO: keep it quiet.
_http_log = logging.getLogger("webapp.sms.twilio_http")
_http_log.setLevel(logging.WARNING)


class TwilioGateway:
    """An `SmsGateway` that sends through Twilio's Messages API."""

    def __init__(
        self, *, account_sid: str, auth_token: str, public_base_url: str,
        from_number: str | None = None, messaging_service_sid: str | None = None,
        api_base_url: str | None = None, timeout: float = 10.0,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("Twilio needs a from number or a messaging service SID")
        # max_retries=0: one attempt per call; dispatch decides when to try again.
        http_client = TwilioHttpClient(timeout=timeout, max_retries=0, logger=_http_log)
        self._client = Client(account_sid, auth_token, http_client=http_client)
        if api_base_url:
            # A server that speaks Twilio's API (tests, benchmarks); no edge or region
            # rewriting of its host name.
            self._client.api.base_url = api_base_url.rstrip("/")
            self._client.edge = self._client.region = None
        self._public_base_url = public_base_url.rstrip("/")
        self._sender = (
            {"messaging_service_sid": messaging_service_sid}
            if messaging_service_sid else {"from_": from_number}
        )

    @classmethod
    def from_config(cls, config: Mapping) -> "TwilioGateway":
        """A gateway from the app's settings (see config.py)."""
        return cls(
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            public_base_url=config["PUBLIC_BASE_URL"],
            from_number=config.get("TWILIO_FROM_NUMBER"),
            messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID"),
            api_base_url=config.get("TWILIO_API_BASE_URL"),
            timeout=float(config.get("SMS_HTTP_TIMEOUT", 10.0)),
        )

    def status_callback_url(self, message_id: int) -> str:
        """Where Twilio reports this message's delivery: our id rides along, so a
        receipt matches the message even if we never heard Twilio's SID."""
        return f"{self._public_base_url}{STATUS_CALLBACK_PATH}?{urlencode({'message': message_id})}"

    def send(self, text: OutgoingText) -> SendResult:
        """Hand `text` to Twilio once; raise SmsSendError if it is not accepted."""
        options = {**self._sender, "status_callback": self.status_callback_url(text.message_id)}
        if text.valid_for is not None:
            options["validity_period"] = validity_seconds(text.valid_for)
        try:
            message = self._client.messages.create(to=text.to, body=text.body, **options)
        except (TwilioException, RequestException) as error:
            raise send_error(error) from error
        return SendResult(provider_sid=message.sid, status="sent")

    def find_sent(self, to: str, since: datetime, body: str) -> SendResult | None:
        """A message with this body sent to `to` since `since` (naive UTC), if Twilio has one.

        Twilio filters `DateSent>` by day, so the day is asked for and the time
        checked here. A message still queued has no DateSent and is not listed:
        reconcile a claim only after its validity period has passed.
        """
        try:
            messages = self._client.messages.list(
                to=to, date_sent_after=since.strftime("%Y-%m-%d"), limit=FIND_SENT_LIMIT,
                page_size=FIND_SENT_PAGE_SIZE,
            )
        except (TwilioException, RequestException) as error:
            raise send_error(error) from error
        earliest = since - CLOCK_SLACK
        for message in messages:
            created = message.date_created and message.date_created.replace(tzinfo=None)
            if message.body == body and created is not None and created >= earliest:
                return SendResult(provider_sid=message.sid, status="sent")
        return None


def validity_seconds(valid_for: timedelta) -> int:
    """`valid_for` in whole seconds, within what Twilio accepts."""
    low, high = VALIDITY_SECONDS
    return max(low, min(high, int(valid_for.total_seconds())))


def send_error(error: Exception) -> SmsSendError:
    """Twilio's (or the network's) refusal as an SmsSendError that says what to do next."""
    if isinstance(error, (TwilioRestException, TwilioServiceException)):
        return _rest_error(error)
    if isinstance(error, Timeout):
        # A connect timeout never reached Twilio; a read timeout may have been accepted.
        reached = not isinstance(error, ConnectTimeout)
        return SmsSendError("Twilio did not answer in time", retryable=True, maybe_sent=reached)
    if isinstance(error, RequestException):
        return SmsSendError("Could not reach Twilio", retryable=True,
                            maybe_sent=not _never_connected(error))
    status = getattr(error, "status", None)
    return SmsSendError(f"Twilio gave an unexpected answer ({status or 'no status'})",
                        code=getattr(error, "code", None), retryable=True)


def _rest_error(error: TwilioRestException | TwilioServiceException) -> SmsSendError:
    status = error.status
    code = error.code if isinstance(error.code, int) and error.code != status else None
    retryable = status == 429 or status >= 500 or status in ACCOUNT_PROBLEM_STATUSES
    # Twilio's message only: str(error) adds colours and a link meant for a terminal.
    message = f"Twilio refused the text ({status}{f', error {code}' if code else ''})"
    return SmsSendError(message, code=code, retryable=retryable)


def _never_connected(error: RequestException) -> bool:
    """True when the connection itself failed, so the request never left."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, ConnectTimeoutError)
