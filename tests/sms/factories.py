"""Plain factories for patients and the texts sent to them, for the SMS tests."""

from datetime import date, datetime, time, timedelta
from itertools import count

from tests.accounts.factories import create_fls_service
from webapp.clock import utc_now
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder, ReminderKind, ReminderStatus, SmsMessage

_numbers = count(100)


def create_patient(session, fls_service=None, **overrides) -> Patient:
    """An active, consenting patient on weekly alendronic acid, with a drama-range mobile."""
    now = utc_now()
    number = next(_numbers)
    service = fls_service or create_fls_service(session, name=f"SMS service {number}")
    values = {
        "fls_service_id": service.id, "nhs_number": f"{9_000_000_000 + number}",
        "first_name": "Pat", "last_name": f"Example{number}", "date_of_birth": date(1950, 3, 1),
        "mobile": f"+447700900{number % 1000:03d}", "sms_consent": True,
        "reminder_time": time(9, 0), "created_at": now, "updated_at": now,
        **overrides,
    }
    patient = Patient(**values)
    patient.regimens.append(Regimen(medicine="alendronic_acid_weekly",
                                    first_dose_date=date(2026, 11, 2), created_at=now))
    session.add(patient)
    session.commit()
    return patient


def create_sent_message(
    session, patient: Patient, *, status: str = ReminderStatus.SENT,
    provider_sid: str | None = None,
    body: str = "Time for your weekly tablet. Reply STOP to stop these texts",
    sent_at: datetime | None = None, reminders: int = 1,
) -> SmsMessage:
    """A text to `patient` carrying `reminders` dose reminders, as dispatch leaves it."""
    now = utc_now()
    sent_at = sent_at or now
    message = SmsMessage(
        patient=patient, to_number=patient.mobile, body=body, segments=1, status=status,
        claimed_at=sent_at - timedelta(seconds=1), status_changed_at=sent_at,
        sent_at=None if status in (ReminderStatus.SENDING, ReminderStatus.NEEDS_CHECK) else sent_at,
        attempts=1, provider_sid=provider_sid,
    )
    regimen = patient.regimens[0]
    for offset in range(reminders):
        message.reminders.append(Reminder(
            patient=patient, regimen=regimen, kind=ReminderKind.DOSE,
            due_on=sent_at.date() + timedelta(weeks=offset), send_at=sent_at, status=status,
            status_changed_at=sent_at, created_at=sent_at,
        ))
    session.add(message)
    session.commit()
    return message
