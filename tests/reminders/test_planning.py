"""Planning the outbox on SQLite and PostgreSQL: what is planned, for whom, when, and that
planning again (or in two processes at once) adds nothing twice."""

import threading
from datetime import date, datetime, time

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from tests.reminders.factories import create_patient, create_regimen, create_service
from webapp.clock import to_uk, utc_from_uk
from webapp.extensions import db
from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.reminders import Reminder
from webapp.reminders import planning
from webapp.reminders.planning import cancel_planned, plan_for_patient, plan_reminders

# Tuesday 5 January 2027, 06:00 UTC (06:00 in the UK: winter).
NOW = datetime(2027, 1, 5, 6, 0)


def _reminders(session, **where):
    query = select(Reminder).filter_by(**where).order_by(Reminder.send_at, Reminder.kind)
    return list(session.scalars(query))


def _keys(session, **where):
    return [(item.kind, item.due_on, item.status) for item in _reminders(session, **where)]


def test_a_weekly_tablet_is_planned_on_its_day_at_the_patients_time(database):
    patient = create_patient(database, first_dose_date=date(2027, 1, 4), reminder_time=time(8, 30))
    summary = plan_reminders(database, NOW, 14)
    doses = _reminders(database, kind="dose")
    assert [item.due_on for item in doses] == [date(2027, 1, 11), date(2027, 1, 18)]
    assert [item.send_at for item in doses] == [datetime(2027, 1, 11, 8, 30),
                                                datetime(2027, 1, 18, 8, 30)]  # fmt: skip
    assert all(item.status == "planned" and item.patient_id == patient.id for item in doses)
    assert summary.as_dict() == {"patients": 1, "regimens": 1, "planned": 3, "replanned": 0,
                                 "welcomes": 1}  # fmt: skip


def test_planning_twice_adds_nothing(database):
    create_patient(database)
    create_patient(database, medicine="denosumab_6_monthly", first_dose_date=date(2026, 7, 20))
    first = plan_reminders(database, NOW, 30)
    database.commit()
    before = _keys(database)
    again = plan_reminders(database, NOW, 30)
    database.commit()
    assert first.planned == len(before) > 0
    assert (again.planned, again.replanned, again.welcomes) == (0, 0, 0)
    assert _keys(database) == before


def test_two_planners_at_once_plan_each_reminder_once(database, app):
    for _ in range(20):
        create_patient(database)
    database.commit()
    start = threading.Barrier(2)
    errors = []

    def planner():
        with app.app_context(), Session(db.engine) as session:
            start.wait()
            try:
                plan_reminders(session, NOW, 14)
                session.commit()
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Each patient: a welcome and the doses of 11 and 18 January, once.
    assert database.scalar(select(func.count()).select_from(Reminder)) == 60
    keys = database.execute(select(Reminder.regimen_id, Reminder.due_on, Reminder.kind)).all()
    assert len(set(keys)) == 60


@pytest.mark.parametrize(
    "changes",
    [
        {"status": PatientStatus.PAUSED},
        {"status": PatientStatus.OPTED_OUT},
        {"status": PatientStatus.DISCHARGED},
        {"sms_consent": False},
        {"sms_blocked_code": 21211},
    ],
    ids=["paused", "opted-out", "discharged", "no-consent", "number-refused"],
)
def test_patients_who_may_not_be_texted_get_nothing(database, changes):
    create_patient(database, **changes)
    summary = plan_reminders(database, NOW, 14)
    assert summary.patients == 0
    assert _reminders(database) == []


def test_a_stopped_or_ended_regimen_gets_nothing_after_it_stops(database):
    stopped = create_patient(database, medicine=None)
    create_regimen(database, stopped, "risedronate_weekly", date(2026, 1, 4),
                   stopped_on=date(2027, 1, 5))  # fmt: skip
    ending = create_patient(database, medicine=None)
    create_regimen(database, ending, "risedronate_weekly", date(2026, 1, 4),
                   end_date=date(2027, 1, 10))  # fmt: skip
    plan_reminders(database, NOW, 28)
    assert _reminders(database, patient_id=stopped.id) == []
    assert [(k, d) for k, d, _ in _keys(database, patient_id=ending.id)] == [
        ("welcome", date(2027, 1, 5)), ("dose", date(2027, 1, 10))
    ]  # fmt: skip


def test_a_morning_tablet_is_moved_into_its_morning_window(database):
    create_patient(database, reminder_time=time(14, 0))
    plan_reminders(database, NOW, 7)
    (dose,) = _reminders(database, kind="dose")
    assert dose.send_at == datetime(2027, 1, 11, 10, 0)  # alendronic acid: 06:00 to 10:00


def test_reminder_times_are_kept_inside_the_services_sending_hours(database):
    service = create_service(database, sms_sending_starts=time(8, 0), sms_sending_ends=time(20, 0))
    early = create_patient(database, service=service, medicine="risedronate_weekly",
                           reminder_time=time(6, 30))  # fmt: skip
    late = create_patient(database, service=service, medicine="risedronate_weekly",
                          reminder_time=time(21, 30))  # fmt: skip
    plan_reminders(database, NOW, 7)
    assert _reminders(database, kind="dose", patient_id=early.id)[0].send_at.time() == time(8)
    assert _reminders(database, kind="dose", patient_id=late.id)[0].send_at.time() == time(19, 59)


def test_a_clinic_injection_gets_a_booking_note_ahead_and_a_text_on_the_day(database):
    # Denosumab given 20 July 2026 is next due 20 January 2027; booking goes 28 days ahead,
    # which has passed, so it goes at the patient's next reminder time.
    create_patient(database, medicine=None)
    patient = create_patient(database, medicine=None)
    create_regimen(database, patient, "denosumab_6_monthly", date(2025, 1, 20),
                   last_given_date=date(2026, 7, 20))  # fmt: skip
    plan_reminders(database, NOW, 30)
    assert [(item.kind, item.due_on, item.send_at) for item in
            _reminders(database, patient_id=patient.id) if item.kind != "welcome"] == [
        ("book", date(2027, 1, 20), datetime(2027, 1, 5, 8, 0)),
        ("clinic_due", date(2027, 1, 20), datetime(2027, 1, 20, 8, 0)),
    ]  # fmt: skip


def test_a_booking_note_goes_book_ahead_days_before_the_due_date(database):
    patient = create_patient(database, medicine=None)
    create_regimen(database, patient, "zoledronic_acid_yearly", date(2026, 3, 1))
    plan_reminders(database, NOW, 50)
    (book,) = _reminders(database, kind="book")
    assert (book.due_on, book.send_at.date()) == (date(2027, 3, 1), date(2027, 2, 1))
    assert _reminders(database, kind="clinic_due") == []  # 1 March is past the 50 days


def test_daily_medicines_get_a_weekly_check_in_or_a_daily_one(database):
    weekly = create_patient(database, medicine="calcium_vitamin_d_daily",
                            first_dose_date=date(2027, 1, 1))  # fmt: skip
    daily = create_patient(database, medicine=None)
    create_regimen(database, daily, "teriparatide_daily", date(2027, 1, 1), daily_texts=True)
    plan_reminders(database, NOW, 13)
    assert [item.due_on for item in _reminders(database, kind="check_in", patient_id=weekly.id)] \
        == [date(2027, 1, 8), date(2027, 1, 15)]  # fmt: skip
    assert len(_reminders(database, kind="check_in", patient_id=daily.id)) == 14


def test_the_welcome_goes_once_and_waits_for_the_sending_hours(database):
    patient = create_patient(database)
    create_regimen(database, patient, "calcium_vitamin_d_daily", date(2027, 1, 4))
    late_evening = datetime(2027, 1, 5, 22, 15)
    plan_reminders(database, late_evening, 7)
    plan_reminders(database, late_evening, 7)
    (welcome,) = _reminders(database, kind="welcome")
    assert welcome.send_at == datetime(2027, 1, 6, 7, 0)
    assert welcome.due_on == date(2027, 1, 6)


def test_a_welcome_inside_the_sending_hours_goes_now(database):
    create_patient(database)
    afternoon = datetime(2027, 1, 5, 14, 3)
    plan_reminders(database, afternoon, 7)
    assert _reminders(database, kind="welcome")[0].send_at == afternoon


def test_nothing_is_planned_in_the_past(database):
    create_patient(database, first_dose_date=date(2027, 1, 5))  # due today at 08:00
    plan_reminders(database, datetime(2027, 1, 5, 9, 0), 6)
    assert _reminders(database, kind="dose") == []


def test_patient_ids_limit_planning_to_those_patients(database):
    chosen = create_patient(database)
    other = create_patient(database)
    summary = plan_reminders(database, NOW, 14, patient_ids=[chosen.id])
    assert summary.patients == 1
    assert _reminders(database, patient_id=other.id) == []
    assert _reminders(database, patient_id=chosen.id) != []


def test_many_patients_are_planned_in_batches_with_none_missed(database, monkeypatch):
    monkeypatch.setattr(planning, "BATCH_PATIENTS", 3)
    patients = [create_patient(database) for _ in range(8)]
    create_patient(database, status=PatientStatus.PAUSED)
    summary = plan_reminders(database, NOW, 7)
    assert summary.patients == 8
    planned = {item.patient_id for item in _reminders(database, kind="dose")}
    assert planned == {patient.id for patient in patients}


def test_cancel_planned_skips_a_patients_planned_reminders_with_the_reason(database):
    patient = create_patient(database)
    other = create_patient(database)
    plan_reminders(database, NOW, 14)
    sent = _reminders(database, patient_id=patient.id, kind="welcome")[0]
    sent.status = "sent"
    assert cancel_planned(database, patient, NOW, "paused") == 2
    assert {(item.status, item.skip_reason) for item in _reminders(database, patient_id=patient.id,
                                                                    kind="dose")} == {
        ("skipped", "paused")
    }  # fmt: skip
    assert _reminders(database, patient_id=patient.id, kind="welcome")[0].status == "sent"
    assert {item.status for item in _reminders(database, patient_id=other.id)} == {"planned"}


def test_cancel_planned_for_a_regimen_leaves_the_patients_other_medicines(database):
    patient = create_patient(database)
    calcium = create_regimen(database, patient, "calcium_vitamin_d_daily", date(2027, 1, 1))
    plan_reminders(database, NOW, 14)
    cancel_planned(database, calcium, NOW, "stopped")
    assert {item.status for item in _reminders(database, kind="check_in")} == {"skipped"}
    assert {item.status for item in _reminders(database, kind="dose")} == {"planned"}


def test_a_resumed_patient_has_their_reminders_planned_again(database):
    patient = create_patient(database)
    plan_reminders(database, NOW, 14)
    cancel_planned(database, patient, NOW, "paused")
    patient.status = PatientStatus.PAUSED
    assert plan_reminders(database, datetime(2027, 1, 7, 12), 14).planned == 0
    patient.status = PatientStatus.ACTIVE
    summary = plan_for_patient(database, patient, datetime(2027, 1, 7, 12), 14)
    assert summary.replanned == 2
    assert [(kind, due, status) for kind, due, status in _keys(database, kind="dose")] == [
        ("dose", date(2027, 1, 11), "planned"), ("dose", date(2027, 1, 18), "planned")
    ]  # fmt: skip
    assert _reminders(database, kind="welcome")[0].status == "skipped"  # welcomed once only


def test_a_new_reminder_time_moves_reminders_still_ahead(database):
    patient = create_patient(database, reminder_time=time(8, 0))
    plan_reminders(database, NOW, 14)
    patient.reminder_time = time(9, 15)
    summary = plan_for_patient(database, patient, datetime(2027, 1, 5, 10, 0), 14)
    assert summary.replanned == 2
    assert {to_uk(item.send_at).time() for item in _reminders(database, kind="dose")} == {
        time(9, 15)
    }


def test_a_reminder_a_dispatcher_holds_is_never_touched(database):
    patient = create_patient(database, reminder_time=time(8, 0))
    plan_reminders(database, NOW, 14)
    held = _reminders(database, kind="dose")[0]
    held.status = "sending"
    patient.reminder_time = time(9, 0)
    plan_for_patient(database, patient, NOW, 14)
    database.refresh(held)
    assert (held.status, held.send_at) == ("sending", datetime(2027, 1, 11, 8, 0))


def test_plan_for_patient_welcomes_and_skips_what_the_schedule_no_longer_has(database):
    patient = create_patient(database, medicine=None)
    regimen = create_regimen(database, patient, "denosumab_6_monthly", date(2026, 7, 20))
    plan_for_patient(database, patient, NOW, 30)
    assert [item.kind for item in _reminders(database)] == ["welcome", "book", "clinic_due"]
    regimen.last_given_date = date(2027, 1, 4)  # given early: next due 4 July
    plan_for_patient(database, patient, NOW, 30)
    stale = _reminders(database, kind="clinic_due")
    assert [(item.status, item.skip_reason) for item in stale] == [("skipped", "schedule changed")]
    assert len(_reminders(database, kind="welcome")) == 1


def test_send_times_are_the_uk_wall_clock_time_in_summer_too(database):
    create_patient(database, reminder_time=time(9, 0), first_dose_date=date(2027, 6, 1))
    plan_reminders(database, datetime(2027, 6, 1, 5, 0), 7)
    doses = _reminders(database, kind="dose")
    assert [item.send_at for item in doses] == [
        utc_from_uk(date(2027, 6, 1), time(9, 0)), utc_from_uk(date(2027, 6, 8), time(9, 0))
    ]  # fmt: skip
    assert doses[0].send_at == datetime(2027, 6, 1, 8, 0)


def test_planning_again_at_the_very_minute_a_reminder_is_due_counts_nothing_new(database):
    create_patient(database, first_dose_date=date(2027, 1, 5), reminder_time=time(8, 0))
    on_the_minute = datetime(2027, 1, 5, 8, 0)
    assert plan_reminders(database, on_the_minute, 7).planned == 3  # welcome, 5 and 12 January
    again = plan_reminders(database, on_the_minute, 7)
    assert (again.planned, again.replanned) == (0, 0)


def test_planning_costs_as_many_queries_for_twenty_patients_as_for_two(database):
    statements = []

    def count(*_args):
        statements.append(1)

    costs = []
    for patients in (2, 20):
        for _ in range(patients):
            create_patient(database, medicine="calcium_vitamin_d_daily")
        database.commit()
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            plan_reminders(database, NOW, 14)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        costs.append(len(statements))
        database.rollback()
        database.execute(delete(Reminder))
        database.execute(delete(Regimen))
        database.execute(delete(Patient))
        database.commit()
    assert costs[0] == costs[1] <= 6
