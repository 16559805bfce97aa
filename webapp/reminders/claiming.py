"""Claiming due reminders, so that two dispatchers at once never send one twice.

A claim is one short transaction: the due reminders of a batch of patients are
checked against the rules (may this patient be texted now? is the medicine
still taken? is the daily cap reached? did the same text just go?), the ones
that may not go are marked `skipped` with the reason, and the rest become one
`SmsMessage` a patient, recorded as `sending` before the provider is called.

On PostgreSQL the patients are locked with `FOR UPDATE SKIP LOCKED`, so two
dispatchers take different patients and a patient's reminders are never split
between two texts. SQLite has no row locks (SQLAlchemy drops the clause), so
every claim is also a conditional `UPDATE … WHERE status = 'planned'` checked by
its row count: whatever another dispatcher took first is left to it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from webapp.clock import uk_today, uk_wall_clock, utc_from_uk
from webapp.models.patients import Patient, PatientStatus
from webapp.models.reminders import Reminder, ReminderStatus, SmsMessage
from webapp.models.staff import FlsService
from webapp.reminders.wording import compose_text, count_segments

PLANNED, SENDING, RETRY = ReminderStatus.PLANNED, ReminderStatus.SENDING, ReminderStatus.RETRY
# Texts that did not reach the patient: they count towards neither the cap nor duplicates.
NOT_SENT = (ReminderStatus.FAILED, ReminderStatus.EXPIRED, ReminderStatus.SKIPPED)
_reminders = Reminder.__table__
_messages = SmsMessage.__table__


@dataclass(frozen=True)
class ClaimedText:
    """A text this dispatcher has claimed and now sends (or asks about first)."""

    message_id: int
    patient_id: int | None
    to: str
    body: str
    reminder_count: int
    valid_for: timedelta | None
    attempt: int = 1


@dataclass
class ClaimRules:
    """The limits a claim checks, from configuration."""

    expiry_after: timedelta
    daily_cap: int
    duplicate_window: timedelta


@dataclass
class Claim:
    """What one claim transaction did."""

    texts: list[ClaimedText]
    skipped: int = 0
    expired: int = 0
    found: int = 0  # patients or texts due: 0 means nothing is left to claim


def expire_late(session: Session, now: datetime, expiry_after: timedelta) -> int:
    """Mark `expired` every reminder more than `expiry_after` late, planned or waiting to retry.

    After an outage nobody gets a 09:00 reminder at 23:00. Safe in two processes
    at once: each row changes only from the status it is read in.
    """
    cutoff = now - expiry_after
    planned = session.execute(
        update(_reminders)
        .where(_reminders.c.status == PLANNED, _reminders.c.send_at < cutoff)
        .values(status=ReminderStatus.EXPIRED, status_changed_at=now)
    ).rowcount
    late = select(Reminder.id).where(
        Reminder.sms_message_id == SmsMessage.id, Reminder.send_at < cutoff
    )
    message_ids = session.scalars(
        select(SmsMessage.id).where(SmsMessage.status == RETRY, late.exists())
    ).all()
    if not message_ids:
        return planned
    session.execute(
        update(_messages)
        .where(_messages.c.id.in_(message_ids), _messages.c.status == RETRY)
        .values(status=ReminderStatus.EXPIRED, status_changed_at=now, next_attempt_at=None)
    )
    retried = session.execute(
        update(_reminders)
        .where(_reminders.c.sms_message_id.in_(message_ids), _reminders.c.status == SENDING)
        .values(status=ReminderStatus.EXPIRED, status_changed_at=now)
    ).rowcount
    return planned + retried


def claim_due(session: Session, now: datetime, rules: ClaimRules, batch_size: int) -> Claim:
    """Claim the due reminders of up to `batch_size` patients; the caller commits."""
    due = select(Reminder.patient_id).where(Reminder.status == PLANNED, Reminder.send_at <= now)
    patient_ids = session.scalars(
        select(Patient.id)
        .where(Patient.id.in_(due))
        .order_by(Patient.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    if not patient_ids:
        return Claim([])
    reminders = session.scalars(
        select(Reminder)
        .where(Reminder.patient_id.in_(patient_ids), Reminder.status == PLANNED,
               Reminder.send_at <= now)
        .order_by(Reminder.patient_id, Reminder.send_at, Reminder.id)
        .options(selectinload(Reminder.patient).selectinload(Patient.fls_service)
                 .lazyload(FlsService.districts), selectinload(Reminder.regimen))
    ).all()  # fmt: skip
    by_patient: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_patient[reminder.patient_id].append(reminder)
    claim = _claim_groups(session, now, rules, by_patient)
    claim.found = len(patient_ids)
    return claim


def _claim_groups(session, now, rules, by_patient: dict[int, list[Reminder]]) -> Claim:
    skips: list[tuple[Reminder, str]] = []
    groups: list[tuple[Patient, list[Reminder], str]] = []
    sent_today = _texts_today(session, now, list(by_patient))
    recent = _recent_texts(session, now - rules.duplicate_window,
                           {group[0].patient.mobile for group in by_patient.values()})
    for reminders in by_patient.values():
        patient = reminders[0].patient
        going, skipped = _apply_rules(patient, reminders, now, rules, sent_today)
        body = compose_text(going, patient, patient.fls_service) if going else ""
        if going and (patient.mobile, body) in recent:
            skipped += [(r, "the same text went to this number just before") for r in going]
            going = []
        skips += skipped
        if going:
            recent.add((patient.mobile, body))
            groups.append((patient, going, body))
    skipped_count = _mark_skipped(session, now, skips)
    return Claim(_insert_messages(session, now, rules, groups), skipped_count)


def _apply_rules(patient, reminders, now, rules, sent_today):
    """Split a patient's due reminders into those that may go and those skipped, with why."""
    reason = patient_skip_reason(patient, now)
    if reason is None and sent_today.get(patient.id, 0) >= rules.daily_cap:
        reason = f"the daily limit of {rules.daily_cap} texts was reached"
    if reason is not None:
        return [], [(reminder, reason) for reminder in reminders]
    today = uk_today(now)
    going = [r for r in reminders if r.regimen.is_current(today)]
    stopped = [(r, "the medicine was stopped") for r in reminders if r not in going]
    return going, stopped


def patient_skip_reason(patient: Patient, now: datetime) -> str | None:
    """Why no text may go to `patient` at `now`, or None when one may."""
    if patient.status != PatientStatus.ACTIVE:
        return f"the patient is {patient.status.replace('_', ' ')}"
    if not patient.sms_consent:
        return "no consent to texts"
    if patient.sms_blocked_code is not None:
        return f"texts to this number stopped (error {patient.sms_blocked_code})"
    service = patient.fls_service
    if not _within_hours(uk_wall_clock(now), service.sms_sending_starts, service.sms_sending_ends):
        return "outside the service's sending hours"
    return None


def _within_hours(moment: time, starts: time, ends: time) -> bool:
    return starts <= moment < ends


def _texts_today(session, now, patient_ids) -> dict[int, int]:
    """Texts each patient has been sent (or is being sent) since midnight, UK time."""
    midnight = utc_from_uk(uk_today(now), time(0))
    rows = session.execute(
        select(SmsMessage.patient_id, func.count())
        .where(SmsMessage.patient_id.in_(patient_ids), SmsMessage.claimed_at >= midnight,
               SmsMessage.status.not_in(NOT_SENT))
        .group_by(SmsMessage.patient_id)
    ).all()  # fmt: skip
    return dict(rows)


def _recent_texts(session, since, numbers) -> set[tuple[str, str]]:
    """(number, text) of every text that went, or is going, to these numbers since `since`."""
    rows = session.execute(
        select(SmsMessage.to_number, SmsMessage.body)
        .where(SmsMessage.to_number.in_(numbers), SmsMessage.claimed_at >= since,
               SmsMessage.status.not_in(NOT_SENT))
    ).all()  # fmt: skip
    return {(number, body) for number, body in rows}


def _mark_skipped(session, now, skips: list[tuple[Reminder, str]]) -> int:
    if not skips:
        return 0
    statement = (
        update(_reminders)
        .where(_reminders.c.id == bindparam("b_id"), _reminders.c.status == PLANNED)
        .values(status=ReminderStatus.SKIPPED, skip_reason=bindparam("b_reason"),
                status_changed_at=now)
    )  # fmt: skip
    params = [{"b_id": reminder.id, "b_reason": reason[:60]} for reminder, reason in skips]
    return session.execute(statement, params).rowcount


def _insert_messages(session, now, rules, groups) -> list[ClaimedText]:
    """One `sending` message a patient, then the conditional claim of its reminders."""
    if not groups:
        return []
    rows = [
        {"patient_id": patient.id, "to_number": patient.mobile, "body": body,
         "segments": _segments(body), "status": SENDING, "claimed_at": now,
         "status_changed_at": now, "attempts": 1}
        for patient, _, body in groups
    ]  # fmt: skip
    message_ids = session.scalars(
        insert(SmsMessage).returning(SmsMessage.id, sort_by_parameter_order=True), rows
    ).all()
    wanted = {
        reminder.id: message_id
        for message_id, (_, reminders, _) in zip(message_ids, groups, strict=True)
        for reminder in reminders
    }
    claimed = _claim_reminders(session, now, wanted)
    texts = []
    for message_id, (patient, reminders, body) in zip(message_ids, groups, strict=True):
        mine = [r for r in reminders if claimed.get(r.id) == message_id]
        if len(mine) != len(reminders):
            body = _rewrite_or_drop(session, message_id, mine, patient)
        if mine:
            texts.append(ClaimedText(message_id, patient.id, patient.mobile, body, len(mine),
                                     _valid_for(mine, now, rules.expiry_after)))
    return texts


def _claim_reminders(session, now, wanted: dict[int, int]) -> dict[int, int]:
    """Claim each reminder for its message only if it is still planned.

    The row count says whether every claim held; when another dispatcher took
    some first (SQLite reads no locks), the rows are read back to see whose is whose.
    """
    statement = (
        update(_reminders)
        .where(_reminders.c.id == bindparam("b_id"), _reminders.c.status == PLANNED)
        .values(status=SENDING, sms_message_id=bindparam("b_message"), status_changed_at=now)
    )
    params = [{"b_id": rid, "b_message": mid} for rid, mid in wanted.items()]
    if session.execute(statement, params).rowcount == len(wanted):
        return wanted
    rows = session.execute(
        select(Reminder.id, Reminder.sms_message_id).where(
            Reminder.sms_message_id.in_(set(wanted.values())), Reminder.status == SENDING
        )
    ).all()
    return dict(rows)


def _rewrite_or_drop(session, message_id, mine, patient) -> str:
    """Another dispatcher took some of this text's reminders: drop it, or word it for the rest."""
    if not mine:
        session.execute(delete(_messages).where(_messages.c.id == message_id))
        return ""
    body = compose_text(mine, patient, patient.fls_service)
    session.execute(
        update(_messages)
        .where(_messages.c.id == message_id)
        .values(body=body, segments=_segments(body))
    )
    return body


@lru_cache(maxsize=4096)
def _segments(body: str) -> int:
    """Segments of a text; many patients of one service get the same words on a day."""
    return count_segments(body).segments


def _valid_for(reminders, now, expiry_after) -> timedelta:
    """How long the provider may hold the text before it is too late to be worth sending."""
    left = min(r.send_at for r in reminders) + expiry_after - now
    return max(left, timedelta(minutes=1))


def claim_retries(session: Session, now: datetime, rules: ClaimRules, batch_size: int) -> Claim:
    """Claim texts whose retry time has come, checking the patient may still be texted.

    Only texts the provider certainly did not accept wait here (see
    webapp.reminders.results), so sending one again cannot double it.
    """
    messages = session.scalars(
        select(SmsMessage)
        .where(SmsMessage.status == RETRY, SmsMessage.next_attempt_at <= now)
        .order_by(SmsMessage.next_attempt_at, SmsMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True, of=SmsMessage)
        .options(selectinload(SmsMessage.patient).selectinload(Patient.fls_service))
    ).all()
    counts = _reminder_counts(session, [message.id for message in messages])
    claim = Claim([], found=len(messages))
    for message in messages:
        reason = patient_skip_reason(message.patient, now) if message.patient else "no patient"
        if reason is not None:
            claim.skipped += _skip_message(session, now, message.id, reason)
        elif _claim_message(session, now, message.id):
            count, earliest = counts.get(message.id, (0, now))
            claim.texts.append(ClaimedText(
                message.id, message.patient_id, message.to_number, message.body, count,
                max(earliest + rules.expiry_after - now, timedelta(minutes=1)),
                message.attempts + 1,
            ))  # fmt: skip
    return claim


def _reminder_counts(session, message_ids) -> dict[int, tuple[int, datetime]]:
    rows = session.execute(
        select(Reminder.sms_message_id, func.count(), func.min(Reminder.send_at))
        .where(Reminder.sms_message_id.in_(message_ids))
        .group_by(Reminder.sms_message_id)
    ).all()
    return {message_id: (count, earliest) for message_id, count, earliest in rows}


def _claim_message(session, now, message_id) -> bool:
    """Take a waiting text for this dispatcher, only if no other took it first."""
    return session.execute(
        update(_messages)
        .where(_messages.c.id == message_id, _messages.c.status == RETRY)
        .values(status=SENDING, claimed_at=now, attempts=_messages.c.attempts + 1,
                next_attempt_at=None, status_changed_at=now)
    ).rowcount == 1  # fmt: skip


def _skip_message(session, now, message_id, reason) -> int:
    taken = session.execute(
        update(_messages)
        .where(_messages.c.id == message_id, _messages.c.status == RETRY)
        .values(status=ReminderStatus.SKIPPED, next_attempt_at=None, status_changed_at=now)
    ).rowcount
    if not taken:
        return 0
    return session.execute(
        update(_reminders)
        .where(_reminders.c.sms_message_id == message_id, _reminders.c.status == SENDING)
        .values(status=ReminderStatus.SKIPPED, skip_reason=reason[:60], status_changed_at=now)
    ).rowcount
