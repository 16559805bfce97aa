"""What the nurse narrowed the service overview to, as SQL conditions.

Read the same way by the figures (webapp.adherence.overview, on the groups of
`service_measures`) and by the list of patients behind them
(webapp.adherence.overview_rows, on the patients), so both count the same
patients: a group's keys are its patients' medicine, status, named nurse and
months, worked out by the same SQL (webapp.adherence.sql_months).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_

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


def groups_in_scope(service_id: int | None, filters: OverviewFilters) -> list:
    """The same, as SQL conditions on a service's `service_measures` groups."""
    groups = ServiceMeasures
    conditions = [] if service_id is None else [groups.fls_service_id == service_id]
    for column, value in ((groups.medicine, filters.medicine), (groups.status, filters.status),
                          (groups.named_nurse_id, filters.named_nurse_id)):  # fmt: skip
        if value is not None:
            conditions.append(column == value)
    for column, month in ((groups.fracture_month, filters.fracture_month),
                          (groups.enrolment_month, filters.enrolment_month)):  # fmt: skip
        if month is not None:
            conditions.append(column == month_key(month))
    return conditions
