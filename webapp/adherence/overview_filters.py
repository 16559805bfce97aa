"""What the nurse narrowed the service overview to, as SQL conditions.

Read the same way by the figures (webapp.adherence.overview, on the groups of
`service_measures`) and by the list of patients behind them
(webapp.adherence.overview_rows, on the patients), so both count the same
patients: a group's keys are its patients' medicine, status, named nurse and
months, worked out by the same SQL (webapp.adherence.sql_months).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, or_

from webapp.adherence.sql_months import month_key, next_month, uk_month_bounds
from webapp.models.follow_up import PatientMeasures, ServiceMeasures
from webapp.models.patients import Patient


@dataclass(frozen=True)
class OverviewFilters:
    """What the nurse narrowed the overview to; None is every patient."""

    medicine: str | None = None
    status: str | None = None
    named_nurse_id: int | None = None
    fracture_month: date | None = None  # any day of the month
    enrolment_month: date | None = None


def patients_in_scope(service_id: int | None, filters: OverviewFilters) -> list:
    """SQL conditions on Patient and PatientMeasures for a service (every one if None)
    and the filters."""
    conditions = [] if service_id is None else [Patient.fls_service_id == service_id]
    if filters.medicine is not None:
        conditions.append(PatientMeasures.medicine == filters.medicine)
    if filters.status is not None:
        conditions.append(Patient.status == filters.status)
    if filters.named_nurse_id is not None:
        conditions.append(Patient.named_nurse_id == filters.named_nurse_id)
    if filters.fracture_month is not None:
        first = filters.fracture_month.replace(day=1)
        conditions.append(and_(Patient.fracture_date >= first,
                               Patient.fracture_date < next_month(first)))  # fmt: skip
    if filters.enrolment_month is not None:
        start, end = uk_month_bounds(filters.enrolment_month)
        conditions.append(and_(Patient.created_at >= start, Patient.created_at < end))
    return conditions


# The same filters on a service's `service_measures` groups, each a parameter that None
# leaves unapplied: the overview's one query is then built once and sent with the values.
_ON_GROUPS = {
    "service_id": ServiceMeasures.fls_service_id, "medicine": ServiceMeasures.medicine,
    "status": ServiceMeasures.status, "named_nurse_id": ServiceMeasures.named_nurse_id,
    "fracture_month": ServiceMeasures.fracture_month,
    "enrolment_month": ServiceMeasures.enrolment_month,
}  # fmt: skip


def groups_in_scope() -> list:
    """SQL conditions on `service_measures` with a parameter for each filter (and the
    service); `group_values` gives their values."""
    return [or_(bindparam(name, type_=column.type).is_(None),
                column == bindparam(name, type_=column.type))
            for name, column in _ON_GROUPS.items()]  # fmt: skip


def group_values(service_id: int | None, filters: OverviewFilters) -> dict:
    """The parameters of `groups_in_scope` for a service (every one if None) and the
    filters: a group's months are "YYYY-MM" keys, the enrolment's in UK time."""
    def month(day: date | None) -> str | None:
        return month_key(day) if day is not None else None

    return {"service_id": service_id, "medicine": filters.medicine, "status": filters.status,
            "named_nurse_id": filters.named_nurse_id,
            "fracture_month": month(filters.fracture_month),
            "enrolment_month": month(filters.enrolment_month)}  # fmt: skip
