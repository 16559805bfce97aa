"""What the nurse narrowed the service overview to, as SQL conditions.

Shared by the figures (webapp.adherence.overview) and the list of patients
behind them (webapp.adherence.overview_rows), so both count the same patients.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_

from webapp.adherence.sql_months import next_month, uk_month_bounds
from webapp.models.follow_up import PatientMeasures
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
