"""Contacts a nurse records, on SQLite and PostgreSQL: every refusal says what to do and
writes nothing; a contact is audited by id, re-plans a clinic dose and counts at once."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.accounts.factories import create_fls_service, create_staff_member
from tests.patients.factories import PLAN_DAYS, create_patient, regimen_entry
from webapp.adherence import refresh
from webapp.adherence.refresh import refresh_patients
from webapp.clock import utc_now
from webapp.models.follow_up import Contact, ContactKind, PatientMeasures, WorklistEntry
from webapp.models.patients import Regimen
from webapp.models.staff import AuditEvent, Role
from webapp.patients import regimens
from webapp.patients.contacts import ContactError, record_contact

# Midday in June, UK summer time: every date the tests work out is the same wherever the
# clock stands (no midnight or clock change between two lines of a test).
NOW = datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _midday_in_june():
    with time_machine.travel(NOW):
        yield


@pytest.fixture
def nurse(database):
    service = create_fls_service(database, name="Contacts FLS")
    return create_staff_member(database, Role.NURSE, fls_service=service)


@pytest.fixture
def patient(database, nurse):
    """Weekly alendronic acid, 13 weeks after the fracture: the 12 to 16 week contact is due."""
    return create_patient(database, nurse.fls_service, nurse,
                          fracture_date=TODAY - timedelta(weeks=13))  # fmt: skip


@pytest.fixture
def denosumab(database, nurse):
    entry = regimen_entry(medicine="denosumab_6_monthly",
                          first_dose_date=TODAY - timedelta(days=200))  # fmt: skip
    return create_patient(database, nurse.fls_service, nurse, regimens=[entry],
                          reminder_time="10:00").regimens[0]  # fmt: skip


def _record(database, nurse, patient, kind="phone_call", day=TODAY, note=None, regimen=None):
    return record_contact(database, nurse, patient, kind, day, note, regimen, utc_now(),
                          plan_days=PLAN_DAYS)  # fmt: skip


def _refused(database, nurse, patient, **given) -> dict[str, str]:
    """The messages a refused contact gives, checking it left nothing behind."""
    audits = database.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ContactError) as refused:
        _record(database, nurse, patient, **given)
    database.rollback()
    assert database.scalar(select(func.count()).select_from(Contact)) == 0
    assert database.scalar(select(func.count()).select_from(AuditEvent)) == audits
    return refused.value.errors


def _count(database, model, **where) -> int:
    return database.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_a_call_is_kept_audited_by_id_and_counts_at_once(database, nurse, patient):
    refresh_patients(database, [patient.id], utc_now())
    database.commit()
    assert _count(database, WorklistEntry, patient_id=patient.id, reason="contact_due") == 1

    contact = _record(database, nurse, patient, note="Spoke to Mrs Example's daughter")
    database.commit()
    stored = database.get(Contact, contact.id)
    assert (stored.kind, stored.happened_on, stored.regimen_id, stored.recorded_by_id) == (
        "phone_call", TODAY, None, nurse.id)
    event = database.scalar(select(AuditEvent).where(AuditEvent.action == "record-contact"))
    assert (event.entity_type, event.entity_id, event.actor_id) == (
        "patient", str(patient.id), nurse.id)
    assert event.after["contact"] == {"contact_id": contact.id, "kind": "phone_call",
                                      "happened_on": TODAY.isoformat(), "regimen_id": None,
                                      "note": "recorded"}  # fmt: skip
    assert "daughter" not in str(event.after) and event.before is None
    # The rollup counts it: the contact due has gone from the worklist.
    assert _count(database, WorklistEntry, patient_id=patient.id, reason="contact_due") == 0
    assert database.get(PatientMeasures, patient.id) is not None


def test_a_clinic_dose_is_recorded_through_the_regimen_and_re_plans_the_next(
    database, nurse, denosumab
):
    given = TODAY - timedelta(days=2)
    contact = _record(database, nurse, denosumab.patient, "dose_given_gp", given,
                      regimen=denosumab)  # fmt: skip
    database.commit()
    assert database.get(Regimen, denosumab.id).last_given_date == given
    assert (contact.kind, contact.regimen_id, contact.happened_on) == (
        "dose_given_gp", denosumab.id, given)
    actions = database.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_id == str(denosumab.patient_id))).all()  # fmt: skip
    assert "record-dose-given" in actions and "record-contact" not in actions
    # An earlier dose recorded late is kept, but the next dose still counts from the latest.
    _record(database, nurse, denosumab.patient, "dose_given_clinic",
            TODAY - timedelta(days=190), regimen=denosumab)  # fmt: skip
    database.commit()
    assert database.get(Regimen, denosumab.id).last_given_date == given
    assert _count(database, Contact, regimen_id=denosumab.id) == 2


def test_the_dose_given_page_leaves_a_contact_too(database, nurse, denosumab):
    regimens.record_dose_given(database, nurse, denosumab, TODAY, utc_now(), plan_days=PLAN_DAYS)
    database.commit()
    contact = database.scalar(select(Contact))
    assert (contact.kind, contact.happened_on, contact.recorded_by_id) == (
        ContactKind.DOSE_GIVEN_CLINIC, TODAY, nurse.id)


def test_a_home_injection_given_in_clinic_is_a_contact_alone(database, nurse):
    patient = create_patient(database, nurse.fls_service, nurse, regimens=[
        regimen_entry(medicine="teriparatide_daily")])  # fmt: skip
    regimen = patient.regimens[0]
    _record(database, nurse, patient, "dose_given_clinic", TODAY, regimen=regimen)
    database.commit()
    assert database.get(Regimen, regimen.id).last_given_date is None
    assert _count(database, Contact, regimen_id=regimen.id, kind="dose_given_clinic") == 1


def test_a_confirmation_needs_one_of_the_patients_medicines(database, nurse, patient):
    other = create_patient(database, nurse.fls_service, nurse).regimens[0]
    message = "Select the medicine the contact was about"
    assert _refused(database, nurse, patient, kind="confirmed_by_gp") == {"regimen_id": message}
    assert _refused(database, nurse, patient, kind="confirmed_by_pharmacy", regimen=other) == {
        "regimen_id": message}
    contact = _record(database, nurse, patient, "confirmed_by_pharmacy",
                      regimen=patient.regimens[0])  # fmt: skip
    assert contact.regimen_id == patient.regimens[0].id


def test_a_call_is_about_no_one_medicine(database, nurse, patient):
    contact = _record(database, nurse, patient, "visit", regimen=patient.regimens[0])
    assert contact.regimen_id is None


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"kind": "text_message"}, "kind", "Select what kind of contact it was"),
    ({"kind": ""}, "kind", "Select what kind of contact it was"),
    ({"day": None}, "happened_on", "Enter the date of the contact"),
    ({"day": TODAY + timedelta(days=1)}, "happened_on",
     "The date of the contact must be today or in the past"),
    ({"note": "x" * 501}, "note", "The note must be 500 characters or fewer"),
    ({"note": "a\x00b"}, "note",
     "The note has a hidden character (a null byte) that cannot be saved: type it again"),
])  # fmt: skip
def test_each_refusal_names_the_field_and_what_to_do(database, nurse, patient, given, field,
                                                     message):  # fmt: skip
    assert _refused(database, nurse, patient, **given) == {field: message}


def test_a_date_long_before_the_fracture_is_refused(database, nurse, patient):
    earliest = patient.fracture_date - timedelta(days=365)
    assert _refused(database, nurse, patient, day=earliest - timedelta(days=1)) == {
        "happened_on": f"The date of the contact must be on or after {earliest.day} "
        f"{earliest:%B %Y}, a year before the fracture"}
    assert _record(database, nurse, patient, day=earliest).happened_on == earliest


def test_without_a_fracture_date_the_margin_counts_from_enrolment(database, nurse):
    patient = create_patient(database, nurse.fls_service, nurse)
    too_early = TODAY - timedelta(days=366)
    assert _refused(database, nurse, patient, day=too_early)["happened_on"].endswith(
        "a year before the patient was enrolled")


def test_a_dose_given_must_be_an_injection_or_infusion_still_taken(
    database, nurse, patient, denosumab
):
    assert _refused(database, nurse, patient, kind="dose_given_clinic",
                    regimen=patient.regimens[0]) == {"regimen_id": (  # fmt: skip
        "Alendronic acid 70 mg is taken at home: record a dose given only for an injection "
        "or an infusion")}
    assert _refused(database, nurse, denosumab.patient, kind="dose_given_gp",
                    day=denosumab.first_dose_date - timedelta(days=1), regimen=denosumab) == {
        "happened_on": "The date of the contact must be on or after the first dose, "
        f"{denosumab.first_dose_date.day} {denosumab.first_dose_date:%B %Y}"}  # fmt: skip
    regimens.stop_regimen(database, nurse, denosumab, TODAY - timedelta(days=5), "Moved",
                          utc_now())  # fmt: skip
    database.commit()
    assert _refused(database, nurse, denosumab.patient, kind="dose_given_clinic",
                    regimen=denosumab) == {"regimen_id": (  # fmt: skip
        "This medicine has been stopped: a dose cannot be recorded for it")}
    stopped = TODAY - timedelta(days=5)
    assert _refused(database, nurse, denosumab.patient, kind="confirmed_by_gp",
                    regimen=denosumab) == {"happened_on": (  # fmt: skip
        f"The date of the contact must be on or before {stopped.day} {stopped:%B %Y}, when "
        "the medicine was stopped")}


def test_every_problem_is_given_at_once(database, nurse, patient):
    assert set(_refused(database, nurse, patient, kind="dose_given_gp", day=None,
                        note="y" * 600)) == {"regimen_id", "happened_on", "note"}  # fmt: skip


@pytest.mark.parametrize("kind", ["phone_call", "dose_given_clinic"])
def test_a_failure_part_way_leaves_nothing_once_rolled_back(
    database, nurse, denosumab, monkeypatch, kind
):
    def refresh_fails(*_args):
        raise RuntimeError("the rollup could not be written")

    monkeypatch.setattr(refresh, "refresh_patients", refresh_fails)
    audits = _count(database, AuditEvent)
    with pytest.raises(RuntimeError):
        _record(database, nurse, denosumab.patient, kind, regimen=denosumab)
    database.rollback()
    assert _count(database, Contact) == 0
    assert database.get(Regimen, denosumab.id).last_given_date is None
    assert _count(database, AuditEvent) == audits
