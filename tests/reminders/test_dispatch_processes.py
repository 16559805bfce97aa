"""Exactly once across real OS processes, on SQLite and on PostgreSQL.

Two dispatcher processes start together against one database and 1,000 due
reminders, sending through the real twilio client to one Twilio-speaking server:
every patient gets exactly one text. A dispatcher killed (SIGKILL) while the
provider holds its answer, then restarted: nothing doubled, nothing lost.
"""

import time as clock
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service
from tests.reminders.dispatch_processes import Dispatchers, add_due_reminders, drama_mobiles
from tests.reminders.dispatch_support import messages, statuses
from tests.sms.fake_twilio import FakeTwilio
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.reminders import SmsMessage


@pytest.fixture(scope="module")
def fake_server():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    yield fake_server
    fake_server.reset()


@pytest.fixture
def service_id(database):
    service = create_fls_service(database, name="All Day FLS")
    service.sms_sending_starts, service.sms_sending_ends = time(0, 0), time.max
    database.commit()
    return service.id


def test_two_dispatchers_at_once_send_each_of_1000_reminders_exactly_once(
    database, fake, service_id
):
    mobiles = drama_mobiles(1000)
    add_due_reminders(database, service_id, mobiles, utc_now() - timedelta(minutes=1))

    url = db.engine.url.render_as_string(hide_password=False)
    reports = Dispatchers(2, url, fake.base_url).finish()

    assert sorted(report["sent"] for report in reports)[0] > 0  # both took a share
    assert sum(report["sent"] for report in reports) == 1000
    assert fake.count_by_recipient() == {mobile: 1 for mobile in mobiles}
    assert statuses(database) == {"sent": 1000}
    recorded = set(database.scalars(select(SmsMessage.provider_sid)))
    assert recorded == {message.sid for message in fake.messages}


def test_a_dispatcher_killed_before_the_answer_then_restarted_doubles_and_loses_nothing(
    database, fake, service_id
):
    mobiles = drama_mobiles(5)
    add_due_reminders(database, service_id, mobiles, utc_now() - timedelta(minutes=1))
    fake.stall_next(1, seconds=30)  # the first text is accepted; its answer never comes
    url = db.engine.url.render_as_string(hide_password=False)

    crashing = Dispatchers(1, url, fake.base_url, SMS_HTTP_TIMEOUT=60.0)
    _wait_for(lambda: len(fake.messages) == 1)
    crashing.kill()  # SIGKILL: between the claim and the provider's answer
    assert statuses(database) == {"sending": 5}

    (report,) = Dispatchers(1, url, fake.base_url, SMS_STUCK_AFTER=timedelta(0)).finish()

    (accepted,) = fake.messages
    assert fake.count_by_recipient() == {accepted.to: 1}
    by_number = {message.to_number: message for message in messages(database)}
    assert (by_number[accepted.to].status, by_number[accepted.to].provider_sid) == (
        "sent", accepted.sid
    )
    # The other four were claimed but never handed over: a nurse checks, none is resent.
    assert statuses(database) == {"sent": 1, "needs_check": 4}
    assert (report["sent"], report["needing a check"]) == (1, 4)
    assert set(by_number) == set(mobiles)


def _wait_for(condition, seconds=30.0):
    deadline = clock.monotonic() + seconds
    while not condition():
        assert clock.monotonic() < deadline, "the dispatcher never reached the provider"
        clock.sleep(0.05)
