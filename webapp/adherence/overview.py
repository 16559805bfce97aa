"""The service overview: how well a service keeps its patients on treatment.

Every figure comes from one SQL query over the patients' rollups
(`patient_measures`, kept fresh by webapp.adherence.refresh) joined to the
patients, grouped by medicine, month of fracture and month of enrolment
together, then summed here into the totals and each breakdown: one pass over
the patients, a page costs the same whatever their number, and each figure
equals the pure aggregation of webapp.adherence.measures over the same
patients (a property test checks it). Patients are always those of the
service passed in.

- Reply rate: prompts answered of prompts asked, summed over the patients.
- Adherent: patients with a 12-month PDC of at least 80%, of those with one.
- Persistence: patients still on treatment at 12 months, of those on treatment
  for 12 months or more.
- KPIs 9–11: patients who met the indicator, of those it was due for (met or
  not met); patients with no regimen, no fracture date or not yet due are
  outside the denominator.

The filters live in webapp.adherence.overview_filters and the list of patients
(`overview_rows`, `export_rows`, `kpi_patients`) in webapp.adherence.overview_rows;
both are re-exported here, so the pages import one module.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from webapp.adherence.facts import KpiResult, Rate
from webapp.adherence.measures import ADHERENT_PDC
from webapp.adherence.overview_filters import OverviewFilters, patients_in_scope
from webapp.adherence.overview_rows import (
    SORTS,
    OverviewRow,
    export_rows,
    kpi_patients,
    overview_rows,
)
from webapp.adherence.sql_months import date_month, month_label, uk_month_of_time
from webapp.models.follow_up import PatientMeasures
from webapp.models.patients import Patient, PatientStatus
from webapp.models.staff import FlsService
from webapp.reminders.medicines import MEDICINES

KPIS = (9, 10, 11)
_COUNTED = (KpiResult.MET, KpiResult.NOT_MET)
NO_MEDICINE, NO_DATE = "No medicine recorded", "No date recorded"


@dataclass(frozen=True)
class GroupFigures:
    """The figures for one medicine or one month."""

    key: str  # a medicine code or "YYYY-MM"; "" for none recorded
    label: str
    patients: int
    adherent: Rate
    mean_pdc: float | None
    persistent: Rate
    replies: Rate


@dataclass(frozen=True)
class ServiceOverview:
    patients_by_status: dict[str, int]
    enrolled: int
    replies: Rate
    adherent: Rate
    mean_pdc: float | None
    persistent: Rate
    kpis: dict[int, Rate]
    by_medicine: list[GroupFigures]
    by_fracture_month: list[GroupFigures]
    by_enrolment_month: list[GroupFigures]
    computed_at: datetime | None  # the oldest rollup counted: how fresh the figures are


# What the one query counts for each (medicine, fracture month, enrolment month): summed
# again here into the service's totals and each breakdown.
_COUNTS = ("patients", "answered", "asked", "adherent", "measured", "pdc_sum", "persistent",
           "known", *(f"kpi_{kpi}_{part}" for kpi in KPIS for part in ("met", "due")),
           *(f"status_{status}" for status in PatientStatus))  # fmt: skip
_BREAKDOWNS = ("medicine", "fracture", "enrolment")


def _counted() -> list:
    """The SQL aggregates, in the order of _COUNTS."""
    measures = PatientMeasures
    columns = [
        func.count(Patient.id), func.coalesce(func.sum(measures.prompts_answered), 0),
        func.coalesce(func.sum(measures.prompts_asked), 0),
        func.count(case((measures.pdc_365 >= ADHERENT_PDC, 1))), func.count(measures.pdc_365),
        func.coalesce(func.sum(measures.pdc_365), 0.0),
        func.count(case((measures.persistent_12m.is_(True), 1))),
        func.count(measures.persistent_12m),
    ]  # fmt: skip
    for kpi in KPIS:
        column = getattr(measures, f"kpi_{kpi}")
        columns += [func.count(case((column == KpiResult.MET, 1))),
                    func.count(case((column.in_(_COUNTED), 1)))]  # fmt: skip
    return columns + [func.count(case((Patient.status == status, 1))) for status in PatientStatus]


def _tallies(session: Session, conditions: list, by_service: bool) -> dict:
    """One query, grouped by (service,) medicine, fracture month and enrolment month; summed
    here into {(service id or None, "total" or a breakdown, its key): [oldest, *counts]}.
    The groups number at most medicines x months x months, whatever the patients."""
    service = [Patient.fls_service_id] if by_service else []
    keys = [*service, PatientMeasures.medicine, date_month(session, Patient.fracture_date),
            uk_month_of_time(session, Patient.created_at)]  # fmt: skip
    rows = session.execute(
        select(*keys, func.min(PatientMeasures.computed_at), *_counted())
        .select_from(Patient)
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
        .where(*conditions).group_by(*keys)
    )  # fmt: skip
    tallies: dict = {}
    for row in rows:
        owner = row[0] if by_service else None
        groups = dict(zip(_BREAKDOWNS, row[len(service):len(service) + 3], strict=True))
        oldest, counts = row[len(keys)], row[len(keys) + 1:]
        for name, key in (("total", None), *groups.items()):
            _add(tallies.setdefault((owner, name, key), [None, *[0] * len(_COUNTS)]),
                 oldest, counts)
    return tallies


def _add(tally: list, oldest: datetime | None, counts) -> None:
    if oldest is not None and (tally[0] is None or oldest < tally[0]):
        tally[0] = oldest
    for place, count in enumerate(counts, start=1):
        tally[place] += count


def _figures(tally: list) -> dict:
    """A tally as the figures people read."""
    counted = dict(zip(_COUNTS, tally[1:], strict=True))
    measured = counted["measured"]
    return {
        "patients": counted["patients"], "computed_at": tally[0],
        "replies": Rate(int(counted["answered"]), int(counted["asked"])),
        "adherent": Rate(counted["adherent"], measured),
        "persistent": Rate(counted["persistent"], counted["known"]),
        "mean_pdc": float(counted["pdc_sum"]) / measured if measured else None,
        "kpis": {kpi: Rate(counted[f"kpi_{kpi}_met"], counted[f"kpi_{kpi}_due"])
                 for kpi in KPIS},
        "by_status": {str(status): counted[f"status_{status}"] for status in PatientStatus},
    }  # fmt: skip


def _group(key: str | None, label: str, figures: dict) -> GroupFigures:
    return GroupFigures(key=key or "", label=label, patients=figures["patients"],
                        adherent=figures["adherent"], mean_pdc=figures["mean_pdc"],
                        persistent=figures["persistent"], replies=figures["replies"])  # fmt: skip


def _medicine_label(code: str | None) -> str:
    if code is None:
        return NO_MEDICINE
    entry = MEDICINES.get(code)
    return entry.label if entry is not None else code


def _month_group(key: str | None, figures: dict) -> GroupFigures:
    return _group(key, month_label(key) if key else NO_DATE, figures)


def _breakdowns(tallies: dict) -> dict:
    """{(service id or None, breakdown name): [GroupFigures…]} from the tallies."""
    found: dict = {}
    for (owner, name, key), tally in tallies.items():
        if name == "total":
            continue
        figures = _figures(tally)
        if name == "medicine":
            group = _group(key, _medicine_label(key), figures)
        else:
            group = _month_group(key, figures)
        found.setdefault((owner, name), []).append(group)
    for groups in found.values():
        groups.sort(key=lambda group: (group.key == "", group.label if group.key else ""))
    return found


def _sort_months(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Months oldest first, "no date" last."""
    return sorted(groups, key=lambda group: (group.key == "", group.key))


def _overview(tallies: dict, breakdowns: dict, owner) -> ServiceOverview:
    totals = _figures(tallies.get((owner, "total", None), [None, *[0] * len(_COUNTS)]))
    return ServiceOverview(
        patients_by_status=totals["by_status"], enrolled=totals["patients"],
        replies=totals["replies"], adherent=totals["adherent"], mean_pdc=totals["mean_pdc"],
        persistent=totals["persistent"], kpis=totals["kpis"],
        by_medicine=breakdowns.get((owner, "medicine"), []),
        by_fracture_month=_sort_months(breakdowns.get((owner, "fracture"), [])),
        by_enrolment_month=_sort_months(breakdowns.get((owner, "enrolment"), [])),
        computed_at=totals["computed_at"],
    )  # fmt: skip


def service_overview(session: Session, service_id: int, filters: OverviewFilters
                     ) -> ServiceOverview:  # fmt: skip
    """The service's figures for the patients the filters keep: one query."""
    tallies = _tallies(session, patients_in_scope(service_id, filters), by_service=False)
    return _overview(tallies, _breakdowns(tallies), None)


def services_figures(session: Session) -> list[tuple[FlsService, ServiceOverview]]:
    """Every service's figures, by service name, for admins: no patient-level detail.

    Three queries whatever the number of services and patients: the services (and their
    districts, which the model loads with them), and the figures."""
    services = session.scalars(select(FlsService).order_by(FlsService.name, FlsService.id)).all()
    tallies = _tallies(session, [], by_service=True)
    breakdowns = _breakdowns(tallies)
    return [(service, _overview(tallies, breakdowns, service.id)) for service in services]


__all__ = [
    "GroupFigures", "OverviewFilters", "OverviewRow", "Rate", "SORTS", "ServiceOverview",
    "export_rows", "kpi_patients", "overview_rows", "service_overview", "services_figures",
]  # fmt: skip
