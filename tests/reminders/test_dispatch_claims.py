"""Claims that race another dispatcher, a pass stopped half way, pacing and logs."""

import logging
import threading

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from tests.reminders.dispatch_support import (
    NOW,
    MemoryGateway,
    add_reminder,
    create_patient,
    messages,
    minutes,
    statuses,
)
from webapp.extensions import db
from webapp.models.reminders import Reminder
from webapp.reminders.claiming import ClaimRules, _claim_groups
from webapp.reminders.dispatch import DispatchError, DispatchSettings, Pacer, send_due_reminders

RULES = ClaimRules(expiry_after=minutes(180), daily_cap=4, duplicate_window=minutes(60))


@pytest.mark.parametrize("taken_first", [1, 2])
def test_reminders_another_dispatcher_claimed_first_are_left_to_it(database, taken_first):
    """The conditional UPDATE's row count catches a claim made after this one read its rows."""
    patient = create_patient(database)
    reminders = [add_reminder(database, patient, kind=kind) for kind in ("dose", "book")]
    ids = [r.id for r in reminders]
    make_session = sessionmaker(db.engine)
    with make_session() as stale:
        seen = stale.scalars(select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.id))
        by_patient = {patient.id: seen.all()}
        with make_session.begin() as other:  # another dispatcher takes some meanwhile
            other.execute(
                update(Reminder).where(Reminder.id.in_(ids[:taken_first])).values(status="sending")
            )
        claim = _claim_groups(stale, NOW, RULES, by_patient)
        stale.commit()

    kept = ids[taken_first:]
    assert [text.reminder_count for text in claim.texts] == ([1] if kept else [])
    database.expire_all()
    mine = database.scalars(select(Reminder.id).where(Reminder.sms_message_id.is_not(None)))
    assert mine.all() == kept
    assert [m.id for m in messages(database)] == [t.message_id for t in claim.texts]


class BrokenGateway(MemoryGateway):
    """Accepts the first text, then fails as no gateway should (a bug, not an SmsSendError)."""

    def send(self, text):
        if self.sent:
            raise RuntimeError("connection pool exploded")
        return super().send(text)


def test_a_pass_stopped_by_a_broken_gateway_gives_back_what_it_never_sent(database):
    patients = [create_patient(database) for _ in range(3)]
    for patient in patients:
        add_reminder(database, patient)
    settings = DispatchSettings(max_per_second=0)
    gateway = BrokenGateway()

    with pytest.raises(DispatchError, match="RuntimeError"):
        send_due_reminders(sessionmaker(db.engine), gateway, NOW, settings, lambda: NOW)

    # The first went; the second may or may not have; the third was never tried.
    assert statuses(database) == {"sent": 1, "sending": 1, "planned": 1}
    assert [m.status for m in messages(database)] == ["sent", "sending"]

    later = NOW + minutes(11)
    summary = send_due_reminders(
        sessionmaker(db.engine), MemoryGateway(), later, settings, lambda: later
    )
    assert (summary.sent, summary.needs_check) == (1, 1)
    assert statuses(database) == {"sent": 2, "needs_check": 1}


def test_the_pacer_spaces_sends_to_the_cap():
    moments = [0.0]

    def sleep(seconds):
        moments[0] += seconds

    pacer = Pacer(4, clock=lambda: moments[0], sleep=sleep)
    sent_at = []
    for _ in range(9):
        pacer.wait()
        sent_at.append(moments[0])
    assert sent_at == [0.25 * n for n in range(9)]
    assert Pacer(0).interval == 0  # no cap


def test_one_log_line_a_text_with_the_number_masked_and_no_words(database, caplog):
    patient = create_patient(database)
    add_reminder(database, patient)
    caplog.set_level(logging.INFO, logger="webapp.reminders.dispatch")
    send_due_reminders(sessionmaker(db.engine), MemoryGateway(), NOW,
                       DispatchSettings(max_per_second=0), lambda: NOW)  # fmt: skip
    (message,) = messages(database)
    lines = [r for r in caplog.records if r.name == "webapp.reminders.dispatch"]
    (send_line,) = lines
    masked = f"+44 7*** ***{patient.mobile[-3:]}"
    assert send_line.message == f"Text {message.id} sent: 1 reminders to {masked}"
    assert (send_line.message_id, send_line.reminder_count) == (message.id, 1)
    assert (send_line.status, send_line.to) == ("sent", masked)
    for record in lines:
        assert patient.mobile not in record.getMessage() and message.body not in record.getMessage()
        assert patient.mobile not in str(vars(record))


def test_a_paced_dispatcher_claims_about_a_seconds_worth_at_a_time():
    assert DispatchSettings(max_per_second=10).claim_size == 10
    assert DispatchSettings(max_per_second=0.5).claim_size == 1
    assert DispatchSettings(max_per_second=1000).claim_size == 100
    assert DispatchSettings(max_per_second=0).claim_size == 100  # no cap: the largest batch


class StoppingGateway(MemoryGateway):
    """Sends, and asks the pass to stop after the first text (as SIGTERM to the scheduler)."""

    def __init__(self, stop):
        super().__init__()
        self.stop = stop

    def send(self, text):
        self.stop.set()
        return super().send(text)


def test_a_stopping_scheduler_ends_the_pass_after_the_text_in_hand(database):
    for _ in range(3):
        add_reminder(database, create_patient(database))
    stop = threading.Event()
    gateway = StoppingGateway(stop)

    summary = send_due_reminders(sessionmaker(db.engine), gateway, NOW,
                                 DispatchSettings(max_per_second=0), lambda: NOW, stop)  # fmt: skip

    assert summary.sent == 1 and len(gateway.sent) == 1
    assert statuses(database) == {"sent": 1, "planned": 2}  # given back, sent next time
    assert [m.status for m in messages(database)] == ["sent"]
