"""The service overview: how well a service keeps its patients on treatment.

Every figure is a sum of `service_measures` rows (webapp.adherence.overview_rollup,
rebuilt whenever the patients' rollups are written): one query, a total and a
sum for each medicine, month of fracture and month of enrolment, over the few
hundred groups of the service's patients that the filters keep, so a page costs
the same whatever the number of patients, and each figure equals the pure
aggregation of webapp.adherence.measures over the same patients (a property
test checks it). Patients are always those of the service passed in.

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

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, String, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from webapp.adherence.facts import Rate
from webapp.adherence.overview_filters import OverviewFilters, group_values, groups_in_scope
from webapp.adherence.overview_rollup import KPIS, SUMS
from webapp.adherence.overview_rows import (
    SORTS,
    OverviewRow,
    export_rows,
    kpi_patients,
    overview_rows,
)
from webapp.adherence.sql_months import month_label, read_month_key
from webapp.models.follow_up import ServiceMeasures
from webapp.models.patients import PatientStatus
from webapp.models.staff import FlsService
from webapp.reminders.medicines import MEDICINES

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


_BREAKDOWNS = ("medicine", "fracture_month", "enrolment_month")
# What the query sums for each part, in order.
_COUNTS = (*SUMS, *(f"status_{status}" for status in PatientStatus))


def _kept(conditions: list):
    """The rollup rows the conditions keep, summed by service, medicine and months (status
    and named nurse summed away): fewer rows for the four sums over them."""
    groups = ServiceMeasures
    keys = [groups.fls_service_id, *(getattr(groups, name) for name in _BREAKDOWNS)]
    sums = [_whole(func.sum(getattr(groups, name)), name).label(name) for name in SUMS]
    by_status = [_whole(func.sum(case((groups.status == status, groups.patients), else_=0)))
                 .label(f"status_{status}") for status in PatientStatus]  # fmt: skip
    return (
        select(*keys, func.min(groups.oldest_computed_at).label("oldest"), *sums, *by_status)
        .where(*conditions).group_by(*keys).cte("kept")
    )  # fmt: skip


def _whole(total, name: str = ""):
    """A sum of counts kept an integer (PostgreSQL would make a sum of sums a decimal)."""
    return total if name == "pdc_sum" else cast(total, Integer)


@functools.cache
def _figures_query(by_service: bool):
    """The one query: the total and each breakdown's groups (for each service, if
    by_service) of the rollup rows the filters keep. Built once: the filters are its
    parameters (webapp.adherence.overview_filters.group_values)."""
    kept = _kept(groups_in_scope())
    owner = [kept.c.fls_service_id] if by_service else []
    parts = []
    for name in ("total", *_BREAKDOWNS):
        key = cast(null(), String) if name == "total" else kept.c[name]
        parts.append(
            select(literal(name), *(owner or [literal(None, Integer)]), key,
                   func.min(kept.c.oldest),
                   *(func.coalesce(func.sum(kept.c[count]), 0) for count in _COUNTS))
            .group_by(*owner, *([] if name == "total" else [key]))
        )  # fmt: skip
    return union_all(*parts)


def _tallies(session: Session, values: dict, by_service: bool) -> dict:
    """The query's rows as {(service id or None, "total" or a breakdown, its key):
    [oldest, *counts]}."""
    tallies: dict = {}
    for row in session.execute(_figures_query(by_service), values):
        name, service_id, key, oldest, counts = row[0], row[1], row[2], row[3], row[4:]
        tallies[(service_id, name, key)] = [oldest, *counts]
    return tallies


def _figures(tally: list) -> dict:
    """A tally as the figures people read."""
    counted = dict(zip(_COUNTS, tally[1:], strict=True))
    measured = counted["measured"]
    return {
        "patients": counted["patients"], "computed_at": tally[0],
        "replies": Rate(int(counted["prompts_answered"]), int(counted["prompts_asked"])),
        "adherent": Rate(counted["adherent"], measured),
        "persistent": Rate(counted["persistent"], counted["persistence_known"]),
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
        by_fracture_month=_sort_months(breakdowns.get((owner, "fracture_month"), [])),
        by_enrolment_month=_sort_months(breakdowns.get((owner, "enrolment_month"), [])),
        computed_at=totals["computed_at"],
    )  # fmt: skip


def service_overview(session: Session, service_id: int, filters: OverviewFilters
                     ) -> ServiceOverview:  # fmt: skip
    """The service's figures for the patients the filters keep: one query."""
    tallies = _tallies(session, group_values(service_id, filters), by_service=False)
    return _overview(tallies, _breakdowns(tallies), None)


def first_month(session: Session, service_id: int) -> date | None:
    """The first day of the earliest month of fracture or enrolment among the service's
    patients (None: no patients), from their groups: the month lists start there."""
    months = session.execute(
        select(func.min(ServiceMeasures.fracture_month), func.min(ServiceMeasures.enrolment_month))
        .where(ServiceMeasures.fls_service_id == service_id)
    ).one()  # fmt: skip
    found = [month for month in months if month]
    return read_month_key(min(found)) if found else None


def services_figures(session: Session) -> list[tuple[FlsService, ServiceOverview]]:
    """Every service's figures, by service name, for admins: no patient-level detail.

    Three queries whatever the number of services and patients: the services (and their
    districts, which the model loads with them), and the figures."""
    services = session.scalars(select(FlsService).order_by(FlsService.name, FlsService.id)).all()
    tallies = _tallies(session, group_values(None, OverviewFilters()), by_service=True)
    breakdowns = _breakdowns(tallies)
    return [(service, _overview(tallies, breakdowns, service.id)) for service in services]


__all__ = [
    "GroupFigures", "OverviewFilters", "OverviewRow", "Rate", "SORTS", "ServiceOverview",
    "export_rows", "first_month", "kpi_patients", "overview_rows", "service_overview",
    "services_figures",
]  # fmt: skip
