"""The adherence part of the patient page: the 12-month chart and the figures behind it.

Both are the patient's rollup in `patient_measures` (one row), as the worklist
and the overview count them, shown with the time they were worked out: the
chart's months (webapp.adherence.summary.months_covered) and the figures (PDC,
persistence, reply rate, KPIs 9 to 11). The rollup is worked out again at once
when a reply comes or the nurse records something, and by the scheduled job.
"""

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy.orm import Session

from webapp.adherence.facts import KpiResult, MonthCoverage
from webapp.adherence.kpis import YEAR_WINDOW_WEEKS
from webapp.adherence.measures import ADHERENT_PDC, PERMISSIBLE_GAP_DAYS
from webapp.adherence.summary import months_from_store
from webapp.charts import adherence_chart, coverage, month_name, percent
from webapp.clock import to_uk, uk_today
from webapp.models.follow_up import PatientMeasures
from webapp.models.patients import Patient

# FLS-DB KPIs 9 to 11, as docs/clinical/adherence.md defines them: the patient's standing.
KPIS = {
    9: ("Monitoring contact within 16 weeks of the fracture",
        "A call or visit recorded, or a reply about their treatment (as reported by SMS), "
        "from the fracture to 16 weeks after it"),
    10: ("Treatment started by the 16-week follow-up",
         "A dose confirmed by text (as reported by SMS), given in clinic or by the GP, or "
         "treatment confirmed by the GP or pharmacy, by 16 weeks after the fracture"),
    11: ("Still on treatment 52 weeks after the fracture",
         f"A confirmed dose covering a day, or a GP or pharmacy confirmation, in weeks "
         f"{52 - YEAR_WINDOW_WEEKS} to {52 + YEAR_WINDOW_WEEKS} after the fracture"),
}  # fmt: skip
KPI_RESULTS = {
    KpiResult.MET: "Met", KpiResult.NOT_MET: "Not met", KpiResult.NOT_DUE: "Not due yet",
    KpiResult.NO_FRACTURE_DATE: "Not counted: no fracture date recorded",
    KpiResult.NO_TREATMENT: "Not counted: no treatment recorded",
}  # fmt: skip


@dataclass(frozen=True)
class MonthRow:
    """One row of the table beside the chart."""

    month: str
    days_covered: int
    days_measured: int
    percent: str


@dataclass(frozen=True)
class Figure:
    """One figure in the list under the chart: what it is, its value, and what it means."""

    name: str
    value: str
    meaning: str


@dataclass(frozen=True)
class AdherenceFigures:
    chart: Markup | None  # None: not worked out yet
    months: list[MonthRow]
    figures: list[Figure]
    kpis: list[Figure]
    worked_out_at: str | None  # "10:32 on 3 March 2026", UK time; None: not worked out yet


def adherence_figures(session: Session, patient: Patient) -> AdherenceFigures:
    """The chart and the figures from the patient's rollup, as last worked out."""
    measures = session.get(PatientMeasures, patient.id)
    months = []
    if measures is not None and measures.monthly_coverage is not None:
        months = months_from_store(measures.monthly_coverage, uk_today(measures.computed_at))
    return AdherenceFigures(
        chart=adherence_chart(months) if months else None,
        months=[_month_row(month) for month in months],
        figures=_figures(measures), kpis=_kpis(measures),
        worked_out_at=_worked_out_at(measures),
    )


def _month_row(month: MonthCoverage) -> MonthRow:
    return MonthRow(month_name(month.month), month.days_covered, month.days_measured,
                    percent(coverage(month)))  # fmt: skip


def _figures(measures: PatientMeasures | None) -> list[Figure]:
    if measures is None:
        return []
    asked, answered = measures.prompts_asked, measures.prompts_answered
    replies = f"{answered} of {asked} ({percent(answered / asked)})" if asked else "No texts yet"
    persistent = {True: "Yes", False: "No", None: "Not yet 12 months on treatment"}
    return [
        Figure("Days covered, last 90 days", percent(measures.pdc_90),
               "Proportion of days covered (PDC) by a dose confirmed by text (as reported by "
               f"SMS) or recorded by a nurse. The target is {percent(ADHERENT_PDC)} or more"),
        Figure("Days covered, last 180 days", percent(measures.pdc_180), "The same, over 180 days"),
        Figure("Days covered, last 365 days", percent(measures.pdc_365),
               f"{measures.days_covered_365} of {measures.days_measured_365} days"),
        Figure("Still on treatment at 12 months", persistent[measures.persistent_12m],
               "Persistence: in the 12 months from the first dose, no run of days without cover "
               f"longer than {PERMISSIBLE_GAP_DAYS} days"),
        Figure("Replies to texts, last 12 months", replies,
               "Texts asking about a dose answered taken or missed, as reported by SMS. "
               "Follow-ups are not counted; texts still awaiting an answer are left out"),
    ]  # fmt: skip


def _kpis(measures: PatientMeasures | None) -> list[Figure]:
    if measures is None:
        return []
    results = {9: measures.kpi_9, 10: measures.kpi_10, 11: measures.kpi_11}
    return [Figure(f"KPI {number}: {name}", KPI_RESULTS.get(results[number], results[number]),
                   meaning) for number, (name, meaning) in KPIS.items()]  # fmt: skip


def _worked_out_at(measures: PatientMeasures | None) -> str | None:
    if measures is None:
        return None
    local = to_uk(measures.computed_at)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"
