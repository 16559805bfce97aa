"""One patient's figures, indicators and worklist reasons, worked out in one pass.

`summarise` is what the rollup job runs over every patient of every service
(10,000 patients with a hundred prompts each in a few seconds), so it reads the
patient's treatment once (webapp.adherence.coverage.read_treatment) and hands it
to each measure; every measure is linear, or n log n in the patient's rows.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from webapp.adherence.coverage import Treatment, is_bone_treatment, is_current, read_treatment
from webapp.adherence.facts import MonthCoverage, PatientFacts, PatientSummary
from webapp.adherence.kpis import kpi_9, kpi_10, kpi_11
from webapp.adherence.measures import (
    covered_between,
    days_covered,
    pdc_of,
    persistence_of,
    reply_rate_of,
)
from webapp.adherence.worklist import worklist_reasons
from webapp.reminders.schedule import add_months

# The patient page's chart: this month and the 11 before it.
CHART_MONTHS = 12


def summarise(facts: PatientFacts, today: date) -> PatientSummary:
    """Everything stored for one patient: PDC, persistence, reply rate, KPIs 9–11, worklist,
    and the months of the patient page's chart."""
    treatment = read_treatment(facts, today)
    covered_365, measured_365 = days_covered(treatment, today, 365)
    asked, answered = reply_rate_of(treatment, today)
    return PatientSummary(
        patient_id=facts.id,
        medicine=shown_medicine(facts, today),
        pdc_90=pdc_of(treatment, today, 90),
        pdc_180=pdc_of(treatment, today, 180),
        pdc_365=covered_365 / measured_365 if measured_365 else None,
        days_covered_365=covered_365,
        days_measured_365=measured_365,
        persistent_12m=persistence_of(treatment, today),
        prompts_asked=asked,
        prompts_answered=answered,
        kpi_9=kpi_9(facts, today, treatment),
        kpi_10=kpi_10(facts, today, treatment),
        kpi_11=kpi_11(facts, today, treatment),
        worklist=worklist_reasons(facts, today, treatment),
        months=months_covered(treatment, today),
    )


def shown_medicine(facts: PatientFacts, today: date) -> str | None:
    """The medicine the nurse sees beside the patient: the current bone treatment (the most
    recently started if two), else the most recently started regimen of any kind."""
    bone = [reg for reg in facts.regimens
            if is_current(reg, today) and is_bone_treatment(reg.medicine)]  # fmt: skip
    for candidates in (bone, list(facts.regimens)):
        if candidates:
            return max(candidates, key=lambda reg: (reg.first_dose_date, reg.id)).medicine
    return None


def monthly_coverage(facts: PatientFacts, today: date, months: int = CHART_MONTHS
                     ) -> list[MonthCoverage]:  # fmt: skip
    """Days covered of days measured in each of the last `months` calendar months, oldest
    first, this month to today: the patient page's chart and its table."""
    return list(months_covered(read_treatment(facts, today), today, months))


def months_covered(treatment: Treatment, today: date, months: int = CHART_MONTHS
                   ) -> tuple[MonthCoverage, ...]:  # fmt: skip
    """`monthly_coverage` from a treatment already read."""
    this_month = today.replace(day=1)
    return tuple(_month(treatment, add_months(this_month, -back), today)
                 for back in range(months - 1, -1, -1))  # fmt: skip


def stored_months(months: Sequence[MonthCoverage]) -> list[list[int]]:
    """The months as `patient_measures.monthly_coverage` keeps them: [days covered, days
    measured] pairs, oldest first, the last for the month the figures were worked out in."""
    return [[month.days_covered, month.days_measured] for month in months]


def months_from_store(stored: Sequence[Sequence[int]], worked_out_on: date
                      ) -> list[MonthCoverage]:  # fmt: skip
    """The months back from what `stored_months` kept, on the UK day they were worked out."""
    this_month = worked_out_on.replace(day=1)
    last = len(stored) - 1
    return [MonthCoverage(add_months(this_month, index - last), covered, measured)
            for index, (covered, measured) in enumerate(stored)]  # fmt: skip


def _month(treatment: Treatment, first: date, today: date) -> MonthCoverage:
    end = min(add_months(first, 1), today + timedelta(days=1))
    covered, measured = covered_between(treatment, first, end)
    return MonthCoverage(month=first, days_covered=covered, days_measured=measured)
