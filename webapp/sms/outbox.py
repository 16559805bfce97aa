"""The offline gateway: texts are kept, not sent.

The default (`SMS_BACKEND=outbox`), so the whole flow runs on a fresh machine
with no provider account. The SmsMessage rows already hold what was "sent";
the staff "SMS outbox" page reads those. The gateway itself keeps a short
record of its own, so `find_sent` can answer within one process.
"""

import logging
from collections import deque
from datetime import datetime

from webapp.clock import utc_now
from webapp.logs import log_event
from webapp.phones import mask_number
from webapp.sms.gateway import OutgoingText, SendResult

OUTBOX_SID_PREFIX = "OUTBOX"
# Enough for a day of a large service's texts; older ones are forgotten first.
RECORD_LIMIT = 50_000

log = logging.getLogger(__name__)


class OutboxGateway:
    """An `SmsGateway` that sends nothing and answers as if the text were accepted."""

    def __init__(self) -> None:
        self._kept: deque[tuple[datetime, OutgoingText, str]] = deque(maxlen=RECORD_LIMIT)

    def send(self, text: OutgoingText) -> SendResult:
        """Keep `text`; its SID is `OUTBOX<message id>`, unique as the message is."""
        sid = f"{OUTBOX_SID_PREFIX}{text.message_id}"
        self._kept.append((utc_now(), text, sid))
        log_event(log, "sms.kept_in_outbox", "Text kept in the outbox, not sent",
                  sms_message_id=text.message_id, provider_sid=sid,
                  masked_number=mask_number(text.to))
        return SendResult(provider_sid=sid, status="sent")

    def find_sent(self, to: str, since: datetime, body: str) -> SendResult | None:
        """The kept text with this body to `to` since `since`, if this gateway kept one.

        A restarted process has kept nothing, which is the truth: the outbox never
        sent anything anyone received.
        """
        for kept_at, text, sid in reversed(self._kept):
            if text.to == to and text.body == body and kept_at >= since:
                return SendResult(provider_sid=sid, status="sent")
        return None
