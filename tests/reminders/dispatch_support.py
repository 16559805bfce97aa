"""Patients with due reminders, and a gateway kept in memory, for the dispatch tests.

`MemoryGateway` implements the SmsGateway protocol (webapp.sms.gateway) for the
rules' unit tests; the integration tests send through the real twilio client.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count

from sqlalchemy import func, select

from tests.accounts.factories import create_fls_service
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder, SmsMessage
from webapp.sms.gateway import OutgoingText, SendResult, SmsSendError

# 09:00 in London on a winter weekday (GMT, so UTC and UK agree).
NOW = datetime(2027, 3, 10, 9, 0)
_numbers = count(1)
_sids = count(1)


def create_patient(session, service=None, **overrides) -> Patient:
    """An active, consenting patient on weekly alendronic acid, with a drama-range mobile."""
    number = next(_numbers)
    service = service or create_fls_service(session, name=f"Dispatch Service {number}")
    values = {
        "fls_service_id": service.id, "nhs_number": f"{number:010d}", "first_name": "Ann",
        "last_name": "Example", "date_of_birth": date(1950, 1, 1),
        "mobile": f"+447700900{number % 1000:03d}", "sms_consent": True,
        "reminder_time": time(9, 0), "created_at": NOW, "updated_at": NOW, **overrides,
    }  # fmt: skip
    patient = Patient(**values)
    patient.regimens.append(
        Regimen(medicine="alendronic_acid_weekly", first_dose_date=date(2027, 1, 6), created_at=NOW)
    )
    session.add(patient)
    session.commit()
    return patient


def add_reminder(session, patient, send_at=NOW, kind="dose", regimen=None, **overrides):
    """A planned reminder for `patient`, due at `send_at` (naive UTC)."""
    reminder = Reminder(
        patient_id=patient.id, regimen_id=(regimen or patient.regimens[0]).id, kind=kind,
        due_on=send_at.date(), send_at=send_at, status="planned", status_changed_at=NOW,
        created_at=NOW, **overrides,
    )  # fmt: skip
    session.add(reminder)
    session.commit()
    return reminder


def statuses(session) -> dict[str, int]:
    """How many reminders have each status."""
    session.expire_all()
    rows = session.execute(select(Reminder.status, func.count()).group_by(Reminder.status))
    return dict(rows.all())


def messages(session) -> list[SmsMessage]:
    session.expire_all()
    return session.scalars(select(SmsMessage).order_by(SmsMessage.id)).all()


@dataclass
class MemoryGateway:
    """Accepts every text unless told to refuse one number; remembers what it accepted."""

    sent: list[tuple[OutgoingText, str]] = field(default_factory=list)
    refuse: dict[str, SmsSendError] = field(default_factory=dict)
    asked: list[tuple[str, datetime]] = field(default_factory=list)
    cannot_ask: bool = False

    def send(self, text: OutgoingText) -> SendResult:
        if text.to in self.refuse:
            raise self.refuse[text.to]
        sid = f"SM{next(_sids):032d}"
        self.sent.append((text, sid))
        return SendResult(provider_sid=sid, status="sent")

    def find_sent(self, to: str, since: datetime, body: str) -> SendResult | None:
        self.asked.append((to, since))
        if self.cannot_ask:
            raise SmsSendError("cannot list messages", code=500, retryable=True)
        for text, sid in self.sent:
            if text.to == to and text.body == body:
                return SendResult(provider_sid=sid, status="sent")
        return None

    def pretend_sent(self, to: str, body: str) -> str:
        """A text the provider has, though no answer reached us (the process died)."""
        sid = f"SM{next(_sids):032d}"
        self.sent.append((OutgoingText(0, to, body), sid))
        return sid


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)
