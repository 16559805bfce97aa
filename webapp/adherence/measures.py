"""Adherence for one patient (PDC, persistence, reply rate) and its service-level sums.

- PDC, the proportion of days covered: days a confirmed dose covers, of the
  days measured, over the last 90, 180 or 365 days. Measured from the first
  bone-treatment dose (or the window's start) to today; discharge ends it, a
  stop without discharge does not, so stopping lowers PDC as PDC means it to.
  Days whose answer may still come are not measured yet (OPEN-DOSE).
- Persistence at 12 months: no run of uncovered days longer than the
  permissible gap in the 12 months from the first bone-treatment dose.
  Switching medicine is not a stop: coverage is the union over medicines.
- Reply rate: the dose, check-in and clinic prompts of the last 12 months whose
  answer is settled, and how many of them the patient answered.

Definitions and sources: docs/clinical/adherence.md.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from webapp.adherence.coverage import Treatment, days_in, gaps, merge, read_treatment
from webapp.adherence.facts import KpiResult, PatientFacts, Rate
from webapp.reminders.replies import ReplyOutcome
from webapp.reminders.schedule import add_months

# PDC of 80% or more is the usual "adherent" cut-off (PQA; docs/clinical/adherence.md, PDC-80).
ADHERENT_PDC = 0.80
# Longest run of uncovered days that is still persistence: 30, 60 and 90 days are all
# used in osteoporosis studies (BMC Musculoskelet Disord 2007;8:97; Cramer et al.,
# Value Health 2008); 60 sits in the middle (docs/clinical/adherence.md, GAP).
PERMISSIBLE_GAP_DAYS = 60
PDC_WINDOWS = (90, 180, 365)
PERSISTENCE_MONTHS = 12
REPLY_RATE_MONTHS = 12
_ANSWERED = frozenset({ReplyOutcome.TAKEN, ReplyOutcome.MISSED})
_DAY = timedelta(days=1)


def pdc(facts: PatientFacts, today: date, days: int) -> float | None:
    """The proportion of days covered over the last `days` days; None with nothing measured."""
    return pdc_of(read_treatment(facts, today), today, days)


def pdc_of(treatment: Treatment, today: date, days: int) -> float | None:
    """`pdc` from a treatment already read (summarise reads it once per patient)."""
    covered, measured = days_covered(treatment, today, days)
    return covered / measured if measured else None


def days_covered(treatment: Treatment, today: date, days: int) -> tuple[int, int]:
    """(days covered, days measured) over the `days` days ending today."""
    return covered_between(treatment, today - timedelta(days=days - 1), today + _DAY)


def covered_between(treatment: Treatment, start: date, end: date) -> tuple[int, int]:
    """(days covered, days measured) in `[start, end)`, from the first bone-treatment dose
    and until discharge, leaving out days whose answer may still come."""
    if treatment.first_dose is None:
        return 0, 0
    start = max(start, treatment.first_dose)
    if treatment.ends is not None:
        end = min(end, treatment.ends)
    if end <= start:
        return 0, 0
    measured = (end - start).days - days_in(treatment.unasked, start, end)
    return days_in(treatment.covered, start, end), measured


def persistence_at_12_months(
    facts: PatientFacts, today: date, gap_days: int = PERMISSIBLE_GAP_DAYS
) -> bool | None:
    """Whether the patient stayed on bone treatment for the 12 months from the first dose.

    None until those 12 months have passed, and when discharge came before
    they did (the service stopped following them, so nobody knows).
    """
    return persistence_of(read_treatment(facts, today), today, gap_days)


def persistence_of(treatment: Treatment, today: date, gap_days: int = PERMISSIBLE_GAP_DAYS
                   ) -> bool | None:  # fmt: skip
    """`persistence_at_12_months` from a treatment already read."""
    if treatment.first_dose is None:
        return None
    year_end = add_months(treatment.first_dose, PERSISTENCE_MONTHS)
    if year_end > today or (treatment.ends is not None and treatment.ends < year_end):
        return None
    # A day whose answer may still come is not held against the patient.
    known = merge((*treatment.covered, *treatment.unasked))
    return all((after - first).days <= gap_days
               for first, after in gaps(known, treatment.first_dose, year_end))  # fmt: skip


def reply_rate(facts: PatientFacts, today: date) -> tuple[int, int]:
    """(asked, answered): dose, check-in and clinic prompts sent in the last 12 months
    whose answer is settled, and how many of them had TAKEN or MISSED for an answer.

    A prompt still awaiting its answer is left out until it settles, so a
    reply not yet due does not lower the rate. Follow-ups, welcome, booking and
    LATER texts are not questions of their own and are not counted.
    """
    return reply_rate_of(read_treatment(facts, today), today)


def reply_rate_of(treatment: Treatment, today: date) -> tuple[int, int]:
    """`reply_rate` from a treatment already read."""
    since = add_months(today, -REPLY_RATE_MONTHS)
    asked = answered = 0
    for prompt in treatment.answered:
        if prompt.sent_on is not None and since < prompt.sent_on <= today:
            asked += 1
            answered += prompt.outcome in _ANSWERED
    return asked, answered


def adherent_rate(pdcs: Iterable[float | None]) -> Rate:
    """Patients with a PDC of 80% or more, of patients with a PDC."""
    measured = [value for value in pdcs if value is not None]
    return Rate(sum(value >= ADHERENT_PDC for value in measured), len(measured))


def mean_pdc(pdcs: Iterable[float | None]) -> float | None:
    """The mean PDC of the patients with one; None when nobody has one."""
    measured = [value for value in pdcs if value is not None]
    return sum(measured) / len(measured) if measured else None


def persistent_rate(values: Iterable[bool | None]) -> Rate:
    """Patients persistent at 12 months, of patients whose 12 months have passed."""
    known = [value for value in values if value is not None]
    return Rate(sum(known), len(known))


def replies_rate(pairs: Iterable[tuple[int, int]]) -> Rate:
    """Prompts answered of prompts asked, summed over patients: `reply_rate` pairs."""
    asked = answered = 0
    for patient_asked, patient_answered in pairs:
        asked += patient_asked
        answered += patient_answered
    return Rate(answered, asked)


def kpi_rate(results: Iterable[KpiResult | str]) -> Rate:
    """An FLS-DB indicator's rate: met of (met + not met); patients not yet due, with
    no fracture date or not recommended treatment are outside the denominator."""
    met = not_met = 0
    for result in results:
        met += result == KpiResult.MET
        not_met += result == KpiResult.NOT_MET
    return Rate(met, met + not_met)
