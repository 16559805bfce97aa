"""The patients behind the service overview, one row each, sorted and a page at a time.

The same filters as the figures (webapp.adherence.overview_filters), read from
the rollups joined to the patients: two queries a page (the count and the
page), and the export streams every page of exactly the same rows in the same
order. Empty values (no PDC yet, no fracture date) sort last either way, and
the patient's id breaks ties, so pages never overlap.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.adherence.facts import KpiResult
from webapp.adherence.loading import uk_date
from webapp.adherence.overview_filters import OverviewFilters, patients_in_scope
from webapp.models.follow_up import PatientMeasures
from webapp.models.patients import Patient
from webapp.models.staff import StaffMember

SORTS = ("name", "fracture", "enrolled", "pdc", "replies")
MAX_PER_PAGE = 100
EXPORT_BATCH = 500
KPIS = (9, 10, 11)


@dataclass(frozen=True)
class OverviewRow:
    """One patient as the overview lists them."""

    patient_id: int
    name: str
    nhs_number: str
    status: str
    medicine: str | None
    named_nurse: str | None
    fracture_date: date | None
    enrolled_on: date
    pdc_365: float | None
    persistent_12m: bool | None
    prompts_asked: int
    prompts_answered: int
    kpi_9: str | None  # a KpiResult; None before the patient's figures are first worked out
    kpi_10: str | None
    kpi_11: str | None


def _sort_columns(sort: str) -> list:
    if sort not in SORTS:
        raise ValueError(f"Unknown sort {sort!r}: one of {', '.join(SORTS)}")
    reply_rate = (PatientMeasures.prompts_answered * 1.0
                  / func.nullif(PatientMeasures.prompts_asked, 0))  # fmt: skip
    return {
        "name": [func.lower(Patient.last_name), func.lower(Patient.first_name)],
        "fracture": [Patient.fracture_date],
        "enrolled": [Patient.created_at],
        "pdc": [PatientMeasures.pdc_365],
        "replies": [reply_rate],
    }[sort]


def _order_keys(sort: str, descending: bool, first: list | None = None) -> list[tuple]:
    """What the rows are ordered by, most significant first: (SQL expression, descending)
    pairs, ending with the patient's id so pages never overlap."""
    keys = [(expression, False) for expression in first or []]
    keys += [(column, descending) for column in _sort_columns(sort)]
    return [*keys, (Patient.id, descending)]


def _order_by(columns: list, keys: list[tuple]) -> list:
    """ORDER BY `columns`, each the way its key goes, empty values last either way."""
    return [(column.desc() if descending else column.asc()).nulls_last()
            for column, (_, descending) in zip(columns, keys, strict=True)]  # fmt: skip


def _rows_query(conditions: list):
    return _with_details(
        select(Patient.id).select_from(Patient)
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
        .where(*conditions)
    )  # fmt: skip


def _with_details(query):
    """The query's patients with everything a row shows (`query` selects Patient.id)."""
    return query.add_columns(
        Patient.first_name, Patient.last_name, Patient.nhs_number, Patient.status,
        Patient.fracture_date, Patient.created_at, StaffMember.full_name.label("named_nurse"),
        PatientMeasures.medicine, PatientMeasures.pdc_365, PatientMeasures.persistent_12m,
        PatientMeasures.prompts_asked, PatientMeasures.prompts_answered, PatientMeasures.kpi_9,
        PatientMeasures.kpi_10, PatientMeasures.kpi_11,
    ).outerjoin(StaffMember, StaffMember.id == Patient.named_nurse_id)


def _page_query(conditions: list, keys: list[tuple], page: int, per_page: int):
    """One page of patients in the order of `keys`. The page is chosen from the patients'
    sort keys alone (the rollups are read only where the filters or the sort need them: both
    databases drop an outer join to a unique key that nothing uses), and only its rows are
    read whole."""
    expressions = [expression for expression, _ in keys]
    chosen = (
        select(*[key.label(f"key_{place}") for place, key in enumerate(expressions)])
        .select_from(Patient)
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
        .where(*conditions).order_by(*_order_by(expressions, keys))
        .limit(per_page).offset((page - 1) * per_page)
        .subquery()
    )  # fmt: skip
    columns = list(chosen.c)
    return _with_details(
        select(Patient.id).select_from(chosen)
        .join(Patient, Patient.id == columns[-1])
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
    ).order_by(*_order_by(columns, keys))  # fmt: skip


def _count(session: Session, conditions: list) -> int:
    return session.scalar(
        select(func.count(Patient.id)).select_from(Patient)
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
        .where(*conditions)
    )  # fmt: skip


def _row(row) -> OverviewRow:
    return OverviewRow(
        patient_id=row.id, name=f"{row.first_name} {row.last_name}",
        nhs_number=row.nhs_number, status=row.status, medicine=row.medicine,
        named_nurse=row.named_nurse, fracture_date=row.fracture_date,
        enrolled_on=uk_date(row.created_at), pdc_365=row.pdc_365,
        persistent_12m=row.persistent_12m, prompts_asked=row.prompts_asked or 0,
        prompts_answered=row.prompts_answered or 0, kpi_9=row.kpi_9, kpi_10=row.kpi_10,
        kpi_11=row.kpi_11,
    )  # fmt: skip


def _page(session, conditions: list, keys: list[tuple], page: int, per_page: int
          ) -> tuple[list[OverviewRow], int]:  # fmt: skip
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    total = _count(session, conditions)
    rows = session.execute(_page_query(conditions, keys, page, per_page))
    return [_row(row) for row in rows], total


def overview_rows(
    session: Session, service_id: int, filters: OverviewFilters, sort: str, descending: bool,
    page: int, per_page: int,
) -> tuple[list[OverviewRow], int]:
    """One page of the service's patients the filters keep, and how many there are in all.

    `per_page` is capped at MAX_PER_PAGE; an unknown `sort` raises ValueError."""
    conditions = patients_in_scope(service_id, filters)
    return _page(session, conditions, _order_keys(sort, descending), page, per_page)


def export_rows(
    session: Session, service_id: int, filters: OverviewFilters, sort: str, descending: bool
) -> Iterator[OverviewRow]:
    """Every row `overview_rows` would show, page after page, in the same order, read from
    the database EXPORT_BATCH rows at a time so a large service is never all in memory."""
    conditions = patients_in_scope(service_id, filters)
    keys = _order_keys(sort, descending)
    query = _rows_query(conditions).order_by(*_order_by([key for key, _ in keys], keys))
    result = session.execute(query.execution_options(yield_per=EXPORT_BATCH))
    for row in result:
        yield _row(row)


def kpi_patients(
    session: Session, service_id: int, kpi: int, filters: OverviewFilters, page: int,
    per_page: int,
) -> tuple[list[OverviewRow], int]:
    """The patients an indicator counts (its denominator): those who did not meet it first,
    for the nurse to act on, then those who did, each by name."""
    if kpi not in KPIS:
        raise ValueError(f"Unknown indicator {kpi!r}: one of 9, 10, 11")
    column = getattr(PatientMeasures, f"kpi_{kpi}")
    conditions = [*patients_in_scope(service_id, filters),
                  column.in_((KpiResult.MET, KpiResult.NOT_MET))]  # fmt: skip
    keys = _order_keys("name", False, [column == KpiResult.MET])  # not met (false) first
    return _page(session, conditions, keys, page, per_page)
