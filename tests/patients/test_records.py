"""The nurse's changes to a patient, on SQLite and PostgreSQL: each keeps the reminders in step."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients.factories import PLAN_DAYS, create_patient, regimen_entry
from webapp.clock import uk_today, utc_now
from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.reminders import Reminder, ReminderStatus
from webapp.models.staff import Role
from webapp.patients import records, regimens
from webapp.patients.details import check_regimen


@pytest.fixture
def nurse(database):
    service = create_fls_service(database, name="Records FLS")
    return create_staff_member(database, Role.NURSE, fls_service=service)


@pytest.fixture
def patient(database, nurse):
    return create_patient(database, nurse.fls_service, nurse)


def _statuses(database, patient) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for reminder in database.scalars(select(Reminder).where(Reminder.patient_id == patient.id)):
        found.setdefault(reminder.kind, set()).add(reminder.status)
    return found


def test_enrolment_stores_the_patient_and_plans_the_welcome_and_doses(database, patient, nurse):
    stored = database.get(Patient, patient.id)
    assert stored.status == PatientStatus.ACTIVE
    assert stored.sms_consent_recorded_by_id == nurse.id
    assert stored.sms_consent_recorded_at is not None
    assert [regimen.medicine for regimen in stored.regimens] == ["alendronic_acid_weekly"]
    assert _statuses(database, patient) == {"welcome": {"planned"}, "dose": {"planned"}}


def test_pause_skips_planned_texts_and_resume_plans_them_again(database, patient, nurse):
    until = uk_today() + timedelta(days=10)
    records.pause_patient(database, nurse, patient, until, utc_now())
    database.commit()
    patient = database.get(Patient, patient.id)
    assert (patient.status, patient.paused_until) == (PatientStatus.PAUSED, until)
    dose_statuses = _statuses(database, patient)["dose"]
    assert dose_statuses == {"skipped"}
    records.resume_patient(database, nurse, patient, utc_now(), plan_days=PLAN_DAYS)
    database.commit()
    patient = database.get(Patient, patient.id)
    assert (patient.status, patient.paused_until) == (PatientStatus.ACTIVE, None)
    assert "planned" in _statuses(database, patient)["dose"]


def test_resume_needs_a_paused_patient(database, patient, nurse):
    with pytest.raises(records.PatientStatusError, match="cannot be resumed: they are active"):
        records.resume_patient(database, nurse, patient, utc_now(), plan_days=PLAN_DAYS)


def test_opt_out_by_the_nurse_stops_every_planned_text(database, patient, nurse):
    records.opt_out_patient(database, nurse, patient, utc_now())
    database.commit()
    patient = database.get(Patient, patient.id)
    assert (patient.status, patient.opted_out_by) == (PatientStatus.OPTED_OUT, "nurse")
    assert all(statuses == {"skipped"} for statuses in _statuses(database, patient).values())
    with pytest.raises(records.PatientStatusError):
        records.pause_patient(database, nurse, patient, None, utc_now())


def test_discharge_keeps_the_reason_and_cannot_happen_twice(database, patient, nurse):
    records.discharge_patient(database, nurse, patient, "Treatment completed", utc_now())
    database.commit()
    patient = database.get(Patient, patient.id)
    assert (patient.status, patient.discharge_reason) == ("discharged", "Treatment completed")
    assert all(statuses == {"skipped"} for statuses in _statuses(database, patient).values())
    with pytest.raises(records.PatientStatusError, match="already been discharged"):
        records.discharge_patient(database, nurse, patient, "Again", utc_now())
    details, _ = check_regimen(regimen_entry(medicine="risedronate_weekly"), uk_today())
    with pytest.raises(records.PatientStatusError, match="discharged"):
        regimens.add_regimen(database, nurse, patient, details, utc_now(), plan_days=PLAN_DAYS)


def test_add_stop_and_switch_a_medicine(database, patient, nurse):
    calcium, _ = check_regimen(regimen_entry(medicine="calcium_vitamin_d_daily"), uk_today())
    added = regimens.add_regimen(database, nurse, patient, calcium, utc_now(),
                                 plan_days=PLAN_DAYS)  # fmt: skip
    database.commit()
    assert "check_in" in _statuses(database, patient)
    regimens.stop_regimen(database, nurse, added, uk_today(), "Side effects", utc_now())
    database.commit()
    stopped = database.get(Regimen, added.id)
    assert (stopped.stopped_on, stopped.stop_reason) == (uk_today(), "Side effects")
    planned = database.scalars(select(Reminder.status).where(Reminder.regimen_id == added.id))
    assert ReminderStatus.PLANNED not in set(planned)

    first = database.get(Patient, patient.id).regimens[0]
    risedronate, _ = check_regimen(regimen_entry(medicine="risedronate_weekly"), uk_today())
    new = regimens.switch_regimen(database, nurse, first, uk_today(), "Could not sit upright",
                                  risedronate, utc_now(), plan_days=PLAN_DAYS)  # fmt: skip
    database.commit()
    old = database.get(Regimen, first.id)
    assert (old.switched_to_id, old.stop_reason) == (new.id, "Could not sit upright")
    new_statuses = set(database.scalars(select(Reminder.status).where(
        Reminder.regimen_id == new.id)))  # fmt: skip
    assert new_statuses == {"planned"}
    with pytest.raises(records.PatientStatusError, match="already been stopped"):
        regimens.stop_regimen(database, nurse, old, uk_today(), "Again", utc_now())


def test_record_dose_given_for_clinic_medicines_only(database, nurse):
    entry = regimen_entry(medicine="denosumab_6_monthly",
                          first_dose_date=uk_today() - timedelta(days=200))  # fmt: skip
    patient = create_patient(database, nurse.fls_service, nurse, regimens=[entry],
                             reminder_time="10:00")  # fmt: skip
    regimen = patient.regimens[0]
    given = uk_today() - timedelta(days=3)
    regimens.record_dose_given(database, nurse, regimen, given, utc_now(), plan_days=PLAN_DAYS)
    database.commit()
    assert database.get(Regimen, regimen.id).last_given_date == given
    tablet_patient = create_patient(database, nurse.fls_service, nurse)
    with pytest.raises(records.PatientStatusError, match="given in clinic"):
        regimens.record_dose_given(database, nurse, tablet_patient.regimens[0], given, utc_now(),
                                   plan_days=PLAN_DAYS)  # fmt: skip


def test_no_consent_means_no_texts_planned(database, nurse):
    patient = create_patient(database, nurse.fls_service, nurse, sms_consent=False)
    assert _statuses(database, patient) == {}


def test_a_pause_that_has_ended_is_resumed_by_the_planning_job(app, database, patient, nurse):
    from webapp.reminders import jobs

    records.pause_patient(database, nurse, patient, uk_today() + timedelta(days=1), utc_now())
    still_paused = create_patient(database, nurse.fls_service, nurse)
    records.pause_patient(database, nurse, still_paused, uk_today() + timedelta(days=9),
                          utc_now())  # fmt: skip
    until_resumed = create_patient(database, nurse.fls_service, nurse)
    records.pause_patient(database, nurse, until_resumed, None, utc_now())
    database.commit()
    assert records.resume_due_patients(database, utc_now()) == 0
    assert records.resume_due_patients(database, utc_now() + timedelta(days=1)) == 1
    database.rollback()

    patient = database.get(Patient, patient.id)
    patient.paused_until = uk_today()
    database.commit()
    summary = jobs.run_job(app, jobs.job_named("plan-ahead"))
    assert summary["resumed"] == 1
    resumed = database.get(Patient, patient.id)
    assert (resumed.status, resumed.paused_until) == ("active", None)
    assert "planned" in _statuses(database, resumed)["dose"]
    assert database.get(Patient, still_paused.id).status == "paused"
    assert database.get(Patient, until_resumed.id).status == "paused"
