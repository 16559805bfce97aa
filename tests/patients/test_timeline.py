"""The patient's timeline on SQLite and PostgreSQL: every source merged newest first, in words,
capped, at a fixed number of queries whatever the patient's history."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients.factories import PLAN_DAYS, create_patient, regimen_entry
from tests.patients.history import add_dose_history, add_reply
from webapp.clock import uk_today, utc_now
from webapp.models.follow_up import Contact, ContactKind, WorklistHandled
from webapp.models.staff import Role
from webapp.patients import records, regimens
from webapp.patients.timeline import MAX_ENTRIES, patient_timeline
from webapp.patients.timeline_words import FIELD_NAMES, change_words

SOURCES = 6  # doses, texts out, texts in, contacts, handled marks, changes


@pytest.fixture(autouse=True)
def _midday_in_june():
    """Every date the tests work out stays the same wherever the clock stands (no midnight
    or clock change between two lines of a test)."""
    with time_machine.travel(datetime(2026, 6, 10, 11, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def nurse(database):
    service = create_fls_service(database, name="Timeline FLS")
    return create_staff_member(database, Role.NURSE, fls_service=service, full_name="Tess Nurse")


@pytest.fixture
def patient(database, nurse):
    return create_patient(database, nurse.fls_service, nurse, first_name="Ivy")


def _count_queries(database, run):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = database.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, len(statements)


def test_every_source_is_merged_newest_first_in_words(database, nurse, patient):
    now = utc_now()
    add_dose_history(database, patient, 2, now)
    add_reply(database, patient, "Felt dizzy after it", now - timedelta(days=3), urgent=True,
              outcome="side_effect")  # fmt: skip
    database.add(Contact(patient_id=patient.id, kind=ContactKind.PHONE_CALL, note="Rang her",
                         happened_on=uk_today(), recorded_by_id=nurse.id,
                         recorded_at=now - timedelta(hours=1)))  # fmt: skip
    database.add(WorklistHandled(patient_id=patient.id, reason="urgent_side_effect",
                                 cause_key="reply:1", note="Advised to see the GP",
                                 handled_by_id=nurse.id, handled_at=now - timedelta(hours=2)))
    records.pause_patient(database, nurse, patient, uk_today() + timedelta(days=10),
                          now - timedelta(days=1))  # fmt: skip
    database.commit()

    timeline = patient_timeline(database, patient, uk_today())
    kinds = [entry.kind for entry in timeline.entries]
    assert kinds[:6] == ["change", "contact", "handled", "change", "text_in", "dose"]
    assert [entry.when for entry in timeline.entries] == sorted(
        (entry.when for entry in timeline.entries), reverse=True)
    enrolled, call, handled, pause, reply, dose = timeline.entries[:6]
    assert enrolled.words == "Enrolled on Alendronic acid 70 mg"
    assert (call.heading, call.quoted, call.who) == ("Phone call", "Rang her", "Tess Nurse")
    assert call.words == "" and not call.day_only
    assert (handled.words, handled.quoted) == ("Urgent side effect reported",
                                               "Advised to see the GP")
    until = uk_today() + timedelta(days=10)
    assert (pause.heading, pause.who) == ("Texts paused", "Tess Nurse")
    assert pause.words == f"Paused until {until.day} {until:%B %Y}"
    assert reply.flags == ("Urgent", "Not read")
    assert reply.quoted == "Felt dizzy after it" and reply.who == "The patient, by text"
    assert reply.words == "Read as: a possible side effect"
    due = uk_today() - timedelta(days=7)
    assert dose.heading == "Dose reminder"
    assert dose.words == f"Alendronic acid 70 mg, due {due.day} {due:%B %Y}: Missed. Text delivered"
    assert dose.quoted.startswith("BoneCheck: time for your weekly tablet")
    # A dose's own text is on the dose, not a second time as a text sent.
    assert "text_out" not in kinds


def test_views_and_entries_shown_elsewhere_are_not_changes(database, nurse, patient):
    records.record_patient_viewed(database, nurse, patient, utc_now())
    regimen = create_patient(database, nurse.fls_service, nurse, regimens=[
        regimen_entry(medicine="denosumab_6_monthly")]).regimens[0]  # fmt: skip
    regimens.record_dose_given(database, nurse, regimen, uk_today(), utc_now(),
                               plan_days=PLAN_DAYS)  # fmt: skip
    database.commit()
    assert [entry.heading for entry in patient_timeline(database, patient, uk_today()).entries
            if entry.kind == "change"] == ["Enrolled"]  # fmt: skip
    given = patient_timeline(database, regimen.patient, uk_today()).entries
    assert [entry.heading for entry in given] == ["Dose given in clinic", "Enrolled"]
    assert given[0].words == "Denosumab 60 mg"


def test_changes_read_as_words_never_field_names():
    words = change_words("update", {"mobile": "changed", "reminder_time": "09:00",
                                    "named_nurse_id": 4})  # fmt: skip
    assert words == "Changed: mobile number, named nurse, reminder time"
    assert "_" not in words and len(FIELD_NAMES) == 10
    assert change_words("switch-medicine", {
        "regimen": {"medicine": "alendronic_acid_weekly"},
        "new_regimen": {"medicine": "denosumab_6_monthly"},
    }) == "Alendronic acid 70 mg to Denosumab 60 mg"  # fmt: skip
    assert change_words("pause", {}) == "Paused until the nurse resumes them"
    assert change_words("resume", {"pause_ended": True}) == "The pause ended"
    assert change_words("stop-medicine", {"regimen": {
        "medicine": "risedronate_weekly", "stopped_on": "2026-03-04"}}) == (
        "Risedronate 35 mg, stopped on 4 March 2026")  # fmt: skip


def test_the_page_is_capped_and_says_where_older_entries_are(database, patient):
    add_dose_history(database, patient, MAX_ENTRIES + 20, utc_now(), every_days=1)
    timeline = patient_timeline(database, patient, uk_today())
    assert len(timeline.entries) == MAX_ENTRIES and timeline.cut_short
    oldest_shown = timeline.entries[-1].uk_when.date()
    assert timeline.older_until == oldest_shown
    older = patient_timeline(database, patient, timeline.older_until)
    assert older.entries[0].uk_when.date() <= oldest_shown
    assert not older.cut_short


def test_a_page_covers_12_months_and_nothing_after_its_last_day(database, patient):
    add_dose_history(database, patient, 60, utc_now())  # 60 weeks: over a year
    timeline = patient_timeline(database, patient, uk_today())
    assert {entry.kind for entry in timeline.entries} == {"dose", "change"}
    assert min(entry.uk_when.date() for entry in timeline.entries) >= timeline.since
    assert timeline.since == uk_today() - timedelta(days=364)
    earlier = patient_timeline(database, patient, uk_today() - timedelta(days=30))
    assert max(entry.uk_when.date() for entry in earlier.entries) <= earlier.until
    assert "change" not in {entry.kind for entry in earlier.entries}  # enrolled today


def test_a_fixed_number_of_queries_with_10_or_500_doses(database, nurse):
    few = create_patient(database, nurse.fls_service, nurse)
    many = create_patient(database, nurse.fls_service, nurse)
    add_dose_history(database, few, 10, utc_now())
    add_dose_history(database, many, 500, utc_now())
    for patient in (few, many):
        add_reply(database, patient, "Yes", utc_now())
    database.expire_all()
    assert few.created_at and many.created_at  # loaded, as the page has them
    counts = [_count_queries(database, lambda p=p: patient_timeline(database, p, uk_today()))[1]
              for p in (few, many)]  # fmt: skip
    assert counts == [SOURCES, SOURCES]


def test_no_history_is_an_empty_page_not_an_error(database, patient):
    timeline = patient_timeline(database, patient, date(2001, 1, 1))
    assert timeline.entries == [] and timeline.older_until is None


def test_a_contact_recorded_later_sits_on_its_own_day(database, nurse, patient):
    three_days_ago = uk_today() - timedelta(days=3)
    database.add(Contact(patient_id=patient.id, kind=ContactKind.VISIT, happened_on=three_days_ago,
                         recorded_by_id=nurse.id, recorded_at=utc_now()))  # fmt: skip
    database.commit()
    visit = next(entry for entry in patient_timeline(database, patient, uk_today()).entries
                 if entry.kind == "contact")  # fmt: skip
    assert visit.day_only and visit.uk_when.date() == three_days_ago
    assert visit.words == f"on {three_days_ago.day} {three_days_ago:%B %Y}"


def test_a_patient_with_us_before_the_page_has_older_entries(database, patient):
    patient.created_at = utc_now() - timedelta(days=500)
    database.commit()
    timeline = patient_timeline(database, patient, uk_today())
    assert timeline.older_until == timeline.since - timedelta(days=1)
    # The page back covers their enrolment: nothing older than it.
    assert patient_timeline(database, patient, timeline.older_until).older_until is None
