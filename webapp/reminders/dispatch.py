"""Sending due reminders exactly once: claim, send outside any transaction, record.

One pass (`send_due_reminders`) reconciles texts whose process died between the
claim and the provider's answer, marks too-late reminders `expired`, then in
batches: claims due reminders (webapp.reminders.claiming) in a short committed
transaction, hands each text to the gateway with no transaction open, paced to
a rate cap, and records the answers (webapp.reminders.results) in another short
transaction. Plain functions with `now` passed in; the Flask boundary lives in
webapp.reminders.jobs and the CLI.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from webapp.models.reminders import ReminderStatus
from webapp.phones import mask_number
from webapp.reminders.claiming import (
    ClaimedText,
    ClaimRules,
    claim_due,
    claim_retries,
    expire_late,
)
from webapp.reminders.results import (
    UNANSWERED,
    RetryDelays,
    SendOutcome,
    find_stuck,
    record_outcomes,
    record_reconciled,
    release_unsent,
)
from webapp.sms.gateway import OutgoingText, SmsGateway, SmsSendError

log = logging.getLogger(__name__)
UNKNOWN = "unknown"  # the gateway failed in an unexpected way: the text stays `sending`


class DispatchError(RuntimeError):
    """The gateway failed in a way it should not (not an SmsSendError); the pass stopped."""


@dataclass(frozen=True)
class DispatchSettings:
    """Limits and timings for sending, read from the app's configuration."""

    expiry_after: timedelta = timedelta(hours=3)
    daily_cap: int = 4
    duplicate_window: timedelta = timedelta(hours=1)
    max_per_second: float = 10.0
    stuck_after: timedelta = timedelta(minutes=10)
    retry_first_delay: timedelta = timedelta(minutes=1)
    retry_longest_delay: timedelta = timedelta(minutes=30)
    batch_size: int = 100

    @classmethod
    def from_config(cls, config: Mapping) -> "DispatchSettings":
        """The settings a Flask config (or any mapping with the same keys) names."""
        return cls(
            expiry_after=config["REMINDER_EXPIRY_AFTER"],
            daily_cap=config["SMS_DAILY_CAP_PER_PATIENT"],
            duplicate_window=config["SMS_DUPLICATE_WINDOW"],
            max_per_second=config["SMS_MAX_PER_SECOND"],
            stuck_after=config["SMS_STUCK_AFTER"],
            retry_first_delay=config["SMS_RETRY_FIRST_DELAY"],
            retry_longest_delay=config["SMS_RETRY_LONGEST_DELAY"],
        )

    @property
    def claim_size(self) -> int:
        """Patients a claim takes: about a second's worth of sending, at most `batch_size`.

        Texts claimed but not yet sent when a process dies become `needs_check`, so
        a paced dispatcher claims little at a time and a crash leaves little to check.
        """
        if self.max_per_second <= 0:
            return self.batch_size
        return max(1, min(self.batch_size, int(self.max_per_second)))

    @property
    def rules(self) -> ClaimRules:
        return ClaimRules(self.expiry_after, self.daily_cap, self.duplicate_window)

    @property
    def delays(self) -> RetryDelays:
        return RetryDelays(self.retry_first_delay, self.retry_longest_delay)


@dataclass
class DispatchSummary:
    """What one pass did. Every count is of reminders, except `texts_sent`."""

    sent: int = 0
    expired: int = 0
    skipped: int = 0
    failed: int = 0
    needs_check: int = 0
    retrying: int = 0
    unanswered: int = 0  # left `sending` for reconciliation to settle
    texts_sent: int = 0

    def as_counts(self) -> dict[str, int]:
        """The counts in the order and words the CLI prints them."""
        return {"sent": self.sent, "expired": self.expired, "skipped": self.skipped,
                "failed": self.failed, "needing a check": self.needs_check,
                "waiting to retry": self.retrying,
                "awaiting an answer": self.unanswered}  # fmt: skip


class Pacer:
    """Spaces sends evenly so no more than `per_second` go in any second (0: no cap).

    Twilio queues what a sender cannot send at once and drops what waits too
    long, so a large 09:00 batch is paced here rather than lost there.
    """

    def __init__(self, per_second: float, clock=time.monotonic, sleep=time.sleep) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        """Return when the next send may go."""
        if not self.interval:
            return
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


SessionFactory = Callable[[], Session]


def _clock_from(now: datetime) -> Callable[[], datetime]:
    started = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - started)


@contextmanager
def _transaction(session_factory: SessionFactory) -> Iterator[Session]:
    with session_factory() as session, session.begin():
        yield session


def send_due_reminders(session_factory: SessionFactory, gateway: SmsGateway, now: datetime,
                       settings: DispatchSettings, clock: Callable[[], datetime] | None = None,
                       stop: threading.Event | None = None) -> DispatchSummary:  # fmt: skip
    """Send everything due at `now` (naive UTC) once, and say what happened.

    Safe to run in two processes at once, and again straight after: a reminder
    is claimed by one pass only, and a claimed text is never sent blind twice.
    A paced pass can take minutes, so claims and sends are timed by `clock`:
    `now` moved on by the time the pass has taken, unless the caller gives one.
    Setting `stop` (the scheduler stopping) ends the pass after the text in hand.
    """
    summary = DispatchSummary()
    clock = clock or _clock_from(now)
    _count_reconciled(summary, reconcile_stuck_messages(session_factory, gateway, now, settings))
    pacer = Pacer(settings.max_per_second)
    for claim_batch in (claim_retries, claim_due):
        while not _stopping(stop):
            with _transaction(session_factory) as session:
                summary.expired += expire_late(session, clock(), settings.expiry_after)
                claim = claim_batch(session, clock(), settings.rules, settings.claim_size)
            summary.skipped += claim.skipped
            if not claim.found:
                break
            _send_batch(session_factory, gateway, claim.texts, pacer, settings, clock, summary,
                        stop)  # fmt: skip
    return summary


def _send_batch(session_factory, gateway, texts: list[ClaimedText], pacer: Pacer,
                settings: DispatchSettings, clock, summary: DispatchSummary,
                stop: threading.Event | None) -> None:  # fmt: skip
    """Send claimed texts one by one with no transaction open, then record the answers.

    If the pass is stopped (a signal, an unexpected error) the texts not yet
    handed to the provider are given back; one whose answer never came stays
    `sending` for reconciliation.
    """
    done: list[SendOutcome] = []
    in_flight = 0
    try:
        for text in texts:
            pacer.wait()
            if _stopping(stop):
                break
            in_flight = 1
            done.append(_send_one(gateway, text, clock))
            in_flight = 0
            _log_send(done[-1])
            if done[-1].status == UNKNOWN:
                break
    finally:
        with _transaction(session_factory) as session:
            record_outcomes(session, done, settings.delays)
            release_unsent(session, texts[len(done) + in_flight:], clock())
    _count_outcomes(summary, done)
    if done and done[-1].status == UNKNOWN:
        raise DispatchError(done[-1].error_message or "the SMS gateway failed")


def _stopping(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _send_one(gateway: SmsGateway, text: ClaimedText, clock) -> SendOutcome:
    """One text to the provider: its SID, a retry, a permanent failure, unanswered or unknown."""
    try:
        result = gateway.send(
            OutgoingText(text.message_id, text.to, text.body, valid_for=text.valid_for)
        )
    except SmsSendError as error:
        status = ReminderStatus.RETRY if error.retryable else ReminderStatus.FAILED
        if error.maybe_sent:  # the request arrived, the answer did not: never send it again
            status = UNANSWERED
        return SendOutcome(text, status, clock(), error_code=error.code, error_message=str(error))
    except Exception as error:  # noqa: BLE001  a bug or a broken gateway: stop, keep the claim
        log.exception("The SMS gateway failed on text %s", text.message_id,
                      extra={"message_id": text.message_id})  # fmt: skip
        return SendOutcome(text, UNKNOWN, clock(), error_message=type(error).__name__)
    return SendOutcome(text, ReminderStatus.SENT, clock(), result.provider_sid)


def _log_send(outcome: SendOutcome) -> None:
    """One line a text, never with its body or the whole number."""
    text = outcome.text
    log.info(
        "Text %s %s: %s reminders to %s", text.message_id, outcome.status, text.reminder_count,
        mask_number(text.to),
        extra={"message_id": text.message_id, "reminder_count": text.reminder_count,
               "status": str(outcome.status), "to": mask_number(text.to),
               "attempt": text.attempt, "error_code": outcome.error_code},
    )  # fmt: skip


def _count_outcomes(summary: DispatchSummary, outcomes: list[SendOutcome]) -> None:
    for outcome in outcomes:
        count = outcome.text.reminder_count
        if outcome.status == ReminderStatus.SENT:
            summary.sent += count
            summary.texts_sent += 1
        elif outcome.status == ReminderStatus.RETRY:
            summary.retrying += count
        elif outcome.status == ReminderStatus.FAILED:
            summary.failed += count
        elif outcome.status == UNANSWERED:
            summary.unanswered += count


def _count_reconciled(summary: DispatchSummary, reconciled: dict[str, int]) -> None:
    summary.sent += reconciled.get(ReminderStatus.SENT, 0)
    summary.needs_check += reconciled.get(ReminderStatus.NEEDS_CHECK, 0)


def reconcile_stuck_messages(
    session_factory: SessionFactory, gateway: SmsGateway, now: datetime, settings: DispatchSettings
) -> dict[str, int]:
    """Settle texts left `sending` past the grace period by asking the provider.

    Found: recorded as sent with the provider's SID. Not found, or the provider
    cannot be asked: `needs_check` for a nurse. Never resent blindly, never dropped.
    Returns the reminders settled, by status.
    """
    with _transaction(session_factory) as session:
        stuck = find_stuck(session, now, settings.stuck_after)
    settled: dict[str, int] = {}
    for text in stuck:
        try:
            found = gateway.find_sent(text.to, text.claimed_at, text.body)
        except SmsSendError as error:
            log.warning("Could not ask about text %s: %s", text.message_id, error,
                        extra={"message_id": text.message_id})  # fmt: skip
            found = None
        with _transaction(session_factory) as session:
            status, count = record_reconciled(session, text, found and found.provider_sid, now)
        if status:
            settled[status] = settled.get(status, 0) + count
            log.info("Text %s reconciled: %s", text.message_id, status,
                     extra={"message_id": text.message_id, "status": str(status),
                            "to": mask_number(text.to)})  # fmt: skip
    return settled
