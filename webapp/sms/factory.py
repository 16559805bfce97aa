"""Choosing the gateway from configuration: one setting, `SMS_BACKEND`."""

from collections.abc import Mapping

from config import SMS_BACKENDS
from webapp.sms.gateway import SmsGateway


def gateway_from_config(config: Mapping) -> SmsGateway:
    """The gateway `SMS_BACKEND` names: the offline outbox (default) or Twilio.

    Build one per process and reuse it: the Twilio gateway holds a connection pool.
    """
    backend = config.get("SMS_BACKEND", "outbox")
    if backend == "outbox":
        from webapp.sms.outbox import OutboxGateway

        return OutboxGateway()
    if backend == "twilio":
        from webapp.sms.twilio import TwilioGateway

        return TwilioGateway.from_config(config)
    raise ValueError(f"SMS_BACKEND must be one of {', '.join(SMS_BACKENDS)}, not {backend!r}")
