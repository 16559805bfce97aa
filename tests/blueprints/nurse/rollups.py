"""Rollup rows for the nurse's pages, written as the measures job leaves them.

The pages read `worklist_entry`, `patient_measures` and `service_measures` only,
never the dose rows behind them, so a page test sets those rows directly to the
values the test is about (over what enrolment worked out), and sums the
service's groups again as a refresh does; tests/adherence covers how they are made.
"""

from datetime import date, timedelta

from sqlalchemy import select

from webapp.adherence.facts import REASONS, KpiResult, Reason
from webapp.adherence.overview_rollup import rebuild_service_measures
from webapp.clock import uk_today, utc_now
from webapp.models.follow_up import PatientMeasures, WorklistEntry


def add_reason(session, patient, reason: Reason, *, cause_key: str = "first",
               detail: str = "Due 3 March, 6 weeks ago", since: date | None = None,
               computed_at=None) -> WorklistEntry:  # fmt: skip
    """Put `patient` on the worklist for `reason` (one cause, named by `cause_key`)."""
    entry = session.scalar(select(WorklistEntry).where(
        WorklistEntry.patient_id == patient.id, WorklistEntry.reason == reason)) or WorklistEntry(
        patient_id=patient.id, fls_service_id=patient.fls_service_id, reason=reason)
    entry.urgency, entry.cause_key, entry.detail = int(REASONS[reason].urgency), cause_key, detail
    entry.since = since or uk_today() - timedelta(days=3)
    entry.computed_at = computed_at or utc_now()
    session.add(entry)
    session.commit()
    return entry


def add_measures(session, patient, **values) -> PatientMeasures:
    """The patient's adherence figures as last worked out (a year's good adherence by default)."""
    defaults = {
        "medicine": patient.regimens[0].medicine if patient.regimens else None,
        "pdc_90": 0.9, "pdc_180": 0.9, "pdc_365": 0.9, "days_covered_365": 300,
        "days_measured_365": 333, "persistent_12m": True, "prompts_asked": 10,
        "prompts_answered": 8, "kpi_9": KpiResult.MET, "kpi_10": KpiResult.MET,
        "kpi_11": KpiResult.NOT_DUE, "computed_at": utc_now(),
    }  # fmt: skip
    measures = session.get(PatientMeasures, patient.id) or PatientMeasures(
        patient_id=patient.id, fls_service_id=patient.fls_service_id)
    for name, value in (defaults | values).items():
        setattr(measures, name, value)
    session.add(measures)
    session.flush()
    rebuild_service_measures(session, [patient.fls_service_id])
    session.commit()
    return measures
