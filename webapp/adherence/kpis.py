"""FLS-DB KPIs 9, 10 and 11 for one patient.

The denominator of each is the patients recommended bone treatment, which
BoneCheck reads as patients enrolled with a bone-treatment regimen (the
FLS-DB methodology document could not be read; docs/clinical/adherence.md,
KPI-DENOMINATOR). A patient counts once the indicator's point has passed:
until then they are NOT_DUE, outside the denominator, so a rate never drops
because of a patient who still has time.

- KPI 9: a monitoring contact within 16 weeks of the fracture.
- KPI 10: treatment started by the 16-week follow-up.
- KPI 11: still on treatment 52 weeks after the fracture, in a window of
  weeks 48 to 56 (YEAR-WINDOW).
"""

from datetime import date, timedelta

from webapp.adherence.coverage import Treatment, days_in, read_treatment
from webapp.adherence.facts import KpiResult, PatientFacts
from webapp.models.follow_up import CONFIRMATIONS, MONITORING_CONTACTS
from webapp.reminders.replies import ReplyOutcome

# 16 weeks after the fracture: the FLS-DB's follow-up point (KPIs 9 and 10).
SIXTEEN_WEEKS = timedelta(weeks=16)
# 52 weeks after the fracture (KPI 11), give or take 4 weeks: weeks 48 to 56.
FIFTY_TWO_WEEKS = timedelta(weeks=52)
YEAR_WINDOW_WEEKS = 4
# Replies that show the patient engaged with their treatment: a monitoring contact by SMS.
# STOP, START, HELP and replies we could not understand are not.
UNDERSTOOD_REPLIES = frozenset(
    {ReplyOutcome.TAKEN, ReplyOutcome.MISSED, ReplyOutcome.LATER, ReplyOutcome.SIDE_EFFECT}
)


def year_window(fracture_date: date) -> tuple[date, date]:
    """The days around 52 weeks after the fracture that count for KPI 11, as a span."""
    middle = fracture_date + FIFTY_TWO_WEEKS
    spread = timedelta(weeks=YEAR_WINDOW_WEEKS)
    return middle - spread, middle + spread + timedelta(days=1)


def kpi_9(facts: PatientFacts, today: date, treatment: Treatment | None = None) -> KpiResult:
    """A monitoring contact (a call, a visit or an understood SMS reply) within 16 weeks."""
    treatment = treatment or read_treatment(facts, today)
    point = _point(facts, treatment, today, SIXTEEN_WEEKS)
    if point is not None:
        return point
    end = facts.fracture_date + SIXTEEN_WEEKS
    return _met(had_monitoring_contact(facts, facts.fracture_date, end))


def kpi_10(facts: PatientFacts, today: date, treatment: Treatment | None = None) -> KpiResult:
    """Treatment started by the 16-week follow-up: a confirmed dose or a confirmation
    from the GP or pharmacy on or before 16 weeks after the fracture."""
    treatment = treatment or read_treatment(facts, today)
    point = _point(facts, treatment, today, SIXTEEN_WEEKS)
    if point is not None:
        return point
    return _met(started_by(facts, treatment, facts.fracture_date + SIXTEEN_WEEKS))


def kpi_11(facts: PatientFacts, today: date, treatment: Treatment | None = None) -> KpiResult:
    """Still on treatment at 52 weeks: a day in weeks 48 to 56 covered by a confirmed dose,
    or a confirmation from the GP or pharmacy in that window."""
    treatment = treatment or read_treatment(facts, today)
    last_day = FIFTY_TWO_WEEKS + timedelta(weeks=YEAR_WINDOW_WEEKS)
    point = _point(facts, treatment, today, last_day)
    if point is not None:
        return point
    return _met(confirmed_in_year_window(facts, treatment))


def had_monitoring_contact(facts: PatientFacts, start: date, end: date) -> bool:
    """A call, a visit or an understood SMS reply on a day from `start` to `end`."""
    return any(
        contact.kind in MONITORING_CONTACTS and start <= contact.happened_on <= end
        for contact in facts.contacts
    ) or any(
        reply.outcome in UNDERSTOOD_REPLIES and start <= reply.received_on <= end
        for reply in facts.replies
    )


def started_by(facts: PatientFacts, treatment: Treatment, last_day: date) -> bool:
    """A confirmed dose, or treatment confirmed by the GP or pharmacy, on or before `last_day`."""
    if any(dose.day <= last_day for dose in treatment.doses):
        return True
    return any(day <= last_day for day in _confirmation_days(facts, treatment))


def confirmed_in_year_window(facts: PatientFacts, treatment: Treatment) -> bool:
    """A day of the KPI 11 window covered by a confirmed dose, or a confirmation in it."""
    start, end = year_window(facts.fracture_date)
    if days_in(treatment.covered, start, end):
        return True
    return any(start <= day < end for day in _confirmation_days(facts, treatment))


def _confirmation_days(facts: PatientFacts, treatment: Treatment):
    """Days the GP or a pharmacy confirmed bone treatment (about no regimen, or a bone one)."""
    for contact in facts.contacts:
        if contact.kind in CONFIRMATIONS and (
            contact.regimen_id is None or contact.regimen_id in treatment.regimens
        ):
            yield contact.happened_on


def _point(facts: PatientFacts, treatment: Treatment, today: date, after: timedelta
           ) -> KpiResult | None:  # fmt: skip
    """Why the patient is outside the denominator, or None when they are in it."""
    if not treatment.regimens:
        return KpiResult.NO_TREATMENT
    if facts.fracture_date is None:
        return KpiResult.NO_FRACTURE_DATE
    if facts.fracture_date + after >= today:
        return KpiResult.NOT_DUE
    return None


def _met(met: bool) -> KpiResult:
    return KpiResult.MET if met else KpiResult.NOT_MET
