"""Reading the rows the measures need, for many patients at once.

`load_facts` turns patients' rows into `PatientFacts` snapshots with one query
a table (patients, the audit entries that date a pause, regimens, reminders,
replies, contacts, the last texts), whatever the number of patients. It selects
columns, not ORM objects: a service's reminders run to a million rows, and
building an object for each would cost more than the measures themselves.
Stored times are naive UTC; the facts hold UK dates (webapp.clock), as a nurse
counts days. Every tuple in a `PatientFacts` is in id order.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session

from webapp.adherence.facts import (
    ContactFacts,
    PatientFacts,
    PromptFacts,
    RegimenFacts,
    ReplyFacts,
    TextFacts,
)
from webapp.clock import utc_from_uk
from webapp.models.follow_up import Contact
from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.reminders import Reminder, ReminderStatus, SmsMessage
from webapp.models.replies import InboundMessage
from webapp.models.staff import AuditEvent

# The texts read back to count failures in a row: enough for any worklist threshold.
LAST_TEXTS = 10
# A text still with the dispatcher has no fate yet: not "the last text" until it has one.
_IN_FLIGHT = (ReminderStatus.SENDING, ReminderStatus.RETRY)
_FAILED = (ReminderStatus.FAILED, ReminderStatus.UNDELIVERED)
# Reminders that went to the patient; their day is the text's, else their own send time.
_WENT = frozenset({ReminderStatus.SENT, ReminderStatus.DELIVERED, ReminderStatus.UNDELIVERED,
                   ReminderStatus.UNKNOWN})  # fmt: skip
# Audit actions that start a pause, and those that end one (webapp.patients.records, inbound).
_PAUSE_STARTS = ("pause",)
_PAUSE_ENDS = ("resume", "opt-out", "discharge", "patient.opted_out_by_sms",
               "patient.opted_in_by_sms")  # fmt: skip


def uk_date(moment: datetime | None) -> date | None:
    """The UK date of a stored naive-UTC time (None stays None).

    The same as `to_uk(moment).date()`, many times faster over a million rows:
    each UTC date's two UK midnights are worked out once (webapp.clock), and a
    time is then placed between them by two comparisons, exact on the days the
    clocks change too."""
    if moment is None:
        return None
    day = moment.date()
    bounds = _UK_DAYS.get(day) or _uk_day_bounds(day)
    if moment >= bounds[1]:
        return bounds[4]
    if moment < bounds[0]:
        return bounds[2]
    return bounds[3]


# UTC date -> (when its UK day starts, when the next starts, in naive UTC; the day
# before, the day itself, the day after). A few thousand dates at most: never pruned.
_UK_DAYS: dict[date, tuple[datetime, datetime, date, date, date]] = {}
_DAY = timedelta(days=1)


def _uk_day_bounds(day: date) -> tuple[datetime, datetime, date, date, date]:
    """UK midnight is never in a missing or repeated hour (the clocks change at 01:00 and
    02:00), so it has exactly one UTC instant."""
    bounds = (utc_from_uk(day, time(0, 0)), utc_from_uk(day + _DAY, time(0, 0)),
              day - _DAY, day, day + _DAY)  # fmt: skip
    _UK_DAYS[day] = bounds
    return bounds


def load_facts(session: Session, patient_ids: Sequence[int], today: date
               ) -> dict[int, PatientFacts]:  # fmt: skip
    """Each patient's facts, by id, as they stand on `today` (the UK date).

    Reminders still planned for a day after `today` are not facts yet and are
    left out. Ids with no patient are left out too.
    """
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    patients = session.execute(
        select(Patient.id, Patient.status, Patient.created_at, Patient.fracture_date,
               Patient.opted_out_at, Patient.discharged_at, Patient.sms_blocked_at)
        .where(Patient.id.in_(ids))
    ).all()  # fmt: skip
    paused = _pause_started(session, [p.id for p in patients if p.status == PatientStatus.PAUSED])
    regimens, prompts = _regimens(session, ids), _prompts(session, ids, today)
    replies, contacts = _replies(session, ids), _contacts(session, ids)
    texts = _last_texts(session, ids)
    return {
        row.id: PatientFacts(
            id=row.id, status=row.status, enrolled_on=uk_date(row.created_at),
            fracture_date=row.fracture_date, paused_on=paused.get(row.id),
            opted_out_on=uk_date(row.opted_out_at), discharged_on=uk_date(row.discharged_at),
            sms_blocked_on=uk_date(row.sms_blocked_at), last_text=texts.get(row.id),
            regimens=tuple(regimens[row.id]), prompts=tuple(prompts[row.id]),
            replies=tuple(replies[row.id]), contacts=tuple(contacts[row.id]),
        )
        for row in patients
    }  # fmt: skip


def _pause_started(session: Session, paused_ids: list[int]) -> dict[int, date]:
    """When each paused patient's current pause began: the first pause after the last
    change that ended one. Only the audit log knows; a patient with no entry is left out."""
    if not paused_ids:
        return {}
    events = session.execute(
        select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.occurred_at)
        .where(AuditEvent.entity_type == Patient.__tablename__,
               AuditEvent.entity_id.in_([str(i) for i in paused_ids]),
               AuditEvent.action.in_(_PAUSE_STARTS + _PAUSE_ENDS))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()  # fmt: skip
    started: dict[int, datetime | None] = {}
    for event in events:
        patient_id = int(event.entity_id)
        if event.action in _PAUSE_ENDS:
            started[patient_id] = None
        elif started.get(patient_id) is None:
            started[patient_id] = event.occurred_at
    return {patient_id: uk_date(at) for patient_id, at in started.items() if at is not None}


def _regimens(session: Session, ids: list[int]) -> dict[int, list[RegimenFacts]]:
    rows = session.execute(
        select(Regimen.patient_id, Regimen.id, Regimen.medicine, Regimen.first_dose_date,
               Regimen.end_date, Regimen.last_given_date, Regimen.stopped_on,
               Regimen.switched_to_id, Regimen.daily_texts)
        .where(Regimen.patient_id.in_(ids)).order_by(Regimen.id)
    )  # fmt: skip
    return _grouped(
        (row.patient_id, RegimenFacts(
            id=row.id, medicine=row.medicine, first_dose_date=row.first_dose_date,
            end_date=row.end_date, last_given_date=row.last_given_date,
            stopped_on=row.stopped_on, switched_to_id=row.switched_to_id,
            daily_texts=row.daily_texts))
        for row in rows
    )  # fmt: skip


def _prompts(session: Session, ids: list[int], today: date) -> dict[int, list[PromptFacts]]:
    rows = session.execute(
        select(Reminder.patient_id, Reminder.id, Reminder.regimen_id, Reminder.kind,
               Reminder.due_on, _went_at(), Reminder.status, Reminder.outcome)
        # A text carries reminders of its own patient only (webapp.reminders.claiming): saying
        # so lets PostgreSQL read these patients' texts by index rather than hash every text
        # of every patient for each batch.
        .outerjoin(SmsMessage, (SmsMessage.id == Reminder.sms_message_id)
                   & SmsMessage.patient_id.in_(ids))
        .where(Reminder.patient_id.in_(ids),
               (Reminder.status != ReminderStatus.PLANNED) | (Reminder.due_on <= today))
        .order_by(Reminder.id)
    )  # fmt: skip
    # Positional, and the rows unpacked: this runs for every reminder of every patient.
    return _grouped(
        (patient_id, PromptFacts(reminder_id, regimen_id, kind, due_on, uk_date(went_at),
                                 status, outcome))
        for patient_id, reminder_id, regimen_id, kind, due_on, went_at, status, outcome in rows
    )  # fmt: skip


def _went_at():
    """When a reminder went to the patient: its text's send time, else (the text gone) its
    own; NULL for one that never went (planned, skipped, expired, failed, in flight).
    Worked out in the query, so a million rows bring one time each, not two."""
    return case(
        (Reminder.status.in_(_WENT), func.coalesce(SmsMessage.sent_at, Reminder.send_at)),
        else_=null(),
    ).label("went_at")


def _replies(session: Session, ids: list[int]) -> dict[int, list[ReplyFacts]]:
    rows = session.execute(
        select(InboundMessage.patient_id, InboundMessage.id, InboundMessage.received_at,
               InboundMessage.outcome, InboundMessage.urgent,
               InboundMessage.read_at.is_not(None))
        .where(InboundMessage.patient_id.in_(ids)).order_by(InboundMessage.id)
    )  # fmt: skip
    return _grouped(
        (patient_id, ReplyFacts(reply_id, uk_date(received_at), outcome, urgent, bool(read)))
        for patient_id, reply_id, received_at, outcome, urgent, read in rows
    )  # fmt: skip


def _contacts(session: Session, ids: list[int]) -> dict[int, list[ContactFacts]]:
    rows = session.execute(
        select(Contact.patient_id, Contact.id, Contact.kind, Contact.happened_on,
               Contact.regimen_id)
        .where(Contact.patient_id.in_(ids)).order_by(Contact.id)
    )  # fmt: skip
    return _grouped(
        (row.patient_id, ContactFacts(id=row.id, kind=row.kind, happened_on=row.happened_on,
                                      regimen_id=row.regimen_id))
        for row in rows
    )  # fmt: skip


def _last_texts(session: Session, ids: list[int]) -> dict[int, TextFacts]:
    """Each patient's most recent settled text, and how many of the last LAST_TEXTS in a
    row (from the most recent back) failed or were undelivered."""
    newest_first = func.row_number().over(
        partition_by=SmsMessage.patient_id,
        order_by=(SmsMessage.claimed_at.desc(), SmsMessage.id.desc()),
    ).label("place")
    recent = (
        select(SmsMessage.patient_id, SmsMessage.id, SmsMessage.status, SmsMessage.sent_at,
               SmsMessage.claimed_at, newest_first)
        .where(SmsMessage.patient_id.in_(ids), SmsMessage.status.not_in(_IN_FLIGHT))
        .subquery()
    )  # fmt: skip
    rows = session.execute(
        select(recent).where(recent.c.place <= LAST_TEXTS)
        .order_by(recent.c.patient_id, recent.c.place)
    )  # fmt: skip
    by_patient = _grouped((row.patient_id, row) for row in rows)
    return {patient_id: _text_facts(texts) for patient_id, texts in by_patient.items()}


def _text_facts(newest_first: list) -> TextFacts:
    last, failed = newest_first[0], 0
    for text in newest_first:
        if text.status not in _FAILED:
            break
        failed += 1
    return TextFacts(id=last.id, status=last.status, failed_in_a_row=failed,
                     sent_on=uk_date(last.sent_at or last.claimed_at))  # fmt: skip


def _grouped(pairs: Iterable[tuple[int, object]]) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups
