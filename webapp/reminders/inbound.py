"""Receiving a patient's text: record it once, understand it, apply it, say what to answer.

Pure service, no Flask: the webhook (after Twilio's signature check) and the
offline outbox page both call `receive_reply`, and the caller commits once.

- The message is recorded first, keyed by the provider's MessageSid; the same
  SID again (Twilio retrying) is refused by the UNIQUE constraint inside a
  savepoint and changes nothing: the first answer is given again.
- A number that is no patient's is kept masked, without the body, and gets
  one generic answer that names no one.
- TAKEN or MISSED goes to the most recent text still awaiting an answer (every
  dose that text asked about); after its follow-up went, or once counted as
  no response, it still counts and is marked late. Nothing open: kept for the
  team. A side effect is urgent for the nurse; the dose is still taken when
  the text says so. STOP opts out at once, START (or YES after a STOP) opts back
  in: Twilio confirms both itself, so we answer nothing. LATER plans one more
  reminder (a first-thing tablet: the next morning).
- Nothing answers an automatic reply or one of our own texts, and past a burst
  of messages from one number in a short time nothing more is answered (each
  is still recorded and applied: a STOP or a side effect is never lost).
- A reply left for the nurse to read (a side effect, a STOP, free text) works
  the patient's figures and worklist out again in the same transaction
  (webapp.adherence.refresh), so it is on the worklist at the next page load.
  A TAKEN or MISSED answered here waits for the 5-minute job: most replies are
  those, and refreshing each at once cost up to half the webhook's rate (bench/inbound.py).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change, snapshot
from webapp.adherence.refresh import refresh_patients
from webapp.clock import to_uk, uk_today
from webapp.models.patients import OptOutBy, Patient, PatientStatus
from webapp.models.reminders import Reminder, ReminderKind, ReminderStatus
from webapp.models.replies import InboundMessage, ReplyChannel
from webapp.phones import PhoneNumberError, mask_number, parse_uk_number
from webapp.reminders import reply_wording as say
from webapp.reminders.follow_ups import NO_RESPONSE, PROMPT_KINDS
from webapp.reminders.medicines import MEDICINES, Medicine
from webapp.reminders.outbox_sql import insert_new_reminders
from webapp.reminders.planning import cancel_planned, plan_for_patient
from webapp.reminders.replies import ReplyOutcome, UnderstoodReply, normalise, understand_reply
from webapp.reminders.sending_times import SendingRules
from webapp.sms.receipts import BLOCK_FIELDS, UNSUBSCRIBED

# Twilio joins a long text into one body of up to 1,600 characters; nothing longer is kept.
LONGEST_BODY = 1600
_MESSAGE_SID = re.compile(r"[A-Za-z0-9]{1,40}")
# Texts a patient had the chance to answer: the provider accepted them.
_REACHED = (ReminderStatus.SENT, ReminderStatus.DELIVERED, ReminderStatus.UNKNOWN)
_ASKING_AGAIN = (ReminderKind.FOLLOW_UP, ReminderKind.LATER)
_AUTOMATIC = re.compile(
    r"\b(?:auto ?reply|auto ?response|automatic reply|automated (?:reply|response|message)"
    r"|out of (?:the )?office|do not disturb|(?:im|i m|i am) driving|this is an automated)\b"
)
# Our own sentences coming back (a phone forwarding texts, another system echoing them).
_OUR_SENTENCES = tuple(
    normalise(sentence)
    for sentence in (say.STOP_LINE, say.TAKEN, say.MISSED_RECORDED, say.NOTHING_OPEN, say.UNCLEAR,
                     say.UNKNOWN_NUMBER, say.PASSED_TO_TEAM, "Reply TAKEN or MISSED.")
)  # fmt: skip


class InvalidInboundMessage(ValueError):
    """A webhook without the MessageSid or the sender's number: nothing can be recorded."""


@dataclass(frozen=True)
class ReplySettings:
    """How replies are handled; from config (`reply_settings`)."""

    later_after: timedelta = timedelta(hours=2)  # LATER: remind once more after this
    burst_limit: int = 5  # answers to one number within `burst_window`
    burst_window: timedelta = timedelta(minutes=10)
    open_days: int = 14  # a text sent longer ago than this no longer awaits an answer
    plan_days: int = 14  # START: reminders planned this far ahead


def reply_settings(config) -> ReplySettings:
    """The settings from the app's config (REPLY_* and REMINDER_PLAN_DAYS)."""
    return ReplySettings(
        later_after=config["REPLY_LATER_AFTER"], burst_limit=config["REPLY_BURST_LIMIT"],
        burst_window=config["REPLY_BURST_WINDOW"], open_days=config["REPLY_OPEN_DAYS"],
        plan_days=config["REMINDER_PLAN_DAYS"],
    )


@dataclass(frozen=True)
class ReplyResult:
    """What to answer (None: nothing, Twilio answers itself or nothing should), and the record."""

    answer: str | None
    message: InboundMessage
    repeated: bool = False  # the same MessageSid again: nothing was changed


def receive_reply(
    session: Session, message_sid: str, from_number: str, body: str | None, now: datetime,
    settings: ReplySettings, channel: str = ReplyChannel.TWILIO, patient: Patient | None = None,
) -> ReplyResult:  # fmt: skip
    """Record one inbound text, apply what it says, and return the answer to send.

    `patient` is given when a nurse types a reply as one of her service's patients
    (the offline outbox), so a number shared with another service's patient cannot
    send it there; otherwise the patient is found by the number."""
    message_sid = (message_sid or "").strip()
    from_number = (from_number or "").replace("\x00", "").strip()
    if not _MESSAGE_SID.fullmatch(message_sid) or not from_number:
        raise InvalidInboundMessage("An inbound text needs its MessageSid and From number.")
    # PostgreSQL text cannot hold NUL; nobody types one.
    body = (body or "").replace("\x00", "")[:LONGEST_BODY]
    number = _e164(from_number)
    patient = patient or find_patient(session, number)
    message = _record(session, message_sid, number, body, patient, now, channel)
    if message is None:
        repeat = session.scalars(
            select(InboundMessage).where(InboundMessage.provider_sid == message_sid)
        ).one()
        return ReplyResult(repeat.answer, repeat, repeated=True)
    answer = _respond(session, message, patient, body, now, settings)
    if answer is not None and _in_a_burst(session, message, now, settings):
        answer, message.ignored_reason = None, message.ignored_reason or "too many messages"
    message.answer = answer
    session.flush()
    if patient is not None and message.read_at is None:
        refresh_patients(session, [patient.id], now)
    return ReplyResult(answer, message)


def find_patient(session: Session, number: str) -> Patient | None:
    """The patient with this mobile number: an active one first, then the latest changed."""
    return session.scalars(
        select(Patient).where(Patient.mobile == number)
        .order_by(case((Patient.status == PatientStatus.ACTIVE, 0), else_=1),
                  Patient.updated_at.desc(), Patient.id.desc())
        .limit(1)
    ).first()  # fmt: skip


def _e164(typed: str) -> str:
    try:
        return parse_uk_number(typed, allow_drama=True).e164
    except PhoneNumberError:
        return typed[:24]


def _record(session, sid, number, body, patient, now, channel) -> InboundMessage | None:
    """Insert the message in a savepoint; None when the SID is already recorded."""
    message = InboundMessage(
        provider_sid=sid, channel=str(channel), patient=patient, received_at=now,
        from_number=number if patient is not None else mask_number(number)[:24],
        body=body if patient is not None else None,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    return message


def _respond(session, message, patient, body, now, settings) -> str | None:
    """Apply the message and return the answer (None: no answer)."""
    text = normalise(body)
    if _AUTOMATIC.search(text) or any(ours in text for ours in _OUR_SENTENCES if ours):
        message.ignored_reason, message.read_at = "automatic reply", now
        return None
    opted_out = patient is not None and patient.status == PatientStatus.OPTED_OUT
    understood = understand_reply(body, opted_out=opted_out)
    message.outcome, message.urgent = str(understood.outcome), understood.urgent
    if patient is None:
        message.ignored_reason, message.read_at = "not a patient's number", now
        if understood.outcome in (ReplyOutcome.STOP, ReplyOutcome.START):
            return None
        return say.unknown_number_answer()
    answer = _apply(session, message, patient, understood, now, settings)
    if not _may_answer(patient):
        return None  # after a STOP the provider refuses our texts (21610) until START
    return answer


def _may_answer(patient: Patient) -> bool:
    return patient.status != PatientStatus.OPTED_OUT and patient.sms_blocked_code is None


def _apply(session, message, patient, understood: UnderstoodReply, now, settings) -> str | None:
    service, outcome = patient.fls_service, understood.outcome
    if outcome == ReplyOutcome.STOP:
        _opt_out(session, patient, now)
        return None
    if outcome == ReplyOutcome.START:
        _opt_in(session, patient, now, settings)
        return None
    if outcome == ReplyOutcome.HELP:
        message.read_at = now
        return say.help_answer(service)
    if outcome == ReplyOutcome.UNCLEAR:
        return say.unclear_answer(service)
    prompts, asked_again = _open_prompts(session, message, patient, now, settings)
    if outcome == ReplyOutcome.SIDE_EFFECT:
        taken = understood.also_taken and bool(prompts)
        if taken:
            _record_outcome(session, message, prompts, asked_again, ReplyOutcome.TAKEN, now)
        return say.side_effect_answer(service, understood.needs_999, taken)
    if not prompts:
        message.ignored_reason = "nothing awaiting an answer"  # kept for the team
        return say.nothing_open_answer(service)
    message.read_at = now
    if outcome == ReplyOutcome.LATER:
        return say.later_answer(service, _remind_later(session, patient, prompts, now, settings),
                                now)  # fmt: skip
    _record_outcome(session, message, prompts, asked_again, outcome, now)
    if outcome == ReplyOutcome.TAKEN:
        return say.taken_answer(service)
    return say.missed_answer(service, _missed_advice_for(prompts), patient.discreet)


def _open_prompts(session, message, patient, now, settings) -> tuple[list[Reminder], set]:
    """The prompts of the most recent text still awaiting an answer, and the (regimen,
    dose date) keys already asked about again (a follow-up or LATER reminder sent)."""
    texts = session.scalars(
        select(Reminder).where(
            Reminder.patient_id == patient.id,
            Reminder.kind.in_([*PROMPT_KINDS, *_ASKING_AGAIN]), Reminder.status.in_(_REACHED),
            Reminder.sms_message_id.is_not(None),
            Reminder.send_at >= now - timedelta(days=settings.open_days),
        ).order_by(Reminder.send_at.desc(), Reminder.id.desc())
    ).all()  # fmt: skip
    asked_again = {(r.regimen_id, r.due_on) for r in texts if r.kind in _ASKING_AGAIN}
    prompts = _prompts_by_key(session, patient, {(r.regimen_id, r.due_on) for r in texts})
    for sms_message_id in dict.fromkeys(r.sms_message_id for r in texts):
        keys = dict.fromkeys((r.regimen_id, r.due_on) for r in texts
                             if r.sms_message_id == sms_message_id)  # fmt: skip
        open_ = [prompts[key] for key in keys
                 if key in prompts and prompts[key].outcome in (None, NO_RESPONSE)]  # fmt: skip
        if open_:
            message.answered_message_id = sms_message_id
            return open_, asked_again
    return [], asked_again


def _prompts_by_key(session, patient, keys) -> dict:
    if not keys:
        return {}
    rows = session.scalars(
        select(Reminder).where(
            Reminder.patient_id == patient.id, Reminder.kind.in_(PROMPT_KINDS),
            Reminder.regimen_id.in_({key[0] for key in keys}),
            Reminder.due_on.in_({key[1] for key in keys}),
        )
    ).all()  # fmt: skip
    return {(r.regimen_id, r.due_on): r for r in rows if (r.regimen_id, r.due_on) in keys}


def _record_outcome(session, message, prompts, asked_again, outcome, now) -> None:
    """The outcome on each prompt, late when it had been asked again or counted unanswered;
    planned follow-ups and LATER reminders for those doses are no longer needed."""
    for prompt in prompts:
        key = (prompt.regimen_id, prompt.due_on)
        prompt.late = prompt.outcome == NO_RESPONSE or key in asked_again
        prompt.outcome, prompt.reply_id = str(outcome), message.id
        message.late = message.late or prompt.late
        session.execute(
            update(Reminder).where(
                Reminder.regimen_id == prompt.regimen_id, Reminder.due_on == prompt.due_on,
                Reminder.kind.in_(_ASKING_AGAIN), Reminder.status == ReminderStatus.PLANNED,
            ).values(status=ReminderStatus.SKIPPED, skip_reason="answered", status_changed_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip


def _missed_advice_for(prompts: list[Reminder]) -> list[Medicine]:
    """Medicines whose missed dose has a rule to pass on: weekly and monthly tablets, and
    clinic doses (call the team); a week of daily doses has none that fits."""
    entries = [MEDICINES.get(prompt.regimen.medicine) for prompt in prompts]
    return [entry for entry in dict.fromkeys(entries)
            if entry is not None and not entry.is_daily]  # fmt: skip


def _remind_later(session, patient, prompts, now, settings) -> datetime | None:
    """Plan the one LATER reminder for each dose asked about; None if one was already
    asked for (or texts may not go to the patient now)."""
    keys = [(p.regimen_id, p.due_on) for p in prompts]
    already = session.scalar(
        select(func.count()).select_from(Reminder).where(
            Reminder.patient_id == patient.id, Reminder.kind == ReminderKind.LATER,
            Reminder.regimen_id.in_({key[0] for key in keys}),
            Reminder.due_on.in_({key[1] for key in keys}),
        )
    )  # fmt: skip
    if already or not patient.may_be_texted:
        return None
    service = patient.fls_service
    rules = SendingRules(patient.reminder_time, service.sms_sending_starts,
                         service.sms_sending_ends)  # fmt: skip
    entries = [MEDICINES.get(p.regimen.medicine) for p in prompts]
    send_at = max(later_time(entry, rules, now, settings.later_after) for entry in entries)
    insert_new_reminders(session, [
        {"patient_id": patient.id, "regimen_id": regimen_id, "kind": str(ReminderKind.LATER),
         "due_on": due_on, "send_at": send_at, "status": str(ReminderStatus.PLANNED),
         "status_changed_at": now, "created_at": now}
        for regimen_id, due_on in keys
    ])  # fmt: skip
    session.execute(
        update(Reminder).where(
            Reminder.patient_id == patient.id, Reminder.kind == ReminderKind.FOLLOW_UP,
            Reminder.status == ReminderStatus.PLANNED,
            Reminder.regimen_id.in_({key[0] for key in keys}),
            Reminder.due_on.in_({key[1] for key in keys}),
        ).values(status=ReminderStatus.SKIPPED, skip_reason="reminding later as asked",
                 status_changed_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return send_at


def later_time(entry: Medicine | None, rules: SendingRules, now: datetime,
               later_after: timedelta) -> datetime:  # fmt: skip
    """When a LATER reminder goes: `later_after` from now if that is still today inside the
    sending hours; otherwise, and always for a first-thing-in-the-morning tablet (its window
    has passed once the day has started), the patient's time the next morning."""
    tomorrow = rules.send_at(uk_today(now) + timedelta(days=1), entry)
    if entry is not None and entry.reminder_window is not None:
        return tomorrow
    candidate = to_uk(now + later_after)
    clock = candidate.time().replace(tzinfo=None)
    if candidate.date() == uk_today(now) and rules.starts <= clock < rules.ends:
        return now + later_after
    return tomorrow


def _opt_out(session, patient: Patient, now: datetime) -> None:
    """STOP: no more texts from now, recorded as by SMS, planned reminders skipped."""
    if patient.status not in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
        return
    before = snapshot(patient, BLOCK_FIELDS)
    patient.status, patient.opted_out_by, patient.opted_out_at = (
        PatientStatus.OPTED_OUT, OptOutBy.SMS, now)
    patient.paused_until, patient.updated_at = None, now
    record_change(session, None, "patient.opted_out_by_sms", patient, before,
                  snapshot(patient, BLOCK_FIELDS), now=now)  # fmt: skip
    cancel_planned(session, patient, now, "opted out by SMS")


def _opt_in(session, patient: Patient, now: datetime, settings: ReplySettings) -> None:
    """START after the patient's own STOP: texts again, reminders planned. An opt-out the
    nurse recorded is the nurse's to undo, so it stays (the message is kept for them)."""
    if patient.status != PatientStatus.OPTED_OUT or patient.opted_out_by != OptOutBy.SMS:
        return
    before = snapshot(patient, BLOCK_FIELDS)
    patient.status, patient.opted_out_by, patient.opted_out_at = PatientStatus.ACTIVE, None, None
    if patient.sms_blocked_code == UNSUBSCRIBED:  # the provider's own opt-out is undone too
        patient.sms_blocked_code = patient.sms_blocked_reason = patient.sms_blocked_at = None
    patient.updated_at = now
    record_change(session, None, "patient.opted_in_by_sms", patient, before,
                  snapshot(patient, BLOCK_FIELDS), now=now)  # fmt: skip
    plan_for_patient(session, patient, now, settings.plan_days)


def _in_a_burst(session, message, now, settings) -> bool:
    """Whether this number has already sent `burst_limit` messages within the window."""
    earlier = session.scalar(
        select(func.count()).select_from(InboundMessage).where(
            InboundMessage.from_number == message.from_number,
            InboundMessage.received_at > now - settings.burst_window,
            InboundMessage.id != message.id,
        )
    )  # fmt: skip
    return earlier >= settings.burst_limit


def forget_reply_bodies(session: Session, now: datetime, keep_for: timedelta) -> int:
    """Delete the words of replies received more than `keep_for` ago (personal data),
    keeping what they meant (outcome, urgent, late) and the answer; returns how many."""
    result = session.execute(
        update(InboundMessage)
        .where(InboundMessage.received_at < now - keep_for, InboundMessage.body.is_not(None))
        .values(body=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
