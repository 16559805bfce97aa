"""Rewriting the rollups from the rows, on SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from tests.adherence.support import unique_nhs_number
from tests.reminders.factories import create_patient, create_service
from tests.reminders.inbound_support import sent_text
from webapp.adherence.facts import Reason
from webapp.adherence.loading import load_facts
from webapp.adherence.refresh import (
    recently_changed,
    refresh_all,
    refresh_patients,
    refresh_recent,
)
from webapp.adherence.summary import stored_months, summarise
from webapp.clock import uk_today
from webapp.models.follow_up import PatientMeasures, WorklistEntry
from webapp.models.replies import InboundMessage

NOW = datetime(2027, 7, 20, 9, 0)
TODAY = uk_today(NOW)


def _patient(database, service=None, **overrides):
    return create_patient(database, service=service, nhs_number=unique_nhs_number(),
                          fracture_date=date(2027, 1, 1), **overrides)


def _unread_urgent_reply(database, patient, at):
    reply = InboundMessage(provider_sid=f"SM{patient.id}x{at:%H%M%S}", patient=patient,
                           from_number=patient.mobile, body="my jaw hurts", outcome="side_effect",
                           urgent=True, received_at=at)  # fmt: skip
    database.add(reply)
    database.flush()
    return reply


def _stored(database, patient):
    measures = database.get(PatientMeasures, patient.id)
    entries = database.scalars(select(WorklistEntry).where(WorklistEntry.patient_id == patient.id)
                               .order_by(WorklistEntry.reason)).all()  # fmt: skip
    return measures, entries


def test_the_stored_rows_are_what_the_measures_say(database):
    patient = _patient(database)
    for week in range(8):
        due = date(2027, 5, 3) + timedelta(weeks=week)
        _, (dose,) = sent_text(database, patient, [(patient.regimens[0], "dose", due)],
                               datetime.combine(due, datetime.min.time()) + timedelta(hours=7))
        dose.outcome = "taken" if week % 3 else None
    _unread_urgent_reply(database, patient, datetime(2027, 7, 19, 10, 0))

    assert refresh_patients(database, [patient.id], NOW) == 1

    summary = summarise(load_facts(database, [patient.id], TODAY)[patient.id], TODAY)
    measures, entries = _stored(database, patient)
    assert (measures.fls_service_id, measures.computed_at) == (patient.fls_service_id, NOW)
    assert {name: getattr(measures, name) for name in (
        "medicine", "pdc_90", "pdc_180", "pdc_365", "days_covered_365", "days_measured_365",
        "persistent_12m", "prompts_asked", "prompts_answered", "kpi_9", "kpi_10", "kpi_11")} == {
        "medicine": summary.medicine, "pdc_90": summary.pdc_90, "pdc_180": summary.pdc_180,
        "pdc_365": summary.pdc_365, "days_covered_365": summary.days_covered_365,
        "days_measured_365": summary.days_measured_365,
        "persistent_12m": summary.persistent_12m, "prompts_asked": summary.prompts_asked,
        "prompts_answered": summary.prompts_answered, "kpi_9": summary.kpi_9,
        "kpi_10": summary.kpi_10, "kpi_11": summary.kpi_11}
    assert measures.monthly_coverage == stored_months(summary.months)
    assert len(measures.monthly_coverage) == 12 and any(
        covered for covered, _ in measures.monthly_coverage)
    assert summary.prompts_asked > 0 and Reason.URGENT_SIDE_EFFECT in {
        reason.reason for reason in summary.worklist}
    assert sorted((e.reason, e.urgency, e.cause_key, e.detail, e.since, e.computed_at)
                  for e in entries) == sorted(
        (str(r.reason), int(r.urgency), r.cause_key, r.detail, r.since, NOW)
        for r in summary.worklist)  # fmt: skip


def test_refreshing_again_replaces_the_rows_and_drops_what_no_longer_applies(database):
    patient = _patient(database)
    reply = _unread_urgent_reply(database, patient, datetime(2027, 7, 19, 10, 0))
    refresh_patients(database, [patient.id], NOW)
    assert "urgent_side_effect" in {entry.reason for entry in _stored(database, patient)[1]}

    reply.read_at = NOW
    later = NOW + timedelta(hours=1)
    refresh_patients(database, [patient.id], later)
    database.commit()

    measures, entries = _stored(database, patient)
    assert measures.computed_at == later
    assert "urgent_side_effect" not in {entry.reason for entry in entries}
    assert all(entry.computed_at == later for entry in entries)
    assert database.scalar(select(PatientMeasures.patient_id).where(
        PatientMeasures.patient_id != patient.id)) is None


def test_refresh_all_covers_every_service_in_batches(database):
    patients = [_patient(database, service=create_service(database)) for _ in range(3)]
    patients += [_patient(database, service=patients[0].fls_service) for _ in range(4)]
    database.commit()

    assert refresh_all(database, NOW, batch_size=2) == 7

    stored = database.execute(select(PatientMeasures.patient_id, PatientMeasures.fls_service_id)
                              ).all()  # fmt: skip
    assert sorted(stored) == sorted((p.id, p.fls_service_id) for p in patients)
    assert refresh_patients(database, [], NOW) == 0


def test_recently_changed_finds_patients_with_new_rows_or_no_rollup(database):
    quiet, replied, texted, new = (_patient(database) for _ in range(4))
    refresh_patients(database, [quiet.id, replied.id, texted.id], NOW)
    since = NOW + timedelta(minutes=5)
    _unread_urgent_reply(database, replied, since + timedelta(minutes=1))
    sent_text(database, texted, [(texted.regimens[0], "dose", TODAY)], since)

    assert recently_changed(database, since) == sorted([replied.id, texted.id, new.id])
    assert refresh_recent(database, since + timedelta(minutes=2), timedelta(minutes=10)) == 3
    assert database.get(PatientMeasures, new.id) is not None
    assert database.get(PatientMeasures, quiet.id).computed_at == NOW
