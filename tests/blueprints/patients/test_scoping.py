"""Only nurses of the patient's service reach a patient: anyone else gets 404 on every URL."""

import pytest
from sqlalchemy import func, select

from tests.accounts.factories import PASSWORD, create_fls_service, create_staff_member
from tests.patients.factories import create_patient
from webapp.models.patients import Patient
from webapp.models.staff import AuditEvent, Role
from webapp.patients.queries import patient_for_nurse, regimen_for_nurse, search_patients


def _patient_urls(app, patient) -> list[tuple[str, str]]:
    """Every patient URL with this patient's ids filled in, with each method it answers."""
    regimen = patient.regimens[0]
    values = {"patient_id": patient.id, "regimen_id": regimen.id}
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("patients."):
            url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
            urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


@pytest.fixture
def no_csrf_client(app_without_csrf):
    return app_without_csrf.test_client()


@pytest.fixture
def app_without_csrf(app):
    from config import TestConfig
    from webapp import create_app
    from webapp.extensions import db

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app(type("NoCsrf", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                      "WTF_CSRF_ENABLED": False}))  # fmt: skip
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("who", ["nurse of another service", "admin", "admin of the service"])
def test_anyone_but_the_services_nurses_gets_not_found_everywhere(
    app, database, no_csrf_client, who
):
    service = create_fls_service(database, name="Scoped FLS")
    patient = create_patient(database, service)
    if who == "admin of the service":
        staff = create_staff_member(database, Role.ADMIN, fls_service=service)
    elif who == "admin":
        staff = create_staff_member(database, Role.ADMIN)
    else:
        staff = create_staff_member(database, Role.NURSE)
    signed_in = no_csrf_client.post("/staff/sign-in", data={"email": staff.email,
                                                            "password": PASSWORD})  # fmt: skip
    assert signed_in.status_code == 302
    urls = _patient_urls(app, patient)
    if who == "nurse of another service":  # their own list and enrol page are theirs to use
        urls = [(method, url) for method, url in urls if f"/{patient.id}" in url]
    assert len(urls) >= 13
    answered = {f"{method} {url}": no_csrf_client.open(url, method=method, data={
        "reason": "x", "q": "Example"}).status_code for method, url in urls}  # fmt: skip
    assert {key: status for key, status in answered.items() if status != 404} == {}
    assert database.get(Patient, patient.id).status == "active"
    views = database.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == staff.id, AuditEvent.entity_type == "patient"))  # fmt: skip
    assert views == 0


def test_the_services_nurse_reaches_every_url(app, database, no_csrf_client):
    service = create_fls_service(database, name="Own FLS")
    patient = create_patient(database, service)
    nurse = create_staff_member(database, Role.NURSE, fls_service=service)
    no_csrf_client.post("/staff/sign-in", data={"email": nurse.email, "password": PASSWORD})
    gets = [url for method, url in _patient_urls(app, patient) if method == "GET"]
    assert {url: no_csrf_client.get(url).status_code for url in gets} == dict.fromkeys(gets, 200)


def test_scoped_queries_return_nothing_outside_the_service(database):
    ours = create_fls_service(database, name="Ours")
    theirs = create_fls_service(database, name="Theirs")
    patient = create_patient(database, ours, first_name="Hester")
    nurse = create_staff_member(database, Role.NURSE, fls_service=ours)
    other_nurse = create_staff_member(database, Role.NURSE, fls_service=theirs)
    admin = create_staff_member(database, Role.ADMIN, fls_service=ours)
    regimen = patient.regimens[0].id
    assert patient_for_nurse(database, nurse, patient.id).id == patient.id
    assert regimen_for_nurse(database, nurse, patient.id, regimen).id == regimen
    for outsider in (other_nurse, admin):
        assert patient_for_nurse(database, outsider, patient.id) is None
        assert regimen_for_nurse(database, outsider, patient.id, regimen) is None
        assert search_patients(database, outsider, "Hester") == []
    nurse.active = False
    assert patient_for_nurse(database, nurse, patient.id) is None
