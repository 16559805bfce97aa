"""The audit log names a patient by id only: never their name, NHS number, birth date or mobile."""

import json
from datetime import date, timedelta

from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients.factories import PLAN_DAYS, create_patient, patient_entry, regimen_entry
from webapp.clock import uk_today, utc_now
from webapp.models.staff import AuditEvent, Role
from webapp.patients import records, regimens
from webapp.patients.details import PatientRules, check_patient, check_regimen

NAME, NEW_NAME = "Philippa", "Philomena"
NHS, NEW_NHS = "9434765919", "9990000018"
MOBILE, NEW_MOBILE = "+447700900321", "+447700900322"
BORN = date(1941, 7, 23)


def _events(database, patient_id) -> list[AuditEvent]:
    return list(database.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "patient",
                                 AuditEvent.entity_id == str(patient_id))
        .order_by(AuditEvent.id)
    ))  # fmt: skip


def _everything_logged(database) -> str:
    rows = database.execute(select(AuditEvent.before, AuditEvent.after, AuditEvent.action,
                                   AuditEvent.entity_id)).all()  # fmt: skip
    return json.dumps([list(row) for row in rows], default=str)


def test_no_identifying_value_reaches_the_audit_log_through_a_whole_record(database):
    service = create_fls_service(database, name="Audit FLS")
    nurse = create_staff_member(database, Role.NURSE, fls_service=service)
    patient = create_patient(database, service, nurse, first_name=NAME, last_name="Quennell",
                             nhs_number=NHS, mobile=MOBILE, date_of_birth=BORN)  # fmt: skip
    now = utc_now()
    records.record_patient_viewed(database, nurse, patient, now)
    rules = PatientRules(session=database, service=service, today=uk_today(), allow_drama=True,
                         patient=patient)  # fmt: skip
    details, errors = check_patient(
        patient_entry(first_name=NEW_NAME, last_name="Quennell-Smith", nhs_number=NEW_NHS,
                      mobile=NEW_MOBILE, date_of_birth=BORN + timedelta(days=1),
                      reminder_time="09:00"),
        rules, ["alendronic_acid_weekly"])  # fmt: skip
    assert errors == {}
    records.update_patient(database, nurse, patient, details, now, plan_days=PLAN_DAYS)
    records.pause_patient(database, nurse, patient, None, now)
    records.resume_patient(database, nurse, patient, now, plan_days=PLAN_DAYS)
    calcium, _ = check_regimen(regimen_entry(medicine="calcium_vitamin_d_daily"), uk_today())
    added = regimens.add_regimen(database, nurse, patient, calcium, now, plan_days=PLAN_DAYS)
    regimens.stop_regimen(database, nurse, added, uk_today(), f"{NAME} felt sick", now)
    records.discharge_patient(database, nurse, patient, f"Moved away, {NAME} asked", now)
    database.commit()

    logged = _everything_logged(database)
    for secret in (NAME, NEW_NAME, "Quennell", NHS, NEW_NHS, "943 476 5919", MOBILE, NEW_MOBILE,
                   "7700900321", "7700 900321", BORN.isoformat(), "1941-07-24"):
        assert secret not in logged, secret

    actions = [event.action for event in _events(database, patient.id)]
    assert actions == ["enrol", "view", "update", "pause", "resume", "add-medicine",
                       "stop-medicine", "discharge"]  # fmt: skip
    update = _events(database, patient.id)[2]
    assert update.after == {
        "first_name": "changed", "last_name": "changed", "nhs_number": "changed",
        "mobile": "changed", "date_of_birth": "changed", "reminder_time": "09:00",
    }
    assert update.before == {"reminder_time": "08:00"}
    assert update.actor_id == nurse.id


def test_enrolment_logs_statuses_medicines_and_ids(database):
    patient = create_patient(database, first_name=NAME, nhs_number=NHS, mobile=MOBILE)
    enrol = _events(database, patient.id)[0]
    assert enrol.before is None
    assert enrol.after["status"] == "active"
    assert enrol.after["sms_consent"] is True
    assert enrol.after["medicines"] == ["alendronic_acid_weekly"]
    assert enrol.after["nhs_number"] == "recorded"
    assert enrol.after["first_name"] == "recorded"


def test_a_medicine_change_is_logged_on_the_patient_with_the_reason_kept_out(database):
    service = create_fls_service(database, name="Audit FLS 2")
    nurse = create_staff_member(database, Role.NURSE, fls_service=service)
    patient = create_patient(database, service, nurse)
    regimen = patient.regimens[0]
    regimens.stop_regimen(database, nurse, regimen, uk_today(), "Stomach pain", utc_now())
    database.commit()
    stop = _events(database, patient.id)[-1]
    assert stop.action == "stop-medicine"
    assert stop.after["regimen"]["medicine"] == "alendronic_acid_weekly"
    assert stop.after["regimen"]["stopped_on"] == uk_today().isoformat()
    assert stop.after["stop_reason"] == "recorded"
    assert "Stomach pain" not in _everything_logged(database)
