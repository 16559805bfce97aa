"""Which days a confirmed dose covers, as sorted, merged date spans.

A dose confirmed by the patient (a TAKEN reply), by the nurse (a dose given in
clinic or by the GP, or the regimen's date last given) covers the days until
the next is due: a weekly tablet 7 days, a monthly tablet to the same day next
month, a daily text its day, a weekly check-in the 7 days it reports, denosumab
6 months, zoledronic acid 12 months, romosozumab a month
(docs/clinical/adherence.md, COVER). Where two doses cover the same day the day
counts once (a union): an early dose is not carried forward to add days, as
PDC is defined to stop a patient with spare doses counting above 100%.

Calcium and vitamin D is an adjunct, not a bone treatment: it covers nothing
here and plays no part in PDC, persistence or the audit indicators.

Spans are half-open `(first day, day after the last)`, kept sorted and merged,
never sets of days: this runs over a million dose rows.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from webapp.adherence.facts import PatientFacts, PromptFacts, RegimenFacts
from webapp.models.follow_up import DOSES_GIVEN
from webapp.models.patients import PatientStatus
from webapp.models.reminders import ReminderKind, ReminderStatus
from webapp.reminders.medicines import MEDICINES, Medicine
from webapp.reminders.replies import ReplyOutcome
from webapp.reminders.schedule import add_months, check_in_dates

Span = tuple[date, date]  # (first day, day after the last)

# An adjunct to bone treatment, not one itself (PLAN: the FLS-DB counts bone therapy).
ADJUNCT = "calcium_vitamin_d_daily"
# The prompts that ask about a dose; welcome, booking, follow-up and LATER texts do not.
PROMPT_KINDS = frozenset({ReminderKind.DOSE, ReminderKind.CHECK_IN, ReminderKind.CLINIC_DUE})
# A prompt in one of these never reached the patient, so no answer will come.
NEVER_REACHED = frozenset(
    {ReminderStatus.SKIPPED, ReminderStatus.EXPIRED, ReminderStatus.FAILED,
     ReminderStatus.UNDELIVERED}
)  # fmt: skip
# An unanswered prompt becomes "no response" a day after its follow-up went
# (webapp.reminders.follow_ups); one more day lets the job that marks it run.
ANSWER_SETTLES = timedelta(days=2)
_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_TAKEN = str(ReplyOutcome.TAKEN)
# Days-counted medicines: the timedelta one dose covers, made once.
_EVERY = {code: timedelta(days=entry.every_days) for code, entry in MEDICINES.items()
          if entry.every_days is not None}  # fmt: skip


def is_bone_treatment(code: str) -> bool:
    """A medicine that counts as bone treatment: every known medicine but the adjunct."""
    return code in MEDICINES and code != ADJUNCT


def bone_regimens(facts: PatientFacts) -> dict[int, RegimenFacts]:
    """The patient's bone-treatment regimens by id, current or not."""
    return {reg.id: reg for reg in facts.regimens if is_bone_treatment(reg.medicine)}


def is_current(regimen: RegimenFacts, today: date) -> bool:
    """As Regimen.is_current: not stopped, and not past its end date, on `today`."""
    if regimen.stopped_on is not None and regimen.stopped_on <= today:
        return False
    return regimen.end_date is None or regimen.end_date >= today


def interval_from(entry: Medicine, day: date) -> Span:
    """The days one dose taken on `day` covers: until the next is due."""
    step = _EVERY.get(entry.code)
    if step is not None:
        return day, day + step
    return day, add_months(day, entry.every_months)


def prompt_span(prompt: PromptFacts, regimen: RegimenFacts, entry: Medicine) -> Span:
    """The days a TAKEN answer to `prompt` covers.

    A weekly check-in asks on its due date about the week just gone, so it
    covers the 7 days before it; every other prompt covers its dose's interval.
    """
    if prompt.kind == ReminderKind.CHECK_IN and not regimen.daily_texts:
        return prompt.due_on - _WEEK, prompt.due_on
    return interval_from(entry, prompt.due_on)


class Dose(NamedTuple):
    """One confirmed dose of a bone treatment: the day it counts from and what it covers.

    A named tuple rather than a dataclass: a patient has hundreds, made on every refresh.
    """

    regimen_id: int
    day: date
    span: Span


def confirmed_doses(facts: PatientFacts) -> list[Dose]:
    """Every confirmed bone-treatment dose: TAKEN replies, doses given, dates last given."""
    regimens = bone_regimens(facts)
    doses = []
    for prompt in facts.prompts:
        if prompt.outcome != _TAKEN or prompt.kind not in PROMPT_KINDS:
            continue
        regimen = regimens.get(prompt.regimen_id)
        if regimen is not None:
            span = prompt_span(prompt, regimen, MEDICINES[regimen.medicine])
            doses.append(Dose(regimen.id, span[0], span))
    for contact in facts.contacts:
        regimen = regimens.get(contact.regimen_id)
        if contact.kind in DOSES_GIVEN and regimen is not None:
            span = interval_from(MEDICINES[regimen.medicine], contact.happened_on)
            doses.append(Dose(regimen.id, contact.happened_on, span))
    for regimen in regimens.values():
        if regimen.last_given_date is not None and MEDICINES[regimen.medicine].in_clinic:
            span = interval_from(MEDICINES[regimen.medicine], regimen.last_given_date)
            doses.append(Dose(regimen.id, regimen.last_given_date, span))
    return doses


def awaiting_answer(prompt: PromptFacts, entry: Medicine, today: date) -> bool:
    """Whether an answer to `prompt` may still come: sent (or about to be), unanswered,
    and not yet old enough to have been counted as no response."""
    if prompt.kind not in PROMPT_KINDS or prompt.outcome is not None:
        return False
    if prompt.status in NEVER_REACHED:
        return False
    settles = prompt.due_on + timedelta(days=entry.follow_up_days or 0) + ANSWER_SETTLES
    return today <= settles


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans sorted and joined where they overlap or touch: each day once."""
    merged: list[list[date]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def days_in(spans: tuple[Span, ...], start: date, end: date) -> int:
    """How many days of merged `spans` fall in `[start, end)`."""
    total = 0
    for first, after in spans[_first_reaching(spans, start):]:
        if first >= end:
            break
        total += (min(after, end) - max(first, start)).days
    return total


def covers(spans: tuple[Span, ...], day: date) -> bool:
    """Whether `day` is in one of the merged `spans`."""
    return days_in(spans, day, day + _DAY) == 1


def gaps(spans: tuple[Span, ...], start: date, end: date) -> list[Span]:
    """The runs of days in `[start, end)` that no span covers, in order."""
    found, cursor = [], start
    for first, after in spans[_first_reaching(spans, start):]:
        if first >= end:
            break
        if first > cursor:
            found.append((cursor, first))
        cursor = max(cursor, after)
    if cursor < end:
        found.append((cursor, end))
    return found


def subtract(spans: tuple[Span, ...], taken_away: tuple[Span, ...]) -> tuple[Span, ...]:
    """The days of merged `spans` that are not in merged `taken_away`."""
    left = []
    for start, end in spans:
        left.extend(gaps(taken_away, start, end))
    return tuple(left)


def _first_reaching(spans: tuple[Span, ...], day: date) -> int:
    """The index of the first span that ends after `day` (spans are sorted and disjoint)."""
    return bisect_right(spans, day, key=lambda span: span[1])


@dataclass(frozen=True)
class Treatment:
    """One patient's bone treatment as the measures read it, worked out once.

    `unasked` holds days no confirmed dose covers whose answer may still come
    (docs/clinical/adherence.md, OPEN-DOSE): they are left out of the days measured.
    `ends` is the discharge date: discharge ends measurement, a stop does not.
    `answered` holds the dose, check-in and clinic prompts of any medicine whose
    answer is settled (taken, missed, no response), oldest first.
    """

    regimens: dict[int, RegimenFacts]
    doses: tuple[Dose, ...]
    covered: tuple[Span, ...]
    unasked: tuple[Span, ...]
    first_dose: date | None
    ends: date | None
    answered: tuple[PromptFacts, ...]


def read_treatment(facts: PatientFacts, today: date) -> Treatment:
    """The patient's confirmed doses, days covered and days still awaiting an answer."""
    regimens = bone_regimens(facts)
    doses = tuple(confirmed_doses(facts))
    covered = merge(dose.span for dose in doses)
    awaiting = merge(_awaiting_spans(facts, regimens, today))
    first = min((reg.first_dose_date for reg in regimens.values()), default=None)
    ends = facts.discharged_on if facts.status == PatientStatus.DISCHARGED else None
    answered = sorted(
        (prompt for prompt in facts.prompts
         if prompt.outcome is not None and prompt.kind in PROMPT_KINDS),
        key=lambda prompt: (prompt.due_on, prompt.id),
    )  # fmt: skip
    unasked = subtract(awaiting, covered)
    return Treatment(regimens, doses, covered, unasked, first, ends, tuple(answered))


def _awaiting_spans(facts: PatientFacts, regimens: dict[int, RegimenFacts], today: date):
    """Spans of prompts still awaiting an answer, and the check-in week in progress."""
    for prompt in facts.prompts:
        if prompt.outcome is not None:
            continue
        regimen = regimens.get(prompt.regimen_id)
        if regimen is not None and awaiting_answer(prompt, MEDICINES[regimen.medicine], today):
            yield prompt_span(prompt, regimen, MEDICINES[regimen.medicine])
    for regimen in regimens.values():
        yield from _week_in_progress(regimen, today)


def _week_in_progress(regimen: RegimenFacts, today: date):
    """A weekly check-in asks about the week just gone, so the days since the last one
    have not been asked about yet: they wait for the next check-in."""
    entry = MEDICINES[regimen.medicine]
    if not entry.is_daily or regimen.daily_texts:
        return
    upcoming = check_in_dates(regimen, entry, today + _DAY, today + timedelta(days=7))
    if upcoming:
        yield upcoming[0] - timedelta(days=7), today + _DAY
