"""A reply or a nurse's change works the patient's figures out again at once."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients import factories as enrolled
from tests.reminders.factories import create_patient
from tests.reminders.inbound_support import reply, sent_text
from webapp.adherence.facts import Reason
from webapp.adherence.refresh import RECENT_LOOK_BACK, recently_changed
from webapp.adherence.worklist_queries import open_items_for
from webapp.clock import uk_today, utc_now
from webapp.models.follow_up import PatientMeasures
from webapp.models.staff import Role
from webapp.patients import csv_io, records, regimens


@pytest.fixture
def nurse(database):
    service = create_fls_service(database, name="Hooks FLS")
    return create_staff_member(database, Role.NURSE, fls_service=service)


def _computed_at(database, patient) -> datetime | None:
    database.expire_all()
    return database.scalar(select(PatientMeasures.computed_at)
                           .where(PatientMeasures.patient_id == patient.id))  # fmt: skip


def test_an_urgent_reply_is_on_the_worklist_at_once(database):
    patient = create_patient(database)
    now = utc_now()
    sent_text(database, patient, [(patient.regimens[0], "dose", uk_today(now))],
              now - timedelta(hours=1))  # fmt: skip
    database.commit()

    reply(database, patient, "Taken it but my jaw hurts", now)

    reasons = [item.reason for item in open_items_for(database, patient.fls_service_id,
                                                        patient.id)]  # fmt: skip
    assert Reason.URGENT_SIDE_EFFECT in reasons
    assert _computed_at(database, patient) == now


def test_a_plain_answer_waits_for_the_next_run_of_the_job(database):
    patient = create_patient(database)
    now = utc_now()
    sent_text(database, patient, [(patient.regimens[0], "dose", uk_today(now))],
              now - timedelta(hours=1))  # fmt: skip
    database.commit()

    reply(database, patient, "taken", now)

    assert _computed_at(database, patient) is None
    assert recently_changed(database, now - RECENT_LOOK_BACK) == [patient.id]


def test_the_same_reply_again_changes_nothing(database):
    patient = create_patient(database)
    now = utc_now()
    reply(database, patient, "hello?", now, sid="SMrepeat")
    reply(database, patient, "hello?", now + timedelta(minutes=5), sid="SMrepeat")
    assert _computed_at(database, patient) == now


def test_each_change_a_nurse_makes_works_the_figures_out_again(database, nurse):
    patient = enrolled.create_patient(database, nurse.fls_service, nurse)
    assert _computed_at(database, patient) is not None  # on enrolment
    steps = [
        lambda now: records.update_patient(database, nurse, patient,
                                           _details(database, patient), now, plan_days=14),
        lambda now: records.pause_patient(database, nurse, patient, None, now),
        lambda now: records.resume_patient(database, nurse, patient, now, plan_days=14),
        lambda now: regimens.add_regimen(database, nurse, patient, _regimen("denosumab_6_monthly"),
                                         now, plan_days=14),
        lambda now: regimens.record_dose_given(database, nurse, patient.regimens[-1],
                                               uk_today(now), now, plan_days=14),
        lambda now: regimens.stop_regimen(database, nurse, patient.regimens[0], uk_today(now),
                                          "Side effects", now),
        lambda now: regimens.switch_regimen(database, nurse, patient.regimens[-1],
                                            uk_today(now), "Switching", _regimen(
                                                "zoledronic_acid_yearly"), now, plan_days=14),
        lambda now: records.opt_out_patient(database, nurse, patient, now),
        lambda now: records.discharge_patient(database, nurse, patient, "Moved away", now),
    ]  # fmt: skip
    for minutes, step in enumerate(steps, start=1):
        now = utc_now() + timedelta(minutes=minutes)
        step(now)
        database.commit()
        assert _computed_at(database, patient) == now, minutes


def test_an_import_works_out_every_new_patient_at_once(database, nurse):
    text = "\n".join([
        ",".join(csv_io.COLUMNS),
        f"9434765919,Agnes,Example,1946-05-17,07700 900401,alendronic_acid_weekly,"
        f"{uk_today() - timedelta(days=10):%Y-%m-%d},08:00,yes,,,no,",
        f"9990000018,Bert,Sample,1950-02-01,07700 900402,alendronic_acid_weekly,"
        f"{uk_today() - timedelta(days=10):%Y-%m-%d},08:00,yes,,,no,",
    ]) + "\n"
    csv_io.import_patients(database, text.encode(), nurse.fls_service, utc_now(),
                           allow_drama=True, plan_days=14)  # fmt: skip
    assert database.scalar(select(func.count()).select_from(PatientMeasures)) == 2


def _details(database, patient):
    from webapp.patients.details import PatientRules, check_patient

    entry = enrolled.patient_entry(nhs_number=patient.nhs_number, first_name="Agnes",
                                   mobile=patient.mobile)  # fmt: skip
    rules = PatientRules(session=database, service=patient.fls_service, today=uk_today(),
                         allow_drama=True, patient=patient)  # fmt: skip
    details, errors = check_patient(entry, rules, ["alendronic_acid_weekly"])
    assert not errors, errors
    return details


def _regimen(medicine):
    from webapp.patients.details import check_regimen

    details, errors = check_regimen(enrolled.regimen_entry(medicine=medicine), uk_today())
    assert not errors, errors
    return details
