"""Dispatch rules on SQLite and PostgreSQL: claim, skip, expire, retry, fail, reconcile."""

from datetime import time

import pytest
from sqlalchemy import select
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
from webapp.models.patients import Patient
from webapp.models.reminders import Reminder, SmsMessage
from webapp.models.staff import AuditEvent
from webapp.reminders.dispatch import DispatchSettings, send_due_reminders
from webapp.sms.gateway import SmsSendError


@pytest.fixture
def dispatch(database):
    """Run one pass at `now` through `gateway`, unpaced."""

    def run(gateway, now=NOW, **settings):
        settings = DispatchSettings(max_per_second=0, **settings)
        return send_due_reminders(sessionmaker(db.engine), gateway, now, settings, lambda: now)

    return run


def test_a_patients_due_reminders_go_as_one_text_with_the_providers_sid(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient, kind="dose")
    add_reminder(database, patient, kind="follow_up", send_at=NOW - minutes(30))
    add_reminder(database, patient, kind="book", send_at=NOW + minutes(5))  # not due yet
    gateway = MemoryGateway()

    summary = dispatch(gateway)

    assert (summary.sent, summary.texts_sent) == (2, 1)
    assert len(gateway.sent) == 1
    (text, sid), = gateway.sent
    (message,) = messages(database)
    assert (message.status, message.provider_sid, message.sent_at) == ("sent", sid, NOW)
    assert (text.message_id, text.to, text.body) == (message.id, patient.mobile, message.body)
    assert message.attempts == 1 and message.claimed_at == NOW
    assert statuses(database) == {"sent": 2, "planned": 1}
    assert text.valid_for == minutes(150)  # the follow-up expires 3 hours after 08:30


def test_a_second_pass_sends_nothing_again(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    gateway = MemoryGateway()
    dispatch(gateway)
    summary = dispatch(gateway, now=NOW + minutes(1))
    assert summary.sent == 0 and len(gateway.sent) == 1


def test_a_reminder_more_than_three_hours_late_expires_unsent(database, dispatch):
    patient = create_patient(database)
    late = add_reminder(database, patient, send_at=NOW - minutes(181))
    on_time = add_reminder(database, patient, kind="book", send_at=NOW - minutes(179))
    gateway = MemoryGateway()

    summary = dispatch(gateway)

    assert (summary.expired, summary.sent) == (1, 1)
    database.expire_all()
    assert database.get(Reminder, late.id).status == "expired"
    assert database.get(Reminder, on_time.id).status == "sent"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": "paused"}, "the patient is paused"),
        ({"status": "opted_out"}, "the patient is opted out"),
        ({"status": "discharged"}, "the patient is discharged"),
        ({"sms_consent": False}, "no consent to texts"),
        ({"sms_blocked_code": 21211}, "texts to this number stopped (error 21211)"),
    ],
)
def test_a_patient_who_may_not_be_texted_is_skipped_with_the_reason(
    database, dispatch, change, reason
):
    patient = create_patient(database, **change)
    reminder = add_reminder(database, patient)
    gateway = MemoryGateway()

    assert dispatch(gateway).skipped == 1

    database.expire_all()
    assert (database.get(Reminder, reminder.id).status, reminder.skip_reason) == (
        "skipped", reason
    )
    assert gateway.sent == [] and messages(database) == []


def test_a_stopped_medicine_is_skipped_and_the_others_still_go(database, dispatch):
    patient = create_patient(database)
    stopped = add_reminder(database, patient)
    patient.regimens[0].stopped_on = NOW.date()
    database.commit()
    gateway = MemoryGateway()
    assert dispatch(gateway).skipped == 1
    database.expire_all()
    assert database.get(Reminder, stopped.id).skip_reason == "the medicine was stopped"
    assert gateway.sent == []


def test_nothing_goes_outside_the_services_sending_hours(database, dispatch):
    patient = create_patient(database)
    patient.fls_service.sms_sending_ends = time(8, 30)  # 09:00 is after hours
    database.commit()
    reminder = add_reminder(database, patient)
    gateway = MemoryGateway()
    dispatch(gateway)
    database.expire_all()
    assert database.get(Reminder, reminder.id).skip_reason == "outside the service's sending hours"
    assert gateway.sent == []


def test_the_daily_cap_stops_more_texts_to_one_patient_that_day(database, dispatch):
    patient = create_patient(database)
    for hour, kind in enumerate(("dose", "follow_up", "book")):
        add_reminder(database, patient, kind=kind, send_at=NOW + minutes(60 * hour))
    gateway = MemoryGateway()
    for hour in range(3):
        dispatch(gateway, now=NOW + minutes(60 * hour), daily_cap=2)
    assert len(gateway.sent) == 2
    assert statuses(database) == {"sent": 2, "skipped": 1}
    skipped = database.scalar(select(Reminder).where(Reminder.status == "skipped"))
    assert skipped.skip_reason == "the daily limit of 2 texts was reached"


def test_the_same_text_to_the_same_number_within_the_window_is_skipped(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    add_reminder(database, patient, kind="dose", send_at=NOW + minutes(30),
                 regimen=_second_regimen(database, patient))  # fmt: skip
    gateway = MemoryGateway()
    dispatch(gateway)
    dispatch(gateway, now=NOW + minutes(30))
    dispatch(gateway, now=NOW + minutes(31), duplicate_window=minutes(10))
    assert len(gateway.sent) == 1
    skipped = database.scalar(select(Reminder).where(Reminder.status == "skipped"))
    assert skipped.skip_reason == "the same text went to this number just before"


def _second_regimen(database, patient):
    from webapp.models.patients import Regimen

    regimen = Regimen(medicine="alendronic_acid_weekly", first_dose_date=NOW.date(), created_at=NOW)
    patient.regimens.append(regimen)
    database.commit()
    return regimen


def test_a_busy_provider_means_a_retry_with_backoff_and_nothing_lost(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    gateway = MemoryGateway(refuse={patient.mobile: SmsSendError("busy", code=429, retryable=True)})

    first = dispatch(gateway)

    (message,) = messages(database)
    assert first.retrying == 1 and first.sent == 0
    assert (message.status, message.attempts, message.error_code) == ("retry", 1, 429)
    assert message.next_attempt_at == NOW + minutes(1)
    assert statuses(database) == {"sending": 1}
    dispatch(gateway, now=NOW + minutes(2))  # still busy: the wait doubles
    (message,) = messages(database)
    assert (message.attempts, message.next_attempt_at) == (2, NOW + minutes(4))
    assert gateway.asked == []

    gateway.refuse.clear()
    third = dispatch(gateway, now=NOW + minutes(5))
    (message,) = messages(database)
    assert third.sent == 1 and (message.status, message.attempts) == ("sent", 3)
    assert statuses(database) == {"sent": 1}
    assert len(gateway.sent) == 1


@pytest.mark.parametrize("provider_has_it", [True, False])
def test_a_lost_answer_is_never_sent_again_only_reconciled(database, dispatch, provider_has_it):
    patient = create_patient(database)
    add_reminder(database, patient)
    lost = SmsSendError("no answer in time", retryable=True, maybe_sent=True)
    gateway = MemoryGateway(refuse={patient.mobile: lost})

    assert dispatch(gateway).unanswered == 1

    (message,) = messages(database)
    assert (message.status, message.error_message) == ("sending", "no answer in time")
    if provider_has_it:
        sid = gateway.pretend_sent(patient.mobile, message.body)
    gateway.refuse.clear()
    dispatch(gateway, now=NOW + minutes(5))  # inside the grace period: left alone
    assert messages(database)[0].status == "sending" and gateway.asked == []

    dispatch(gateway, now=NOW + minutes(11))

    (message,) = messages(database)
    assert gateway.asked == [(patient.mobile, NOW)]
    if provider_has_it:
        assert (message.status, message.provider_sid) == ("sent", sid)
        assert statuses(database) == {"sent": 1}
    else:
        assert statuses(database) == {"needs_check": 1}
    assert len(gateway.sent) == int(provider_has_it)


def test_a_text_still_waiting_to_retry_when_too_late_expires(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    gateway = MemoryGateway(refuse={patient.mobile: SmsSendError("busy", code=429, retryable=True)})
    dispatch(gateway)
    summary = dispatch(gateway, now=NOW + minutes(181))
    assert summary.expired == 1
    assert messages(database)[0].status == "expired"
    assert statuses(database) == {"expired": 1}


def test_an_invalid_number_fails_and_stops_texts_to_it(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    later = add_reminder(database, patient, kind="book", send_at=NOW + minutes(60))
    gateway = MemoryGateway(
        refuse={patient.mobile: SmsSendError("not a valid number", code=21211, retryable=False)}
    )

    assert dispatch(gateway).failed == 1
    dispatch(gateway, now=NOW + minutes(60))

    database.expire_all()
    (message,) = messages(database)
    assert (message.status, message.error_code) == ("failed", 21211)
    patient = database.get(Patient, patient.id)
    assert (patient.sms_blocked_code, patient.sms_blocked_at) == (21211, NOW)
    assert patient.sms_blocked_reason == "Twilio says this is not a valid phone number (21211)"
    assert patient.status == "active"
    assert database.get(Reminder, later.id).status == "skipped"


def test_a_refusal_that_is_not_about_the_number_fails_the_text_only(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    gateway = MemoryGateway(
        refuse={patient.mobile: SmsSendError("body too long", code=21617, retryable=False)}
    )
    assert dispatch(gateway).failed == 1
    database.expire_all()
    assert messages(database)[0].error_code == 21617
    assert database.get(Patient, patient.id).may_be_texted


def test_an_unsubscribed_number_opts_the_patient_out_by_sms_and_is_audited(database, dispatch):
    patient = create_patient(database)
    add_reminder(database, patient)
    gateway = MemoryGateway(
        refuse={patient.mobile: SmsSendError("unsubscribed", code=21610, retryable=False)}
    )
    dispatch(gateway)
    database.expire_all()
    patient = database.get(Patient, patient.id)
    assert (patient.status, patient.opted_out_by, patient.opted_out_at) == ("opted_out", "sms", NOW)
    event = database.scalar(select(AuditEvent).where(AuditEvent.action == "patient.texts_stopped"))
    assert event.entity_id == str(patient.id)
    assert event.after["status"] == "opted_out" and patient.mobile not in str(event.after)


def _stuck_message(database, patient, claimed_at):
    """A text claimed at `claimed_at` whose process died before the provider answered."""
    reminder = add_reminder(database, patient, send_at=claimed_at)
    message = SmsMessage(patient_id=patient.id, to_number=patient.mobile, body="Reminder text",
                         status="sending", claimed_at=claimed_at, status_changed_at=claimed_at,
                         attempts=1)  # fmt: skip
    database.add(message)
    database.flush()
    reminder.status, reminder.sms_message_id = "sending", message.id
    database.commit()
    return message


def test_a_stuck_text_the_provider_has_is_recorded_sent_never_resent(database, dispatch):
    patient = create_patient(database)
    message = _stuck_message(database, patient, NOW - minutes(11))
    gateway = MemoryGateway()
    sid = gateway.pretend_sent(patient.mobile, "Reminder text")

    summary = dispatch(gateway)

    assert summary.sent == 1 and len(gateway.sent) == 1
    assert gateway.asked == [(patient.mobile, NOW - minutes(11))]
    database.expire_all()
    message = database.get(SmsMessage, message.id)
    assert (message.status, message.provider_sid) == ("sent", sid)
    assert statuses(database) == {"sent": 1}


@pytest.mark.parametrize("cannot_ask", [False, True])
def test_a_stuck_text_the_provider_lacks_needs_a_nurse_to_check(database, dispatch, cannot_ask):
    patient = create_patient(database)
    _stuck_message(database, patient, NOW - minutes(11))
    gateway = MemoryGateway(cannot_ask=cannot_ask)
    assert dispatch(gateway).needs_check == 1
    assert gateway.sent == []
    assert messages(database)[0].status == "needs_check"
    assert statuses(database) == {"needs_check": 1}


def test_a_text_inside_the_grace_period_is_left_alone(database, dispatch):
    patient = create_patient(database)
    _stuck_message(database, patient, NOW - minutes(9))
    gateway = MemoryGateway()
    dispatch(gateway)
    assert gateway.asked == [] and statuses(database) == {"sending": 1}
