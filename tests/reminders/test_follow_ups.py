"""One follow-up to a sent prompt with no reply, then "no response"; on both databases."""

from datetime import date, datetime, time

from sqlalchemy import select

from tests.reminders.factories import create_patient, create_regimen, create_reminder
from webapp.models.patients import PatientStatus
from webapp.models.reminders import Reminder
from webapp.reminders.planning import mark_no_response, plan_follow_ups

# A weekly alendronic acid dose due Monday 11 January 2027 at 08:00, sent.
DUE = date(2027, 1, 11)
SENT_AT = datetime(2027, 1, 11, 8, 0)
EVENING = datetime(2027, 1, 11, 18, 0)


def _weekly_dose(database, *, status="sent", outcome=None, **patient):
    person = create_patient(database, reminder_time=time(8, 0), **patient)
    return create_reminder(database, person.regimens[0], "dose", DUE, SENT_AT, status=status,
                           outcome=outcome)  # fmt: skip


def _follow_ups(database):
    query = select(Reminder).where(Reminder.kind == "follow_up").order_by(Reminder.id)
    return list(database.scalars(query))


def test_a_sent_weekly_dose_with_no_reply_is_followed_up_the_next_morning(database):
    dose = _weekly_dose(database)
    summary = plan_follow_ups(database, EVENING)
    (follow_up,) = _follow_ups(database)
    assert summary.follow_ups == 1
    assert (follow_up.regimen_id, follow_up.due_on) == (dose.regimen_id, DUE)
    assert follow_up.send_at == datetime(2027, 1, 12, 8, 0)
    assert follow_up.status == "planned"


def test_follow_ups_are_planned_once(database):
    _weekly_dose(database)
    plan_follow_ups(database, EVENING)
    assert plan_follow_ups(database, datetime(2027, 1, 11, 19, 0)).follow_ups == 0
    assert len(_follow_ups(database)) == 1


def test_a_morning_tablet_follow_up_keeps_to_the_morning_window(database):
    person = create_patient(database, reminder_time=time(7, 0))
    person.reminder_time = time(11, 0)  # changed after the dose went
    create_reminder(database, person.regimens[0], "dose", DUE, SENT_AT, status="delivered")
    plan_follow_ups(database, EVENING)
    assert _follow_ups(database)[0].send_at == datetime(2027, 1, 12, 10, 0)


def test_a_clinic_dose_is_followed_up_seven_days_later(database):
    person = create_patient(database, medicine=None)
    regimen = create_regimen(database, person, "denosumab_6_monthly", date(2026, 7, 11))
    create_reminder(database, regimen, "clinic_due", DUE, SENT_AT, status="delivered")
    plan_follow_ups(database, EVENING)
    assert _follow_ups(database)[0].send_at == datetime(2027, 1, 18, 8, 0)


def test_no_follow_up_for_a_prompt_not_sent_answered_or_for_a_paused_patient(database):
    _weekly_dose(database, status="planned")
    _weekly_dose(database, status="failed")
    _weekly_dose(database, outcome="taken")
    paused = _weekly_dose(database)
    paused.patient.status = PatientStatus.PAUSED
    reached = _weekly_dose(database)
    database.flush()
    assert plan_follow_ups(database, EVENING).follow_ups == 1
    assert [item.patient_id for item in _follow_ups(database)] == [reached.patient_id]


def test_a_follow_up_too_late_to_help_is_not_planned(database):
    _weekly_dose(database)
    assert plan_follow_ups(database, datetime(2027, 1, 13, 9, 0)).follow_ups == 0


def test_a_planned_follow_up_is_skipped_when_the_dose_is_answered(database):
    dose = _weekly_dose(database)
    plan_follow_ups(database, EVENING)
    dose.outcome = "taken"
    database.flush()
    summary = plan_follow_ups(database, datetime(2027, 1, 11, 20, 0))
    (follow_up,) = _follow_ups(database)
    assert summary.answered == 1
    assert (follow_up.status, follow_up.skip_reason) == ("skipped", "answered")


def test_a_dose_counts_as_no_response_a_day_after_its_follow_up_went(database):
    dose = _weekly_dose(database)
    plan_follow_ups(database, EVENING)
    follow_up = _follow_ups(database)[0]
    follow_up.status = "delivered"
    database.flush()
    assert mark_no_response(database, datetime(2027, 1, 12, 20, 0)) == 0
    database.refresh(dose)
    assert dose.outcome is None
    assert mark_no_response(database, datetime(2027, 1, 13, 8, 0)) == 1
    database.refresh(dose)
    database.refresh(follow_up)
    assert dose.outcome == "no_response"
    assert follow_up.outcome is None
    assert mark_no_response(database, datetime(2027, 1, 14, 8, 0)) == 0  # once


def test_a_follow_up_never_sent_does_not_make_a_no_response(database):
    dose = _weekly_dose(database)
    plan_follow_ups(database, EVENING)
    _follow_ups(database)[0].status = "skipped"
    database.flush()
    assert mark_no_response(database, datetime(2027, 1, 20, 8, 0)) == 0
    database.refresh(dose)
    assert dose.outcome is None


def test_no_follow_up_to_a_clinic_dose_the_nurse_has_recorded_as_given(database):
    person = create_patient(database, medicine=None)
    regimen = create_regimen(database, person, "denosumab_6_monthly", date(2026, 7, 11))
    create_reminder(database, regimen, "clinic_due", DUE, SENT_AT, status="delivered")
    plan_follow_ups(database, EVENING)
    regimen.last_given_date = date(2027, 1, 13)
    database.flush()
    summary = plan_follow_ups(database, datetime(2027, 1, 13, 12, 0))
    (follow_up,) = _follow_ups(database)
    assert summary.answered == 1
    assert (follow_up.status, follow_up.skip_reason) == ("skipped", "given in clinic")


def test_a_clinic_dose_recorded_as_given_early_gets_no_follow_up(database):
    person = create_patient(database, medicine=None)
    regimen = create_regimen(database, person, "denosumab_6_monthly", date(2026, 7, 11),
                             last_given_date=date(2026, 12, 20))  # fmt: skip
    create_reminder(database, regimen, "clinic_due", DUE, SENT_AT, status="delivered")
    assert plan_follow_ups(database, EVENING).follow_ups == 0
