"""The service overview: how well a service keeps its patients on treatment.

Every figure is an SQL aggregate over the patients' rollups (`patient_measures`,
kept fresh by webapp.adherence.refresh) joined to the patients, so a page
costs the same few queries whatever the number of patients, and each equals
the pure aggregation of webapp.adherence.measures over the same patients (a
property test checks it). Patients are always those of the service passed in.

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


def _aggregates(whole: bool) -> list:
    """The columns the figures are made from, in the order `_split` reads them: a group's
    figures, then for the whole service (`whole`) the freshness, the KPIs and the statuses.
    A breakdown leaves the last ones out: each is a count over every patient row."""
    measures = PatientMeasures
    columns = [
        func.count(Patient.id), func.coalesce(func.sum(measures.prompts_answered), 0),
        func.coalesce(func.sum(measures.prompts_asked), 0),
        func.count(case((measures.pdc_365 >= ADHERENT_PDC, 1))), func.count(measures.pdc_365),
        func.avg(measures.pdc_365), func.count(case((measures.persistent_12m.is_(True), 1))),
        func.count(measures.persistent_12m),
    ]  # fmt: skip
    if not whole:
        return columns
    columns.append(func.min(measures.computed_at))
    for kpi in KPIS:
        column = getattr(measures, f"kpi_{kpi}")
        columns += [func.count(case((column == KpiResult.MET, 1))),
                    func.count(case((column.in_(_COUNTED), 1)))]  # fmt: skip
    columns += [func.count(case((Patient.status == status, 1))) for status in PatientStatus]
    return columns


def _figures_query(conditions: list, keys: list, whole: bool):
    return (
        select(*keys, *_aggregates(whole))
        .select_from(Patient)
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
        .where(*conditions)
        .group_by(*keys)
    )


def _split(row, keys: int) -> tuple[tuple, dict]:
    """A row of `_figures_query` as (its keys, its figures by name)."""
    values = list(row)[keys:]
    patients, answered, asked, adherent, measured, mean, persistent, known = values[:8]
    figures = {
        "patients": patients, "replies": Rate(int(answered), int(asked)),
        "adherent": Rate(adherent, measured), "persistent": Rate(persistent, known),
        "mean_pdc": float(mean) if mean is not None else None,
    }  # fmt: skip
    if len(values) > 8:  # the whole service's
        rest = values[9:]
        figures |= {
            "computed_at": values[8],
            "kpis": {kpi: Rate(rest[2 * i], rest[2 * i + 1]) for i, kpi in enumerate(KPIS)},
            "by_status": dict(zip((str(s) for s in PatientStatus), rest[2 * len(KPIS):],
                                  strict=True)),
        }  # fmt: skip
    return tuple(row)[:keys], figures


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


def _group_keys(session: Session) -> dict[str, object]:
    """The SQL expression each breakdown groups by."""
    return {"medicine": PatientMeasures.medicine,
            "fracture": date_month(session, Patient.fracture_date),
            "enrolment": uk_month_of_time(session, Patient.created_at)}  # fmt: skip


def _breakdowns(session: Session, conditions: list, by_service: bool) -> dict:
    """{(service id or None, breakdown name): [GroupFigures…]}: one query a breakdown."""
    found: dict = {}
    service = [Patient.fls_service_id] if by_service else []
    for name, key in _group_keys(session).items():
        for row in session.execute(_figures_query(conditions, [*service, key], False)):
            keys, figures = _split(row, len(service) + 1)
            owner = keys[0] if by_service else None
            if name == "medicine":
                group = _group(keys[-1], _medicine_label(keys[-1]), figures)
            else:
                group = _month_group(keys[-1], figures)
            found.setdefault((owner, name), []).append(group)
    for groups in found.values():
        groups.sort(key=lambda group: (group.key == "", group.label if group.key else ""))
    return found


def _sort_months(groups: list[GroupFigures]) -> list[GroupFigures]:
    """Months oldest first, "no date" last."""
    return sorted(groups, key=lambda group: (group.key == "", group.key))


def _overview(totals: dict | None, breakdowns: dict, owner) -> ServiceOverview:
    if totals is None:  # no patient at all
        totals = _split((0, 0, 0, 0, 0, None, 0, 0, None, *[0] * (2 * len(KPIS)),
                         *[0] * len(PatientStatus)), 0)[1]  # fmt: skip
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
    """The service's figures for the patients the filters keep: four queries."""
    conditions = patients_in_scope(service_id, filters)
    row = session.execute(_figures_query(conditions, [], True)).one()
    totals = _split(row, 0)[1] if row[0] else None
    return _overview(totals, _breakdowns(session, conditions, by_service=False), None)


def services_figures(session: Session) -> list[tuple[FlsService, ServiceOverview]]:
    """Every service's figures, by service name, for admins: no patient-level detail.

    Six queries whatever the number of services and patients: the services (and their
    districts, which the model loads with them), the totals and the three breakdowns."""
    services = session.scalars(select(FlsService).order_by(FlsService.name, FlsService.id)).all()
    totals = {}
    for row in session.execute(_figures_query([], [Patient.fls_service_id], True)):
        keys, figures = _split(row, 1)
        totals[keys[0]] = figures
    breakdowns = _breakdowns(session, [], by_service=True)
    return [(service, _overview(totals.get(service.id), breakdowns, service.id))
            for service in services]  # fmt: skip


__all__ = [
    "GroupFigures", "OverviewFilters", "OverviewRow", "Rate", "SORTS", "ServiceOverview",
    "export_rows", "kpi_patients", "overview_rows", "service_overview", "services_figures",
]  # fmt: skip
