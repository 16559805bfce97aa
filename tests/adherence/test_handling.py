"""Marking worklist rows handled, on SQLite and PostgreSQL."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_staff_member
from tests.adherence.support import add_entry
from tests.reminders.factories import create_patient
from webapp.adherence.facts import Reason
from webapp.adherence.handling import HandlingError, mark_handled
from webapp.adherence.worklist_queries import open_items_for
from webapp.models.follow_up import WorklistEntry, WorklistHandled
from webapp.models.staff import AuditEvent, Role

NOW = datetime(2027, 7, 20, 9, 0)


@pytest.fixture
def nurse(database):
    return create_staff_member(database, Role.NURSE)


@pytest.fixture
def patient(database, nurse):
    patient = create_patient(database, service=nurse.fls_service)
    add_entry(database, patient, Reason.UNREAD_REPLY, date(2027, 7, 19), cause_key="reply:7")
    add_entry(database, patient, Reason.MISSED_DOSES, date(2027, 7, 6), cause_key="2027-07-13")
    return patient


def _open(database, patient):
    return [(item.reason, item.cause_key)
            for item in open_items_for(database, patient.fls_service_id, patient.id)]


def test_a_handled_cause_leaves_the_worklist_and_is_audited_without_the_note(
        database, nurse, patient):
    note = "Rang Mrs Example: she has her tablets, will reply from now on"
    mark_handled(database, nurse, patient, [("unread_reply", "reply:7")], note, NOW)
    database.commit()

    assert _open(database, patient) == [(Reason.MISSED_DOSES, "2027-07-13")]
    mark = database.scalars(select(WorklistHandled)).one()
    assert (mark.note, mark.handled_by_id, mark.handled_at) == (note, nurse.id, NOW)
    event = database.scalars(select(AuditEvent).where(
        AuditEvent.action == "worklist-handled")).one()
    assert (event.entity_type, event.entity_id, event.actor_id) == ("patient", str(patient.id),
                                                                     nurse.id)
    assert event.after == {"reasons": [{"reason": "unread_reply", "cause_key": "reply:7"}],
                           "note": "recorded"}
    assert "Example" not in str(event.after)


def test_marking_twice_keeps_the_first_mark(database, nurse, patient):
    both = [("unread_reply", "reply:7"), ("missed_doses", "2027-07-13")]
    mark_handled(database, nurse, patient, both[:1], "First note", NOW)
    mark_handled(database, nurse, patient, both + both, "Second note", NOW)
    database.commit()
    marks = database.scalars(select(WorklistHandled).order_by(WorklistHandled.id)).all()
    assert [(m.reason, m.note) for m in marks] == [("unread_reply", "First note"),
                                                   ("missed_doses", "Second note")]
    assert _open(database, patient) == []


def test_a_new_cause_comes_back_after_its_reason_was_handled(database, nurse, patient):
    mark_handled(database, nurse, patient, [("unread_reply", "reply:7")], "Read it", NOW)
    database.commit()
    assert (Reason.UNREAD_REPLY, "reply:7") not in _open(database, patient)
    # A later reply: the refresh writes the same reason with the new reply's key.
    entry = database.scalars(select(WorklistEntry).where(
        WorklistEntry.reason == "unread_reply")).one()
    entry.cause_key = "reply:9"
    database.commit()
    assert (Reason.UNREAD_REPLY, "reply:9") in _open(database, patient)


@pytest.mark.parametrize("note, message", [
    ("", "Enter a note saying what you did"),
    ("   ", "Enter a note saying what you did"),
    ("x" * 501, "The note must be 500 characters or fewer"),
    ("rang\x00", "The note has a hidden character (a null byte) that cannot be saved: type it "
                 "again"),
])
def test_a_note_must_be_given_short_and_whole(database, nurse, patient, note, message):
    with pytest.raises(HandlingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        mark_handled(database, nurse, patient, [("unread_reply", "reply:7")], note, NOW)
    assert database.scalars(select(WorklistHandled)).all() == []


def test_a_note_of_500_characters_is_kept(database, nurse, patient):
    mark_handled(database, nurse, patient, [("unread_reply", "reply:7")], "x" * 500, NOW)
    assert len(database.scalars(select(WorklistHandled)).one().note) == 500


@pytest.mark.parametrize("reasons, message", [
    ([], "Choose at least one reason"),
    ([("no_such_reason", "1")], "not one the worklist shows"),
    ([("unread_reply", "")], "has changed since the page loaded"),
    ([("unread_reply", "k" * 81)], "has changed since the page loaded"),
])
def test_each_reason_must_be_a_worklist_cause(database, nurse, patient, reasons, message):
    with pytest.raises(HandlingError, match=message):
        mark_handled(database, nurse, patient, reasons, "Rang them", NOW)


def test_a_nurse_of_another_service_cannot_mark_a_patient(database, patient):
    stranger = create_staff_member(database, Role.NURSE)
    admin = create_staff_member(database, Role.ADMIN)
    for who in (stranger, admin):
        with pytest.raises(HandlingError, match="Only a nurse of the patient's service"):
            mark_handled(database, who, patient, [("unread_reply", "reply:7")], "Rang", NOW)
    assert database.scalars(select(WorklistHandled)).all() == []
