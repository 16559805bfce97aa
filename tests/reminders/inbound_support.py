"""Helpers for the reply tests: texts already sent to a patient, and the service's settings."""

from datetime import datetime, timedelta

from webapp.models.reminders import Reminder, ReminderStatus, SmsMessage
from webapp.reminders.inbound import ReplySettings, receive_reply

SETTINGS = ReplySettings(
    later_after=timedelta(hours=2), burst_limit=5, burst_window=timedelta(minutes=10),
    open_days=14, plan_days=14,
)
_sids = iter(range(1, 10**9))


def new_sid() -> str:
    """A MessageSid in Twilio's shape: SM and 32 hex digits."""
    return f"SM{next(_sids):032x}"


def sent_text(session, patient, prompts, sent_at: datetime, status=ReminderStatus.DELIVERED):
    """One text to `patient`, sent at `sent_at`, carrying reminders given as (regimen, kind,
    due_on) tuples; returns the message and its reminders."""
    message = SmsMessage(
        patient=patient, to_number=patient.mobile, body="Leeds FLS: reminder", segments=1,
        status=status, claimed_at=sent_at, sent_at=sent_at, status_changed_at=sent_at,
        attempts=1, provider_sid=f"SM{sent_at:%Y%m%d%H%M%S}{len(prompts)}{patient.id:08d}",
    )  # fmt: skip
    session.add(message)
    reminders = [
        Reminder(patient=patient, regimen=regimen, kind=kind, due_on=due_on, send_at=sent_at,
                 status=status, status_changed_at=sent_at, created_at=sent_at,
                 sms_message=message)
        for regimen, kind, due_on in prompts
    ]  # fmt: skip
    session.add_all(reminders)
    session.flush()
    return message, reminders


def reply(session, patient_or_number, body, now, sid=None, settings=SETTINGS):
    """`receive_reply` as the webhook calls it, committed as the webhook commits."""
    number = getattr(patient_or_number, "mobile", patient_or_number)
    result = receive_reply(session, sid or new_sid(), number, body, now, settings)
    session.commit()
    return result
