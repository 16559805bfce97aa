"""The service overview's rollup: each service's patients' figures summed by group.

The patients' `patient_measures` rows (joined to the patients, so one not yet
worked out still counts as enrolled) are summed into one `service_measures`
row for each group of patients sharing a medicine, a status, a named nurse, a
month of fracture and a month of enrolment: the overview's filters and
breakdowns, so its figures are sums of these rows and never a pass over every
patient. What counts as adherent, persistent or due for a KPI is decided here,
once.

webapp.adherence.refresh calls `refresh_service_measures` whenever it writes
patients' measures, in the same transaction, so the groups are never behind
the patients' rows; `rebuild_service_measures` sums whole services. Two of
these for one service take turns (a lock held to the end of the transaction,
on PostgreSQL; SQLite has one writer at a time), and each reads the rows as
they are once it has its turn, so the later one counts the earlier one's
patients.
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from webapp.adherence.facts import KpiResult
from webapp.adherence.measures import ADHERENT_PDC
from webapp.adherence.sql_months import (
    date_month,
    month_key,
    read_month_key,
    uk_month_bounds,
    uk_month_of_time,
)
from webapp.models.follow_up import PatientMeasures, ServiceMeasures
from webapp.models.patients import Patient

KPIS = (9, 10, 11)
_COUNTED = (KpiResult.MET, KpiResult.NOT_MET)
# The first key of PostgreSQL's two-key advisory locks that this rebuild takes, per service.
_LOCK_SPACE = 9_011
# Up to this many patients refreshed at once, only the groups of their months are summed.
FEW_PATIENTS = 20
GROUPS = ("medicine", "status", "named_nurse_id", "fracture_month", "enrolment_month")
SUMS = ("patients", "prompts_asked", "prompts_answered", "adherent", "measured", "pdc_sum",
        "persistent", "persistence_known",
        *(f"kpi_{kpi}_{part}" for kpi in KPIS for part in ("met", "due")))  # fmt: skip


def _group_keys(session: Session) -> list:
    """The SQL for each of GROUPS, in order."""
    return [PatientMeasures.medicine, Patient.status, Patient.named_nurse_id,
            date_month(session, Patient.fracture_date),
            uk_month_of_time(session, Patient.created_at)]  # fmt: skip


def _sums() -> list:
    """The SQL for each of SUMS, in order: what each patient adds to their group."""
    measures = PatientMeasures
    columns = [
        func.count(Patient.id), func.coalesce(func.sum(measures.prompts_asked), 0),
        func.coalesce(func.sum(measures.prompts_answered), 0),
        func.count(case((measures.pdc_365 >= ADHERENT_PDC, 1))), func.count(measures.pdc_365),
        func.coalesce(func.sum(measures.pdc_365), 0.0),
        func.count(case((measures.persistent_12m.is_(True), 1))),
        func.count(measures.persistent_12m),
    ]  # fmt: skip
    for kpi in KPIS:
        column = getattr(measures, f"kpi_{kpi}")
        columns += [func.count(case((column == KpiResult.MET, 1))),
                    func.count(case((column.in_(_COUNTED), 1)))]  # fmt: skip
    return columns


def rebuild_service_measures(session: Session, service_ids: Iterable[int]) -> None:
    """Sum every patient of these services afresh into their `service_measures` rows. Never
    commits: the caller's transaction decides."""
    services = sorted(set(service_ids))
    if not services:
        return
    _take_turns(session, services)
    _resum(session, ServiceMeasures.fls_service_id.in_(services),
           Patient.fls_service_id.in_(services))  # fmt: skip


def refresh_service_measures(session: Session, patient_ids: Sequence[int]) -> None:
    """Sum afresh the `service_measures` rows these patients are counted in, before and
    after their change: every group of their services with the same month of enrolment. A
    patient's enrolment never moves (nor their service), while a change of medicine,
    status, named nurse or fracture date moves them between groups of that month only: so
    after one patient's change, a twenty-fifth of a two-year service is summed, not all of
    it. Two queries and a lock per service, then two statements. Never commits.

    More than FEW_PATIENTS at once (the scheduled jobs' batches) sum their whole services
    instead, which also clears the groups of a patient deleted since the last pass."""
    if len(patient_ids) > FEW_PATIENTS:
        rebuild_service_measures(session, session.scalars(
            select(Patient.fls_service_id).where(Patient.id.in_(patient_ids)).distinct()))
        return
    enrolled = session.execute(
        select(Patient.fls_service_id, Patient.created_at).where(Patient.id.in_(patient_ids))
    ).all()  # fmt: skip
    months = sorted({(service_id, month_key(created_at)) for service_id, created_at in enrolled})
    if not months:
        return
    _take_turns(session, sorted({service_id for service_id, _ in months}))
    _resum(
        session,
        or_(*(and_(ServiceMeasures.fls_service_id == service_id,
                   ServiceMeasures.enrolment_month == month) for service_id, month in months)),
        or_(*(and_(Patient.fls_service_id == service_id,
                   _enrolled_in(month)) for service_id, month in months)),
    )  # fmt: skip


def _enrolled_in(month: str):
    """SQL: the patient was enrolled in this UK month ("YYYY-MM"), as a range of times."""
    start, end = uk_month_bounds(read_month_key(month))
    return and_(Patient.created_at >= start, Patient.created_at < end)


def _resum(session: Session, groups, patients) -> None:
    """Delete the `groups` (a condition on ServiceMeasures) and write them again from the
    `patients` (a condition on Patient that keeps every patient of those groups)."""
    session.execute(
        delete(ServiceMeasures).where(groups).execution_options(synchronize_session=False)
    )
    keys = [Patient.fls_service_id, *_group_keys(session)]
    summed = (
        select(*keys, *_sums(), func.min(PatientMeasures.computed_at))
        .select_from(Patient)
        .outerjoin(PatientMeasures, PatientMeasures.patient_id == Patient.id)
        .where(patients)
        .group_by(*keys)
    )  # fmt: skip
    session.execute(insert(ServiceMeasures).from_select(
        ["fls_service_id", *GROUPS, *SUMS, "oldest_computed_at"], summed))  # fmt: skip


def _take_turns(session: Session, services: list[int]) -> None:
    """On PostgreSQL, wait for any other rebuild of these services to commit (locks taken in
    id order, so two rebuilds never wait on each other)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for service_id in services:
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_SPACE, service_id)))
