"""Receiving replies (webapp.reminders.inbound), on SQLite and PostgreSQL: each outcome
applied to the right doses, late replies, STOP then YES, unknown numbers, repeats, loops."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from tests.reminders.factories import create_patient, create_regimen, create_reminder
from tests.reminders.inbound_support import new_sid, reply, sent_text
from webapp.models import AuditEvent, InboundMessage, Reminder
from webapp.models.patients import OptOutBy, PatientStatus
from webapp.reminders.inbound import (
    InvalidInboundMessage,
    forget_reply_bodies,
    later_time,
    receive_reply,
)
from webapp.reminders.medicines import MEDICINES
from webapp.reminders.sending_times import SendingRules

MONDAY = date(2027, 1, 11)
SENT = datetime(2027, 1, 11, 8, 0)  # 08:00 UK (GMT)
NOW = datetime(2027, 1, 11, 9, 30)


def _dose(database, patient=None, sent=SENT, due=MONDAY, kind="dose"):
    patient = patient or create_patient(database)
    message, reminders = sent_text(database, patient, [(patient.regimens[0], kind, due)], sent)
    return patient, message, reminders[0]


def test_taken_answers_the_dose_and_thanks_the_patient(database):
    patient, message, dose = _dose(database)
    result = reply(database, patient, "Taken, thanks 👍", NOW)
    database.expire_all()
    assert (dose.outcome, dose.late, dose.reply_id) == ("taken", False, result.message.id)
    assert result.answer == "Leeds FLS: Thank you, we have recorded it as taken."
    stored = result.message
    assert (stored.outcome, stored.urgent, stored.answered_message_id) == ("taken", False,
                                                                           message.id)
    assert stored.read_at == NOW and stored.body == "Taken, thanks 👍"
    assert stored.from_number == patient.mobile and stored.answer == result.answer


def test_one_text_about_two_doses_is_answered_for_both(database):
    patient = create_patient(database)
    second = create_regimen(database, patient, "calcium_vitamin_d_daily", MONDAY)
    _, (first_dose, calcium) = sent_text(
        database, patient, [(patient.regimens[0], "dose", MONDAY), (second, "check_in", MONDAY)],
        SENT)  # fmt: skip
    reply(database, patient, "yes", NOW)
    database.expire_all()
    assert (first_dose.outcome, calcium.outcome) == ("taken", "taken")


def test_the_most_recent_open_text_is_answered_not_an_older_one(database):
    patient, _, last_week = _dose(database, sent=SENT - timedelta(days=7),
                                  due=MONDAY - timedelta(days=7))  # fmt: skip
    _, _, this_week = _dose(database, patient)
    reply(database, patient, "done", NOW)
    database.expire_all()
    assert (last_week.outcome, this_week.outcome) == (None, "taken")
    reply(database, patient, "taken", NOW + timedelta(minutes=5))
    database.expire_all()
    assert last_week.outcome == "taken"  # the older one was still awaiting its answer


def test_a_missed_weekly_tablet_is_recorded_and_told_the_leaflets_rule(database):
    patient, _, dose = _dose(database)
    follow_up = create_reminder(database, patient.regimens[0], "follow_up", MONDAY,
                                SENT + timedelta(days=1))  # fmt: skip
    result = reply(database, patient, "no I forgot", NOW)
    database.expire_all()
    assert dose.outcome == "missed"
    assert (follow_up.status, follow_up.skip_reason) == ("skipped", "answered")
    assert "Never take 2 tablets on the same day." in result.answer
    assert result.answer.startswith("Leeds FLS: Thank you for telling us")


def test_a_reply_after_the_follow_up_still_counts_and_is_marked_late(database):
    patient, _, dose = _dose(database)
    _dose(database, patient, sent=SENT + timedelta(days=1), kind="follow_up")
    result = reply(database, patient, "taken", NOW + timedelta(days=1, hours=3))
    database.expire_all()
    assert (dose.outcome, dose.late, result.message.late) == ("taken", True, True)


def test_a_dose_counted_as_no_response_is_answered_late(database):
    patient, _, dose = _dose(database)
    dose.outcome = "no_response"
    database.commit()
    reply(database, patient, "had it", NOW + timedelta(days=3))
    database.expire_all()
    assert (dose.outcome, dose.late) == ("taken", True)


def test_with_nothing_awaiting_an_answer_the_message_is_kept_for_the_nurse(database):
    patient = create_patient(database)
    result = reply(database, patient, "taken", NOW)
    assert result.answer == "Leeds FLS: Thank you, we have passed your message to the team."
    assert (result.message.read_at, result.message.ignored_reason) == (
        None, "nothing awaiting an answer")


def test_a_side_effect_is_urgent_and_the_dose_still_taken(database):
    patient, _, dose = _dose(database)
    result = reply(database, patient, "Taken it but my jaw really hurts", NOW)
    database.expire_all()
    assert (result.message.outcome, result.message.urgent) == ("side_effect", True)
    assert result.message.read_at is None and dose.outcome == "taken"
    assert "0113 496 0000" in result.answer and "111" in result.answer
    assert "999" not in result.answer and result.answer.endswith("recorded your dose as taken.")


def test_chest_pain_is_told_to_call_999_and_the_dose_is_left_open(database):
    patient, _, dose = _dose(database)
    result = reply(database, patient, "I have chest pain", NOW)
    database.expire_all()
    assert "call 999 now" in result.answer and dose.outcome is None
    assert result.message.urgent


def test_stop_opts_out_at_once_and_yes_opts_back_in_with_no_answer_from_us(database):
    patient, _, dose = _dose(database)
    planned = create_reminder(database, patient.regimens[0], "dose", MONDAY + timedelta(days=7),
                              SENT + timedelta(days=7))  # fmt: skip
    database.commit()
    stopped = reply(database, patient, "STOP please", NOW)
    database.expire_all()
    assert stopped.answer is None and stopped.message.outcome == "stop"
    assert (patient.status, patient.opted_out_by, patient.opted_out_at) == (
        PatientStatus.OPTED_OUT, OptOutBy.SMS, NOW)
    assert (planned.status, planned.skip_reason) == ("skipped", "opted out by SMS")
    assert stopped.message.read_at is None  # the nurse sees it
    unclear = reply(database, patient, "why?", NOW + timedelta(minutes=1))
    assert unclear.answer is None  # the provider would refuse it (21610)
    started = reply(database, patient, "Yes", NOW + timedelta(minutes=2))
    database.expire_all()
    assert (started.answer, started.message.outcome) == (None, "start")
    assert (patient.status, patient.opted_out_by) == (PatientStatus.ACTIVE, None)
    actions = database.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["patient.opted_out_by_sms", "patient.opted_in_by_sms"]
    assert dose.outcome is None  # the YES started the texts again, it did not answer the dose


def test_start_does_not_undo_an_opt_out_the_nurse_recorded(database):
    patient = create_patient(database, status=PatientStatus.OPTED_OUT, opted_out_by=OptOutBy.NURSE)
    result = reply(database, patient, "START", NOW)
    database.expire_all()
    assert patient.status == PatientStatus.OPTED_OUT and result.message.read_at is None


def test_help_gives_the_services_phone_and_hours(database):
    patient = create_patient(database)
    patient.fls_service.opening_hours = "Monday to Friday, 9am to 5pm"
    result = reply(database, patient, "help", NOW)
    assert result.answer == (
        "Leeds FLS: For help with these texts or your treatment, call us on 0113 496 0000. "
        "Our opening hours: Monday to Friday, 9am to 5pm. Reply STOP to stop these texts."
    )


def test_later_for_a_first_thing_tablet_reminds_once_more_the_next_morning(database):
    patient, _, dose = _dose(database)
    follow_up = create_reminder(database, patient.regimens[0], "follow_up", MONDAY,
                                SENT + timedelta(days=1))  # fmt: skip
    result = reply(database, patient, "later", NOW)
    database.expire_all()
    later = database.scalars(select(Reminder).where(Reminder.kind == "later")).one()
    assert (later.due_on, later.send_at, later.status) == (MONDAY, SENT + timedelta(days=1),
                                                           "planned")
    assert follow_up.status == "skipped" and dose.outcome is None
    assert result.answer == "Leeds FLS: We will remind you once more tomorrow at 08:00."
    again = reply(database, patient, "snooze", NOW + timedelta(minutes=3))
    assert "only remind you once more" in again.answer
    assert database.scalar(select(func.count()).select_from(Reminder)
                           .where(Reminder.kind == "later")) == 1  # fmt: skip


def test_later_for_another_medicine_is_the_configured_time_on_the_same_day(database):
    patient = create_patient(database, medicine="risedronate_weekly")
    _dose(database, patient)
    result = reply(database, patient, "remind me later", NOW)
    later = database.scalars(select(Reminder).where(Reminder.kind == "later")).one()
    assert later.send_at == NOW + timedelta(hours=2)
    assert result.answer.endswith("once more at 11:30.")


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2027, 1, 11, 17, 0), datetime(2027, 1, 11, 19, 0)),  # 19:00 is inside the hours
    (datetime(2027, 1, 11, 19, 30), datetime(2027, 1, 12, 8, 0)),  # 21:30 is not: next day
])  # fmt: skip
def test_later_never_falls_outside_the_sending_hours(now, expected):
    rules = SendingRules(time(8, 0), time(7, 0), time(21, 0))
    assert later_time(MEDICINES["risedronate_weekly"], rules, now, timedelta(hours=2)) == expected


def test_unclear_is_kept_unread_and_asks_for_one_word(database):
    patient, _, dose = _dose(database)
    result = reply(database, patient, "I've stopped taking them", NOW)
    database.expire_all()
    assert result.message.outcome == "unclear" and result.message.read_at is None
    assert "one word: TAKEN, MISSED, LATER or HELP" in result.answer and dose.outcome is None


def test_an_unknown_number_gets_one_generic_answer_and_nothing_about_it_is_kept(database):
    result = reply(database, "+447700900999", "hello is this the bone clinic? taken", NOW)
    stored = result.message
    assert (stored.patient_id, stored.body, stored.from_number) == (None, None, "+44 7*** ***999")
    assert result.answer == ("This number cannot help with your message. "
                             "If you need medical help, call 111, or 999 in an emergency.")
    assert reply(database, "+447700900999", "STOP", NOW).answer is None


def test_the_same_message_sid_twice_is_one_record_and_changes_nothing_more(database):
    patient, _, dose = _dose(database)
    sid = new_sid()
    first = reply(database, patient, "taken", NOW, sid=sid)
    dose.outcome = None  # were the repeat applied, it would answer the dose again
    database.commit()
    again = reply(database, patient, "taken", NOW + timedelta(seconds=5), sid=sid)
    database.expire_all()
    assert (again.repeated, again.answer, again.message.id) == (True, first.answer,
                                                               first.message.id)
    assert dose.outcome is None
    assert database.scalar(select(func.count()).select_from(InboundMessage)) == 1


@pytest.mark.parametrize("body", [
    "Auto-reply: I am away until Monday", "I'm driving with Do Not Disturb While Driving turned on",
    "Out of office", "Leeds FLS: Your alendronic acid is due today. Reply TAKEN or MISSED. "
    "Reply STOP to stop these texts.",
])  # fmt: skip
def test_nothing_answers_an_automatic_reply_or_our_own_text(database, body):
    patient, _, dose = _dose(database)
    result = reply(database, patient, body, NOW)
    database.expire_all()
    assert result.answer is None and dose.outcome is None
    assert result.message.ignored_reason == "automatic reply"


def test_a_burst_from_one_number_stops_being_answered_but_is_still_recorded(database):
    patient = create_patient(database)
    answers = [reply(database, patient, "hello?", NOW + timedelta(seconds=n)).answer
               for n in range(7)]  # fmt: skip
    assert [answer is not None for answer in answers] == [True] * 5 + [False] * 2
    assert database.scalar(select(func.count()).select_from(InboundMessage)) == 7
    later = reply(database, patient, "hello?", NOW + timedelta(minutes=30))
    assert later.answer is not None


def test_the_active_patient_with_the_number_gets_the_reply(database):
    old = create_patient(database, status=PatientStatus.DISCHARGED, mobile="+447700900555")
    current = create_patient(database, mobile="+447700900555")
    result = reply(database, "07700 900555", "yes", NOW)
    assert result.message.patient_id == current.id != old.id


@pytest.mark.parametrize(("sid", "number"), [("", "+447700900123"), ("SM1", ""),
                                             ("SM<script>", "+447700900123"), ("S" * 41, "+44")])
def test_a_message_without_its_sid_or_number_is_refused(database, sid, number):
    with pytest.raises(InvalidInboundMessage):
        receive_reply(database, sid, number, "taken", NOW, None)


def test_a_nul_character_or_an_overlong_body_is_kept_safely(database):
    patient, _, dose = _dose(database)
    result = reply(database, patient, "taken\x00" + " " * 3000 + "x", NOW)
    database.expire_all()
    assert result.message.body == "taken" + " " * 1595 and dose.outcome == "taken"


def test_old_reply_words_are_deleted_and_what_they_meant_is_kept(database):
    patient, _, dose = _dose(database)
    old = reply(database, patient, "taken but my jaw hurts", NOW).message
    recent = reply(database, patient, "what?", NOW + timedelta(days=89)).message
    forgotten = forget_reply_bodies(database, NOW + timedelta(days=90, minutes=1),
                                    timedelta(days=90))  # fmt: skip
    database.commit()
    database.expire_all()
    assert forgotten == 1
    assert (old.body, old.outcome, old.urgent, dose.outcome) == (None, "side_effect", True,
                                                                 "taken")  # fmt: skip
    assert recent.body == "what?"
    assert forget_reply_bodies(database, NOW + timedelta(days=90, minutes=1),
                               timedelta(days=90)) == 0  # twice: harmless
