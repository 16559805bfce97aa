"""Webhooks Twilio calls: delivery receipts at `POST /sms/status`, patients' texts at
`POST /sms/inbound`.

Public on purpose (Twilio has no session) and exempt from CSRF (Twilio cannot
hold a token); every request must instead carry Twilio's signature, checked
against PUBLIC_BASE_URL (webapp.sms.signature). tests/test_route_protection.py
lists these endpoints as public.
"""

from flask import Blueprint

from webapp.extensions import csrf

bp = Blueprint("sms_webhook", __name__)
csrf.exempt(bp)

from webapp.blueprints.sms_webhook import inbound, views  # noqa: E402,F401  (routes attach to bp)
