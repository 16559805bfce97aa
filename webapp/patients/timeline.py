"""A patient's timeline: everything that happened to them, newest first, in one list.

Merged from six sources, one query each whatever the patient's history: the
doses they were asked about and what became of them, texts we sent, texts they
sent, the nurse's contacts, the worklist causes a nurse marked handled, and the
changes to their record from the audit log (in words, never field names). A
page covers 12 months up to a day (today by default) and at most MAX_ENTRIES
entries; `Timeline.cut_short` says when the cap left some out, and `older_from`
where the next page would start.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from webapp.clock import to_uk, utc_from_uk
from webapp.models.follow_up import Contact, WorklistHandled
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder, ReminderKind, ReminderStatus, SmsMessage
from webapp.models.replies import InboundMessage
from webapp.models.staff import AuditEvent, StaffMember
from webapp.patients.timeline_words import (
    CHANGE_HEADINGS,
    CONTACT_NAMES,
    DOSE_HEADINGS,
    change_words,
    contact_words,
    dose_words,
    handled_words,
    reply_words,
    text_status,
)

WINDOW = timedelta(days=365)
MAX_ENTRIES = 200
DOSE_KINDS = (ReminderKind.DOSE, ReminderKind.CHECK_IN, ReminderKind.CLINIC_DUE)
BY_TEXT = "The patient, by text"


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened, as the nurse reads it.

    `when` is naive UTC, for sorting; `day_only` entries (a contact recorded on a
    later day) show their date alone. `quoted` is what someone wrote (a text's
    body, a nurse's note), shown as typed and escaped by the template.
    """

    when: datetime
    kind: str  # dose, text_out, text_in, contact, handled, change
    heading: str
    words: str
    who: str | None = None
    quoted: str | None = None
    flags: tuple[str, ...] = ()
    day_only: bool = False

    @cached_property
    def uk_when(self) -> datetime:
        """`when` in UK time, worked out once: the page reads it for every entry shown."""
        return to_uk(self.when)


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    since: date  # the first UK day covered
    until: date  # the last UK day covered
    cut_short: bool  # more than MAX_ENTRIES happened in the window: the oldest are left out
    older_until: date | None  # where the page of older entries ends; None: there are none



def patient_timeline(session: Session, patient: Patient, until: date) -> Timeline:
    """The patient's entries from 12 months before `until` to the end of `until`, newest first."""
    since = until - WINDOW + timedelta(days=1)
    start, end = utc_from_uk(since, time(0, 0)), utc_from_uk(until + timedelta(days=1), time(0, 0))
    found: list[TimelineEntry] = []
    for source in (_doses, _texts_out, _texts_in, _contacts, _handled, _changes):
        found += source(session, patient.id, start, end)
    found.sort(key=lambda entry: entry.when, reverse=True)
    entries, cut_short = found[:MAX_ENTRIES], len(found) > MAX_ENTRIES
    return Timeline(entries, since, until, cut_short,
                    _older_until(entries, since, until, cut_short, patient))  # fmt: skip


def _older_until(entries, since: date, until: date, cut_short: bool, patient: Patient):
    """The last day of the next page back: the oldest day shown when the cap cut the page
    short (its earlier entries appear again there), else the day before this page."""
    if cut_short:
        oldest = entries[-1].uk_when.date()
        return oldest if oldest < until else until - timedelta(days=1)
    enrolled = to_uk(patient.created_at).date()
    return since - timedelta(days=1) if enrolled < since else None


# Each source's query is built once, with the patient and the window as parameters: building
# a statement costs more than running it for one patient's page.
_PATIENT, _START, _END = bindparam("patient_id"), bindparam("start"), bindparam("end")
_DOSES = (
    select(Reminder.send_at, Reminder.kind, Reminder.due_on, Reminder.status,
           Reminder.outcome, Reminder.skip_reason, Reminder.late, Regimen.medicine,
           SmsMessage.body, SmsMessage.status.label("text_status"))
    .join(Regimen, Regimen.id == Reminder.regimen_id)
    .outerjoin(SmsMessage, SmsMessage.id == Reminder.sms_message_id)
    .where(Reminder.patient_id == _PATIENT, Reminder.kind.in_(DOSE_KINDS),
           Reminder.status != ReminderStatus.PLANNED,
           Reminder.send_at >= _START, Reminder.send_at < _END)
    .order_by(Reminder.send_at.desc(), Reminder.id.desc()).limit(MAX_ENTRIES + 1)
)  # fmt: skip


def _window(patient_id: int, start, end) -> dict:
    return {"patient_id": patient_id, "start": start, "end": end}


def _doses(session, patient_id: int, start: datetime, end: datetime) -> list[TimelineEntry]:
    """The doses the patient was asked about, each with its text and what became of it."""
    rows = session.execute(_DOSES, _window(patient_id, start, end)).all()
    return [TimelineEntry(
        when=row.send_at, kind="dose", heading=DOSE_HEADINGS.get(row.kind, row.kind),
        words=dose_words(row), who=BY_TEXT if row.outcome in ("taken", "missed") else None,
        quoted=row.body,
    ) for row in rows]  # fmt: skip


_TEXTS_OUT = (
    select(SmsMessage.claimed_at, SmsMessage.sent_at, SmsMessage.status, SmsMessage.body)
    .where(SmsMessage.patient_id == _PATIENT, SmsMessage.claimed_at >= _START,
           SmsMessage.claimed_at < _END,
           ~select(Reminder.id).where(Reminder.sms_message_id == SmsMessage.id,
                                      Reminder.kind.in_(DOSE_KINDS)).exists())
    .order_by(SmsMessage.claimed_at.desc(), SmsMessage.id.desc()).limit(MAX_ENTRIES + 1)
)  # fmt: skip


def _texts_out(session, patient_id: int, start: datetime, end: datetime) -> list[TimelineEntry]:
    """Texts that asked about no dose (a welcome, a booking, a follow-up): a dose's own
    text is on the dose's entry."""
    rows = session.execute(_TEXTS_OUT, _window(patient_id, start, end)).all()
    return [TimelineEntry(
        when=row.sent_at or row.claimed_at, kind="text_out", heading="Text sent",
        words=text_status(row.status), quoted=row.body,
    ) for row in rows]  # fmt: skip


_TEXTS_IN = (
    select(InboundMessage.received_at, InboundMessage.body, InboundMessage.outcome,
           InboundMessage.urgent, InboundMessage.read_at, InboundMessage.answer)
    .where(InboundMessage.patient_id == _PATIENT, InboundMessage.received_at >= _START,
           InboundMessage.received_at < _END)
    .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
    .limit(MAX_ENTRIES + 1)
)  # fmt: skip


def _texts_in(session, patient_id: int, start: datetime, end: datetime) -> list[TimelineEntry]:
    rows = session.execute(_TEXTS_IN, _window(patient_id, start, end)).all()
    return [TimelineEntry(
        when=row.received_at, kind="text_in", heading="Text received", words=reply_words(row),
        who=BY_TEXT, quoted=row.body,
        flags=tuple(flag for flag, on in (("Urgent", row.urgent), ("Not read", not row.read_at))
                    if on),
    ) for row in rows]  # fmt: skip


_CONTACTS = (
    select(Contact.kind, Contact.happened_on, Contact.note, Contact.recorded_at,
           Regimen.medicine, StaffMember.full_name)
    .outerjoin(Regimen, Regimen.id == Contact.regimen_id)
    .outerjoin(StaffMember, StaffMember.id == Contact.recorded_by_id)
    .where(Contact.patient_id == _PATIENT, Contact.happened_on >= _START,
           Contact.happened_on < _END)
    .order_by(Contact.happened_on.desc(), Contact.id.desc()).limit(MAX_ENTRIES + 1)
)  # fmt: skip


def _contacts(session, patient_id: int, start: datetime, end: datetime) -> list[TimelineEntry]:
    since, until = to_uk(start).date(), to_uk(end).date()
    rows = session.execute(_CONTACTS, _window(patient_id, since, until)).all()
    return [_contact_entry(row) for row in rows]


def _contact_entry(row) -> TimelineEntry:
    """On the day it was recorded, at the moment it was recorded; else on its own day."""
    same_day = to_uk(row.recorded_at).date() == row.happened_on
    when = row.recorded_at if same_day else utc_from_uk(row.happened_on, time(12, 0))
    return TimelineEntry(
        when=when, kind="contact", heading=CONTACT_NAMES.get(row.kind, row.kind),
        words=contact_words(row, not same_day), who=row.full_name, quoted=row.note,
        day_only=not same_day,
    )


_HANDLED = (
    select(WorklistHandled.reason, WorklistHandled.note, WorklistHandled.handled_at,
           StaffMember.full_name)
    .outerjoin(StaffMember, StaffMember.id == WorklistHandled.handled_by_id)
    .where(WorklistHandled.patient_id == _PATIENT, WorklistHandled.handled_at >= _START,
           WorklistHandled.handled_at < _END)
    .order_by(WorklistHandled.handled_at.desc(), WorklistHandled.id.desc())
    .limit(MAX_ENTRIES + 1)
)  # fmt: skip


def _handled(session, patient_id: int, start: datetime, end: datetime) -> list[TimelineEntry]:
    rows = session.execute(_HANDLED, _window(patient_id, start, end)).all()
    return [TimelineEntry(
        when=row.handled_at, kind="handled", heading="Marked as handled",
        words=handled_words(row.reason), who=row.full_name, quoted=row.note,
    ) for row in rows]  # fmt: skip


_CHANGES = (
    select(AuditEvent.occurred_at, AuditEvent.action, AuditEvent.after,
           AuditEvent.actor_id, StaffMember.full_name)
    .outerjoin(StaffMember, StaffMember.id == AuditEvent.actor_id)
    .where(AuditEvent.entity_type == Patient.__tablename__,
           AuditEvent.entity_id == bindparam("patient_id", type_=AuditEvent.entity_id.type),
           AuditEvent.action.in_(list(CHANGE_HEADINGS)),
           AuditEvent.occurred_at >= _START, AuditEvent.occurred_at < _END)
    .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(MAX_ENTRIES + 1)
)  # fmt: skip


def _changes(session, patient_id: int, start: datetime, end: datetime) -> list[TimelineEntry]:
    # The audit log names its entities by text (webapp.accounts.audit).
    rows = session.execute(_CHANGES, _window(str(patient_id), start, end)).all()
    return [TimelineEntry(
        when=row.occurred_at, kind="change", heading=CHANGE_HEADINGS[row.action],
        words=change_words(row.action, row.after or {}), who=_changed_by(row),
    ) for row in rows]  # fmt: skip


def _changed_by(row) -> str:
    if row.action.endswith("_by_sms"):
        return BY_TEXT
    if row.actor_id is None:
        return "BoneCheck"
    return row.full_name or "A former member of staff"
