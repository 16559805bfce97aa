"""The worklist page and a patient's open items, on SQLite and PostgreSQL."""

from datetime import date, datetime

import pytest

from tests.accounts.factories import create_staff_member
from tests.adherence.support import (
    COMPUTED,
    add_entry,
    add_measures,
    bulk_patients,
    counting_statements,
    unique_nhs_number,
)
from tests.reminders.factories import create_patient
from webapp.adherence.facts import REASONS, Reason, Urgency
from webapp.adherence.handling import mark_handled
from webapp.adherence.worklist_queries import (
    MAX_PER_PAGE,
    WorklistItem,
    open_items_for,
    worklist_page,
)
from webapp.models.staff import Role


@pytest.fixture
def nurse(database):
    return create_staff_member(database, Role.NURSE, full_name="Sam Nurse")


def _patient(database, nurse, name, **overrides):
    return create_patient(database, service=nurse.fls_service, last_name=name,
                          nhs_number=unique_nhs_number(), **overrides)


def test_patients_come_most_urgent_first_then_oldest_with_all_their_items(database, nurse):
    audit_only = _patient(database, nurse, "Audit")
    add_entry(database, audit_only, Reason.CONTACT_DUE, date(2027, 1, 1))
    routine_old = _patient(database, nurse, "Routine", named_nurse_id=nurse.id)
    add_entry(database, routine_old, Reason.NO_REPLIES, date(2027, 6, 1), cause_key="n1")
    add_entry(database, routine_old, Reason.YEAR_CHECK_DUE, date(2027, 2, 1), cause_key="y1")
    urgent = _patient(database, nurse, "Urgent")
    add_entry(database, urgent, Reason.MISSED_DOSES, date(2027, 7, 1), cause_key="m1")
    add_entry(database, urgent, Reason.URGENT_SIDE_EFFECT, date(2027, 7, 19), cause_key="r5",
              detail="Reply on 19 July 2027")  # fmt: skip
    routine_new = _patient(database, nurse, "Later")
    add_entry(database, routine_new, Reason.UNREAD_REPLY, date(2027, 7, 18))
    nobody = _patient(database, nurse, "Nobody")
    add_measures(database, nobody, computed_at=datetime(2027, 3, 1, 5, 0))
    add_measures(database, urgent)

    rows, total, as_of = worklist_page(database, nurse.fls_service_id, 1, 25)

    assert [row.patient_id for row in rows] == [urgent.id, routine_old.id, routine_new.id,
                                                audit_only.id]
    assert total == 4
    assert as_of == datetime(2027, 3, 1, 5, 0)  # the oldest of the service's rollups
    first = rows[0]
    assert (first.name, first.nhs_number, first.named_nurse) == (
        f"Ada {urgent.last_name}", urgent.nhs_number, None)
    assert first.items == (
        WorklistItem(Reason.URGENT_SIDE_EFFECT, REASONS[Reason.URGENT_SIDE_EFFECT].label,
                     Urgency.URGENT, "r5", "Reply on 19 July 2027", date(2027, 7, 19)),
        WorklistItem(Reason.MISSED_DOSES, REASONS[Reason.MISSED_DOSES].label, Urgency.HIGH,
                     "m1", REASONS[Reason.MISSED_DOSES].label, date(2027, 7, 1)),
    )  # fmt: skip
    assert rows[1].named_nurse == "Sam Nurse"
    assert [item.reason for item in rows[1].items] == [Reason.NO_REPLIES, Reason.YEAR_CHECK_DUE]


def test_handled_causes_are_left_out_and_a_patient_with_none_open_goes(database, nurse):
    patient = _patient(database, nurse, "Handled")
    add_entry(database, patient, Reason.UNREAD_REPLY, date(2027, 7, 18), cause_key="r1")
    other = _patient(database, nurse, "Still")
    add_entry(database, other, Reason.UNREAD_REPLY, date(2027, 7, 18), cause_key="r2")
    add_entry(database, other, Reason.OPTED_OUT, date(2027, 7, 10), cause_key="o")
    mark_handled(database, nurse, patient, [("unread_reply", "r1")], "Read", COMPUTED)
    mark_handled(database, nurse, other, [("unread_reply", "r2")], "Read", COMPUTED)
    # A mark for the same cause key under another patient changes nothing here.
    rows, total, _ = worklist_page(database, nurse.fls_service_id, 1, 25)
    assert [(row.patient_id, [i.reason for i in row.items]) for row in rows] == [
        (other.id, [Reason.OPTED_OUT])]
    assert total == 1
    assert open_items_for(database, nurse.fls_service_id, patient.id) == []


def test_pages_do_not_overlap_and_are_capped(database, nurse):
    ids = bulk_patients(database, nurse.fls_service, 120)
    first, total, _ = worklist_page(database, nurse.fls_service_id, 1, 500)
    second, _, _ = worklist_page(database, nurse.fls_service_id, 2, 500)
    beyond, again, _ = worklist_page(database, nurse.fls_service_id, 9, 50)
    assert (len(first), len(second), total, beyond, again) == (MAX_PER_PAGE, 20, 120, [], 120)
    assert sorted(row.patient_id for row in first + second) == sorted(ids)
    sinces = [row.items[0].since for row in first + second]
    assert sinces == sorted(sinces)
    assert worklist_page(database, nurse.fls_service_id, 0, 0)[0][0] == first[0]


def test_the_named_nurse_filter_and_the_service_scope(database, nurse):
    other_nurse = create_staff_member(database, Role.NURSE, fls_service=nurse.fls_service)
    mine = _patient(database, nurse, "Mine", named_nurse_id=nurse.id)
    theirs = _patient(database, nurse, "Theirs", named_nurse_id=other_nurse.id)
    elsewhere = create_patient(database)  # another service
    for patient in (mine, theirs, elsewhere):
        add_entry(database, patient, Reason.NO_REPLIES, date(2027, 7, 1))
    service = nurse.fls_service_id

    assert [r.patient_id for r in worklist_page(database, service, 1, 25, nurse.id)[0]] == [
        mine.id]
    assert {r.patient_id for r in worklist_page(database, service, 1, 25)[0]} == {
        mine.id, theirs.id}
    assert open_items_for(database, service, elsewhere.id) == []
    assert worklist_page(database, service + 1000, 1, 25) == ([], 0, None)


def test_a_page_costs_the_same_queries_at_10_and_1000_patients(database, nurse):
    def statements_at(count: int, start: int) -> int:
        service = create_patient(database).fls_service
        bulk_patients(database, service, count, start)
        with counting_statements() as statements:
            rows, total, _ = worklist_page(database, service.id, 1, 50)
        assert (len(rows), total) == (min(count, 50), count)
        return len(statements)

    assert statements_at(10, 0) == statements_at(1000, 10) == 1
