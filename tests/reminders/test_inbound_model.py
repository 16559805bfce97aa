"""The inbound message table: Twilio's MessageSid is unique, so a retried webhook is one record."""

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.reminders.factories import create_patient, create_reminder
from webapp.models import InboundMessage, Reminder

RECEIVED = datetime(2027, 1, 11, 9, 0)


def _message(patient, sid="SM" + "a" * 32, **values):
    values = {"body": "taken", **values}
    return InboundMessage(provider_sid=sid, patient=patient, from_number=patient.mobile,
                          received_at=RECEIVED, **values)


def test_the_same_message_sid_twice_is_refused_by_the_database(database):
    patient = create_patient(database)
    database.add(_message(patient))
    database.commit()
    database.add(_message(patient, body="taken again"))
    with pytest.raises(IntegrityError):
        database.commit()
    database.rollback()
    assert database.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_a_message_starts_unread_not_urgent_not_late(database):
    patient = create_patient(database)
    message = _message(patient, sid="SM" + "b" * 32)
    database.add(message)
    database.commit()
    assert (message.read_at, message.urgent, message.late, message.answer) == (
        None, False, False, None)
    assert message.channel == "twilio"
    assert "taken" not in repr(message) and patient.mobile not in repr(message)


def test_reminders_are_not_late_until_a_late_reply_says_so(database):
    patient = create_patient(database)
    reminder = create_reminder(database, patient.regimens[0], "dose", RECEIVED.date(), RECEIVED)
    database.commit()
    assert database.get(Reminder, reminder.id).late is False
    assert reminder.reply_id is None
