"""`POST /sms/status`: Twilio's delivery report for one text.

Unsigned or forged: 403, nothing changed. Signed: the receipt is applied if it
is news (webapp.sms.receipts), and answered 204 whatever it said, so a repeated,
late or unrecognised report changes nothing and is never an error.
"""

import logging

from flask import Response, current_app, request
from sqlalchemy.exc import IntegrityError

from webapp.blueprints.sms_webhook import bp
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.logs import log_event
from webapp.phones import mask_number
from webapp.sms import receipts, signature

log = logging.getLogger(__name__)
EVENT = "sms.status_callback"


@bp.route("/status", methods=["POST"])
def status_callback():
    """Apply one signed delivery report; refuse anything unsigned."""
    if not signed_by_twilio():
        log_event(log, EVENT, "SMS status callback refused: not signed by Twilio",
                  level=logging.WARNING, outcome="refused")
        return Response("Forbidden\n", status=403, mimetype="text/plain")
    receipt = receipts.read_receipt(request.args, request.form)
    if receipt is None:
        log_event(log, EVENT, "SMS status callback not recognised", outcome="unrecognised")
        return Response(status=204)
    try:
        result = receipts.apply_receipt(db.session, receipt, utc_now())
        db.session.commit()
    except IntegrityError:
        # Another report for the same text recorded its SID at the same moment.
        db.session.rollback()
        result = receipts.ReceiptResult(receipts.ReceiptOutcome.NO_CHANGE)
    _log_receipt(receipt, result)
    return Response(status=204)


def signed_by_twilio() -> bool:
    """Whether this request carries Twilio's signature for our public URL (either token)."""
    config = current_app.config
    url = signature.public_url(
        config["PUBLIC_BASE_URL"], request.path, request.query_string.decode("latin-1")
    )
    return signature.is_signed_by_twilio(
        url, request.form, request.headers.get(signature.SIGNATURE_HEADER),
        signature.auth_tokens(config),
    )


def _log_receipt(receipt: receipts.StatusReceipt, result: receipts.ReceiptResult) -> None:
    """One line a report: ids, statuses and outcome; the number masked; never the text."""
    message = result.message
    log_event(
        log, EVENT, "SMS status callback %s: %s", result.outcome, receipt.provider_status,
        outcome=str(result.outcome),
        sms_message_id=message.id if message is not None else receipt.message_id,
        provider_sid=receipt.provider_sid, provider_status=receipt.provider_status,
        status=message.status if message is not None else None,
        error_code=receipt.error_code, number_blocked=result.number_blocked,
        masked_number=mask_number(receipt.to),
    )
