"""The interface every way of sending a text implements.

Dispatch (webapp.reminders) talks only to an `SmsGateway`, so the whole flow
runs offline with the outbox and for real with Twilio, and the choice is one
setting (`SMS_BACKEND`). Modelled on GOV.UK Notify's `app/clients/sms/`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class OutgoingText:
    """One text to send. `message_id` is our SmsMessage.id, carried in the
    status-callback URL so a receipt matches even after a crash."""

    message_id: int
    to: str  # E.164
    body: str
    # Time-sensitive texts are dropped by the provider's queue after this long,
    # rather than arriving hours late.
    valid_for: timedelta | None = None


@dataclass(frozen=True)
class SendResult:
    """What the provider said when it accepted a text."""

    provider_sid: str
    status: str  # the provider's status, mapped to ours: "sent" (queued/accepted) or "sending"


class SmsSendError(Exception):
    """The provider did not accept a text.

    `retryable` is True for answers worth trying again later (429, 5xx, a timeout);
    False for permanent refusals such as 21211 (invalid number), 21614 (not a
    mobile) or 21610 (the person has unsubscribed), which stop texts to that number.

    `maybe_sent` is True when the request reached the provider but its answer was
    lost (a read timeout): the text may have gone, so ask `find_sent` before
    sending it again.
    """

    def __init__(
        self, message: str, *, code: int | None = None, retryable: bool, maybe_sent: bool = False
    ) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable
        self.maybe_sent = maybe_sent


class SmsGateway(Protocol):
    """How dispatch sends a text and, after a crash, asks whether one went."""

    def send(self, text: OutgoingText) -> SendResult:
        """Hand `text` to the provider; raise SmsSendError if it is not accepted."""
        ...

    def find_sent(self, to: str, since: datetime, body: str) -> SendResult | None:
        """A text with this body sent to `to` since `since` (naive UTC), if the provider has one.

        Used to reconcile a message claimed before a crash: found means it went
        (record it, never resend); None means it did not, as far as the provider knows.
        Raises SmsSendError when the provider cannot be asked.
        """
        ...
