"""`POST /sms/inbound` through a running server on 127.0.0.1, as Twilio reaches it behind a
proxy: signed for the public URL it is accepted; signed for the address the server sees,
or forged, it is refused. On SQLite and PostgreSQL."""

from datetime import date, timedelta
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import func, select

from tests.live_server import live_server
from tests.reminders.factories import create_patient
from tests.reminders.inbound_support import sent_text
from tests.sms.conftest import PUBLIC_BASE_URL
from tests.sms.inbound_wire import INBOUND_URL, inbound_params
from tests.sms.twilio_wire import AUTH_TOKEN, sign
from webapp.clock import utc_now
from webapp.models import InboundMessage


@pytest.fixture
def server_url(app):
    """The app served on 127.0.0.1 at a free port, in a background thread."""
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE_URL)
    with live_server(app) as base_url:
        yield base_url


def _post(url: str, params: dict, signature: str) -> tuple[int, str]:
    request = Request(url, data=urlencode(params).encode(), method="POST",
                      headers={"X-Twilio-Signature": signature})  # fmt: skip
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def test_a_running_server_takes_signed_texts_and_refuses_the_rest(database, server_url):
    patient = create_patient(database)
    _, [dose] = sent_text(database, patient, [(patient.regimens[0], "dose", date.today())],
                          utc_now() - timedelta(hours=1))  # fmt: skip
    database.commit()
    served = f"{server_url}/sms/inbound"
    params = inbound_params(patient.mobile, "taken")
    refused = [
        _post(served, params, sign(served, params, AUTH_TOKEN)),  # the address seen, not ours
        _post(served, params, sign(INBOUND_URL, params, "not-the-token")),
        _post(served, {**params, "Body": "STOP"}, sign(INBOUND_URL, params, AUTH_TOKEN)),
        _post(served, params, ""),
    ]
    assert [status for status, _ in refused] == [403] * 4
    database.expire_all()
    assert database.scalar(select(func.count()).select_from(InboundMessage)) == 0

    status, body = _post(served, params, sign(INBOUND_URL, params, AUTH_TOKEN))
    assert status == 200 and "we have recorded it as taken" in body and body.startswith("<?xml")
    again = _post(served, params, sign(INBOUND_URL, params, AUTH_TOKEN))
    assert again == (status, body)
    database.expire_all()
    assert database.scalar(select(func.count()).select_from(InboundMessage)) == 1
    assert dose.outcome == "taken"
