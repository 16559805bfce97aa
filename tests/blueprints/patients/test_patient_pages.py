"""The nurse's patient pages: list, search, enrol, record, change, pause, resume, opt out,
discharge, and medicines, through the real forms with CSRF on."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import error_messages, get_page, post_form, submit
from tests.patients.factories import create_patient
from webapp.clock import uk_today
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder
from webapp.models.staff import AuditEvent, Role

TODAY = uk_today()


def _boxes(name: str, day) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}  # fmt: skip


def _enrol_form(**overrides) -> dict[str, str]:
    from datetime import date

    values = {
        "nhs_number": "943 476 5919", "first_name": "Winifred", "last_name": "Example",
        "mobile": "07700 900777", "named_nurse_id": "", "reminder_time": "08:00",
        "discreet": "no", "sms_consent": "yes", "medicine": "alendronic_acid_weekly",
        "daily_texts": "no",
        **_boxes("date_of_birth", date(1944, 2, 29)), **_boxes("fracture_date", None),
        **_boxes("first_dose_date", TODAY - timedelta(days=3)),
        **_boxes("last_given_date", None),
    }  # fmt: skip
    return values | overrides


@pytest.fixture
def nurse(client, database):
    service = create_fls_service(database, name="Pages FLS")
    service.sms_name = "Pages FLS"
    database.commit()
    staff = create_staff_member(database, Role.NURSE, fls_service=service, full_name="Nia Nurse")
    assert sign_in(client, staff).status_code == 302
    return staff


@pytest.fixture
def patient(database, nurse):
    return create_patient(database, nurse.fls_service, nurse, first_name="Olive")


def test_the_list_shows_the_services_patients_only(client, database, nurse, patient):
    create_patient(database, first_name="Someone", last_name="Elsewhere")
    page = get_page(client, "/patients/")
    text = page.get_text()
    assert "Example, Olive" in text
    assert "Elsewhere" not in text
    assert page.select_one("caption").get_text(strip=True) == "1 patient"


def test_the_list_is_paginated_with_a_cap(client, database, nurse):
    for number in range(27):
        create_patient(database, nurse.fls_service, last_name=f"Patient{chr(65 + number % 26)}")
    page = get_page(client, "/patients/?page=2&per_page=500")
    assert len(page.select("tbody tr")) == 2
    assert "Page 2 of 2" in page.get_text()


def test_search_by_name_or_nhs_number_is_posted(client, database, nurse, patient):
    create_patient(database, nurse.fls_service, first_name="Mabel", nhs_number="9990000018")
    page = post_form(client, "/patients/", {"q": "oli exam"})
    assert [row.a.get_text() for row in page.select("tbody tr")] == ["Example, Olive"]
    page = post_form(client, "/patients/", {"q": "999 000 00"})
    assert [row.a.get_text() for row in page.select("tbody tr")] == ["Example, Mabel"]
    page = post_form(client, "/patients/", {"q": "zzz"})
    assert "No patients match" in page.get_text()
    logged = database.scalars(select(AuditEvent.after).where(
        AuditEvent.action == "view-patient-list")).all()  # fmt: skip
    assert all("oli" not in str(after) and "999" not in str(after) for after in logged)


def test_enrol_with_errors_shows_them_all_and_saves_nothing(client, database, nurse):
    page = post_form(client, "/patients/enrol", _enrol_form(
        nhs_number="943 476 5918", mobile="0113 496 0000", reminder_time="15:00",
        sms_consent="", **_boxes("first_dose_date", None),
        **{"date_of_birth-day": "31", "date_of_birth-month": "2"}))  # fmt: skip
    assert page.title.get_text().startswith("Error: Enrol a patient")
    assert error_messages(page) == [
        "This is not a valid NHS number: check each digit against the patient's records",
        "Date of birth must be a real date",
        "Enter a UK mobile number, like 07700 900123. Texts to a landline may be read aloud",
        "Enter the date of the first dose",
        "Select whether the patient has agreed to get texts",
        "Alendronic acid is taken first thing in the morning: choose a reminder time between "
        "6am and 10am",
    ]
    assert database.scalar(select(func.count()).select_from(Patient)) == 0


def test_enrol_plans_the_welcome_and_shows_the_patient(client, database, nurse):
    response = submit(client, "/patients/enrol", _enrol_form(named_nurse_id=str(nurse.id)))
    assert response.status_code == 302
    patient = database.scalar(select(Patient))
    assert response.location.endswith(f"/patients/{patient.id}")
    assert patient.sms_consent_recorded_by_id == nurse.id
    with client.session_transaction() as cookie:  # the message waiting in the session cookie
        assert "Winifred" not in str(dict(cookie)) and "5919" not in str(dict(cookie))
    page = get_page(client, response.location)
    text = page.get_text(" ")
    assert "The patient has been enrolled" in text
    assert "943 476 5919" in text and "07700 900777" in text
    assert "Welcome text" in text and "Dose reminder" in text
    assert "Planned" in text


def test_the_patient_page_is_logged_as_a_view(client, database, nurse, patient):
    get_page(client, f"/patients/{patient.id}")
    views = database.scalars(select(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.entity_id == str(patient.id))).all()
    assert [(view.actor_id, view.after) for view in views] == [
        (nurse.id, {"page": "patient_record"})]


def test_edit_changes_details_and_checks_them(client, database, nurse, patient):
    url = f"/patients/{patient.id}/edit"
    page = get_page(client, url)
    assert page.select_one("#mobile")["value"] == "07700 900" + patient.mobile[-3:]
    form = {field["name"]: field.get("value", "") for field in page.select("input[name]")
            if field.get("type") not in ("radio", "hidden")}  # fmt: skip
    form |= {"discreet": "yes", "sms_consent": "yes", "named_nurse_id": ""}
    bad = post_form(client, url, form | {"reminder_time": "22:00"})
    assert error_messages(bad) == [
        "Choose a time from 07:00 to before 21:00: texts are only sent then"]
    response = submit(client, url, form | {"last_name": "Newname", "reminder_time": "9am"})
    assert response.status_code == 302
    stored = database.get(Patient, patient.id)
    assert (stored.last_name, stored.discreet, str(stored.reminder_time)) == (
        "Newname", True, "09:00:00")


def test_pause_and_resume(client, database, nurse, patient):
    url = f"/patients/{patient.id}/pause"
    page = post_form(client, url, _boxes("paused_until", TODAY))
    assert error_messages(page) == ["The date to pause until must be in the future"]
    until = TODAY + timedelta(days=14)
    assert submit(client, url, _boxes("paused_until", until)).status_code == 302
    record = get_page(client, f"/patients/{patient.id}")
    assert "Texts paused until" in record.get_text()
    planned = database.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.patient_id == patient.id, Reminder.status == "planned"))  # fmt: skip
    assert planned == 0
    assert submit(client, url.replace("pause", "resume"), {}).status_code == 302
    assert database.get(Patient, patient.id).status == "active"
    planned = database.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.patient_id == patient.id, Reminder.status == "planned"))  # fmt: skip
    assert planned > 0


def test_resuming_an_active_patient_explains_why_not(client, database, nurse, patient):
    response = submit(client, f"/patients/{patient.id}/resume", {}, follow_redirects=True)
    assert "cannot be resumed: they are active" in response.get_data(as_text=True)


def test_opt_out_and_discharge(client, database, nurse, patient):
    assert submit(client, f"/patients/{patient.id}/opt-out", {}).status_code == 302
    assert database.get(Patient, patient.id).status == "opted_out"
    page = post_form(client, f"/patients/{patient.id}/discharge", {"reason": "  "})
    assert error_messages(page) == ["Enter the reason for the discharge"]
    response = submit(client, f"/patients/{patient.id}/discharge", {"reason": "Completed"})
    assert response.status_code == 302
    stored = database.get(Patient, patient.id)
    assert (stored.status, stored.discharge_reason) == ("discharged", "Completed")
    page = post_form(client, f"/patients/{patient.id}/discharge", {"reason": "Again"})
    assert error_messages(page) == ["This patient has already been discharged"]


def test_add_switch_stop_and_record_a_dose(client, database, nurse, patient):
    base = f"/patients/{patient.id}/medicines"
    page = post_form(client, f"{base}/add", {
        "medicine": "alendronic_acid_weekly", "daily_texts": "no",
        **_boxes("first_dose_date", TODAY), **_boxes("last_given_date", None)})
    assert error_messages(page) == ["The patient is already on this medicine"]
    response = submit(client, f"{base}/add", {
        "medicine": "denosumab_6_monthly", "daily_texts": "no",
        **_boxes("first_dose_date", TODAY - timedelta(days=180)),
        **_boxes("last_given_date", TODAY - timedelta(days=180))})
    assert response.status_code == 302
    denosumab = database.scalar(select(Regimen).where(Regimen.medicine == "denosumab_6_monthly"))
    page = post_form(client, f"{base}/{denosumab.id}/dose-given",
                     _boxes("given_on", TODAY + timedelta(days=1)))  # fmt: skip
    assert error_messages(page) == ["The date given must be today or in the past"]
    given = TODAY - timedelta(days=1)
    assert submit(client, f"{base}/{denosumab.id}/dose-given",
                  _boxes("given_on", given)).status_code == 302  # fmt: skip
    assert database.get(Regimen, denosumab.id).last_given_date == given

    first = patient.regimens[0].id
    page = post_form(client, f"{base}/{first}/switch", {
        "medicine": "risedronate_weekly", "daily_texts": "no", "reason": "",
        **_boxes("stopped_on", TODAY), **_boxes("first_dose_date", TODAY),
        **_boxes("last_given_date", None)})
    assert error_messages(page) == ["Enter the reason for stopping"]
    page = post_form(client, f"{base}/{first}/switch", {
        "medicine": "alendronic_acid_weekly", "daily_texts": "no", "reason": "Same",
        **_boxes("stopped_on", TODAY), **_boxes("first_dose_date", TODAY),
        **_boxes("last_given_date", None)})
    assert error_messages(page) == ["Choose a different medicine from the one being stopped"]
    response = submit(client, f"{base}/{first}/switch", {
        "medicine": "risedronate_weekly", "daily_texts": "no", "reason": "Indigestion",
        **_boxes("stopped_on", TODAY), **_boxes("first_dose_date", TODAY),
        **_boxes("last_given_date", None)})
    assert response.status_code == 302
    old = database.get(Regimen, first)
    assert old.switched_to.medicine == "risedronate_weekly"
    assert submit(client, f"{base}/{denosumab.id}/stop", {
        "reason": "Specialist advice", **_boxes("stopped_on", TODAY)}).status_code == 302
    record = get_page(client, f"/patients/{patient.id}").get_text(" ")
    assert "switched to Risedronate 35 mg" in record
    assert "Specialist advice" in record


def test_the_stop_date_starts_as_today(client, database, nurse, patient):
    page = get_page(client, f"/patients/{patient.id}/medicines/{patient.regimens[0].id}/stop")
    assert page.select_one("[name=stopped_on-day]")["value"] == str(TODAY.day)
    assert page.select_one("[name=stopped_on-year]")["value"] == str(TODAY.year)


def test_every_patient_page_renders_for_the_nurse(client, database, nurse, patient):
    regimen = patient.regimens[0].id
    for url in ("/patients/", "/patients/enrol", f"/patients/{patient.id}",
                f"/patients/{patient.id}/edit", f"/patients/{patient.id}/pause",
                f"/patients/{patient.id}/opt-out", f"/patients/{patient.id}/discharge",
                f"/patients/{patient.id}/medicines/add",
                f"/patients/{patient.id}/medicines/{regimen}/stop",
                f"/patients/{patient.id}/medicines/{regimen}/switch",
                f"/patients/{patient.id}/medicines/{regimen}/dose-given"):  # fmt: skip
        get_page(client, url)


def test_an_unknown_regimen_is_not_found(client, database, nurse, patient):
    assert client.get(f"/patients/{patient.id}/medicines/999999/stop").status_code == 404


def _queries_for(app, client, url: str) -> int:
    from sqlalchemy import event

    from webapp.extensions import db

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        get_page(client, url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_list_and_record_cost_the_same_queries_however_many_patients(
    app, client, database, nurse, patient
):
    from tests.patients.factories import regimen_entry

    few_list = _queries_for(app, client, "/patients/")
    few_record = _queries_for(app, client, f"/patients/{patient.id}")
    for _ in range(6):
        create_patient(database, nurse.fls_service, nurse, regimens=[
            regimen_entry(), regimen_entry(medicine="calcium_vitamin_d_daily")])
    busy = create_patient(database, nurse.fls_service, nurse, regimens=[
        regimen_entry(), regimen_entry(medicine="calcium_vitamin_d_daily",
                                       first_dose_date=TODAY - timedelta(days=30))])
    assert _queries_for(app, client, "/patients/") == few_list
    assert _queries_for(app, client, f"/patients/{busy.id}") == few_record


def test_the_same_nhs_number_enrolled_at_the_same_moment_is_a_form_error(
    client, database, nurse
):
    """Another nurse's enrolment lands between our check and our insert: the unique
    constraint refuses ours, and the nurse sees the usual message, not a 500."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from webapp.extensions import db

    def enrol_the_same_number_elsewhere(*_args):
        with Session(db.engine) as other:
            service = other.merge(nurse.fls_service)
            create_patient(other, service, nhs_number="943 476 5919", mobile="07700 900888")

    event.listen(Session, "before_flush", enrol_the_same_number_elsewhere, once=True)
    try:
        page = post_form(client, "/patients/enrol", _enrol_form())
    finally:
        if event.contains(Session, "before_flush", enrol_the_same_number_elsewhere):
            event.remove(Session, "before_flush", enrol_the_same_number_elsewhere)
    assert error_messages(page) == [
        "A patient with this NHS number is already enrolled in your service"
    ]
    names = database.scalars(select(Patient.first_name)).all()
    assert len(names) == 1 and "Winifred" not in names
