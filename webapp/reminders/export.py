"""Every reminder as CSV, one row a reminder, for audit and for checking what went.

Times are ISO 8601 in UK time with the offset of the day (2027-03-28T09:00:00+01:00),
so a reader needs no time-zone rules. The file is written beside its final name
and renamed into place, so a reader never sees half a file, and a failure leaves
any earlier export as it was. Every cell goes through webapp.csv_safe.
"""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import csv_safe
from webapp.clock import to_uk
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder, SmsMessage

COLUMNS = ("nhs_number", "medicine", "kind", "due_at", "status", "sent_at", "provider_sid",
           "error_code", "outcome", "late")  # fmt: skip


def uk_timestamp(moment: datetime | None) -> str:
    """A stored naive-UTC time as ISO 8601 in UK time with its offset; blank for none."""
    return to_uk(moment).isoformat(timespec="seconds") if moment else ""


def reminder_rows(session: Session, service_id: int | None = None) -> Iterator[tuple]:
    """One row a reminder (of one service, or all), by service, patient and time."""
    query = (
        select(Patient.nhs_number, Regimen.medicine, Reminder.kind, Reminder.send_at,
               Reminder.status, SmsMessage.sent_at, SmsMessage.provider_sid,
               SmsMessage.error_code, Reminder.outcome, Reminder.late)
        .join(Patient, Reminder.patient_id == Patient.id)
        .join(Regimen, Reminder.regimen_id == Regimen.id)
        .outerjoin(SmsMessage, Reminder.sms_message_id == SmsMessage.id)
        .order_by(Patient.fls_service_id, Patient.nhs_number, Reminder.send_at, Reminder.id)
        .execution_options(yield_per=1000)
    )  # fmt: skip
    if service_id is not None:
        query = query.where(Patient.fls_service_id == service_id)
    for row in session.execute(query):
        nhs, medicine, kind, due_at, status, sent_at, sid, code, outcome, late = row
        # `late` is yes/no (csv_safe writes a bool so): whether the answer came after the
        # follow-up or once counted as no response.
        yield (nhs, medicine, kind, uk_timestamp(due_at), status, uk_timestamp(sent_at), sid,
               code, outcome, bool(late))  # fmt: skip


def write_reminders_csv(session: Session, path: Path, service_id: int | None = None) -> int:
    """Write the reminders to `path` through a temporary file renamed into place.

    Returns how many rows. Raises OSError if the file cannot be written; nothing
    is left behind then.
    """
    return csv_safe.write_csv_atomically(path, COLUMNS, reminder_rows(session, service_id))
