"""Admin pages for staff accounts: add, change, switch off, resets and unlock."""

import pytest
from sqlalchemy import select

from tests.accounts.factories import PASSWORD, create_fls_service, create_staff_member, sign_in
from tests.pages import error_messages, get_page, post_form, submit
from webapp.accounts.sign_in import count_failure, email_key
from webapp.auth.sessions import sign_in_policy
from webapp.clock import utc_now
from webapp.models.staff import AuditEvent, Role, StaffMember


@pytest.fixture
def admin(database):
    return create_staff_member(database, email="admin@nhs.net", full_name="Ada Admin")


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    sign_in(client, admin)
    return client


def test_staff_list_shows_every_account(admin_client, database):
    create_staff_member(database, Role.NURSE, full_name="Nia Nurse")
    page = get_page(admin_client, "/admin/staff")
    text = page.get_text()
    assert "Ada Admin" in text and "Nia Nurse" in text
    assert admin_client.get("/admin/staff").headers["Cache-Control"] == "no-store"


def test_adding_a_nurse_shows_a_temporary_password_once(admin_client, database, app):
    service = create_fls_service(database)
    page = post_form(admin_client, "/admin/staff/add", {
        "full_name": "Nia Nurse", "email": "Nia.Nurse@nhs.net", "role": "nurse",
        "fls_service_id": str(service.id),
    })
    assert page.h1.get_text(strip=True) == "Account added"
    password = page.find("code").get_text()
    nurse = database.scalars(
        select(StaffMember).where(StaffMember.email == "nia.nurse@nhs.net")
    ).one()
    assert nurse.fls_service_id == service.id and nurse.must_change_password
    client = app.test_client()
    sign_in(client, nurse, password)
    assert client.get("/staff/").location == "/staff/change-password"


def test_adding_explains_what_is_wrong(admin_client, database):
    page = post_form(admin_client, "/admin/staff/add", {
        "full_name": "", "email": "admin@nhs.net", "role": "nurse", "fls_service_id": "",
    })
    assert error_messages(page) == ["Enter their full name"]
    page = post_form(admin_client, "/admin/staff/add", {
        "full_name": "Someone", "email": "ADMIN@nhs.net", "role": "admin", "fls_service_id": "",
    })
    assert error_messages(page) == ["Another account already uses this email address"]
    page = post_form(admin_client, "/admin/staff/add", {
        "full_name": "Someone", "email": "new@nhs.net", "role": "nurse", "fls_service_id": "",
    })
    assert error_messages(page) == ["Select the Fracture Liaison Service the nurse works in"]
    assert len(database.scalars(select(StaffMember)).all()) == 1


def test_editing_an_account_is_audited_with_before_and_after(admin_client, admin, database):
    nurse = create_staff_member(database, Role.NURSE, full_name="Nia Nurse")
    page = get_page(admin_client, f"/admin/staff/{nurse.id}/edit")
    assert page.select_one("select option[selected]")["value"] == str(nurse.fls_service_id)
    response = submit(admin_client, f"/admin/staff/{nurse.id}/edit", {
        "full_name": "Nia Jones", "email": nurse.email, "role": "nurse",
        "fls_service_id": str(nurse.fls_service_id),
    })
    assert response.location == f"/admin/staff/{nurse.id}"
    event = database.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.entity_id) == ("update", admin.id, str(nurse.id))
    assert event.before == {"full_name": "Nia Nurse"} and event.after == {"full_name": "Nia Jones"}


def test_deactivating_asks_first_then_ends_their_session(admin_client, app, database):
    nurse = create_staff_member(database, Role.NURSE, full_name="Nia Nurse")
    nurse_client = app.test_client()
    sign_in(nurse_client, nurse)
    page = get_page(admin_client, f"/admin/staff/{nurse.id}/deactivate")
    assert page.h1.get_text(strip=True) == "Switch off Nia Nurse's account"
    response = submit(admin_client, f"/admin/staff/{nurse.id}/deactivate", {})
    assert response.location == f"/admin/staff/{nurse.id}"
    assert nurse_client.get("/staff/").location.startswith("/staff/sign-in")
    assert sign_in(app.test_client(), nurse).status_code == 200  # refused, form shown again
    assert "Switched off" in get_page(admin_client, f"/admin/staff/{nurse.id}").get_text()


def test_an_admin_cannot_switch_off_their_own_account(admin_client, admin, database):
    response = submit(admin_client, f"/admin/staff/{admin.id}/deactivate", {})
    assert response.location == f"/admin/staff/{admin.id}"
    database.refresh(admin)
    assert admin.active
    assert "You cannot deactivate your own account" in get_page(
        admin_client, f"/admin/staff/{admin.id}"
    ).get_text()


def test_reset_password_shows_a_new_one_and_the_old_stops_working(admin_client, app, database):
    nurse = create_staff_member(database, Role.NURSE)
    token = get_page(admin_client, f"/admin/staff/{nurse.id}").find(
        "input", attrs={"name": "csrf_token"}
    )["value"]
    response = admin_client.post(f"/admin/staff/{nurse.id}/reset-password",
                                 data={"csrf_token": token})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new_password = response.get_data(as_text=True).split("<code>")[1].split("</code>")[0]
    assert sign_in(app.test_client(), nurse, PASSWORD).status_code == 200
    assert sign_in(app.test_client(), nurse, new_password).status_code == 302


def test_unlock_and_reset_security_code_buttons(admin_client, database):
    nurse = create_staff_member(database, Role.NURSE, with_security_code=True)
    policy = sign_in_policy()
    for _ in range(policy.lockout_threshold):
        count_failure(database, policy, email_key(policy, nurse.email), utc_now())
    database.commit()
    page = get_page(admin_client, f"/admin/staff/{nurse.id}")
    assert "Locked until" in page.get_text()
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    admin_client.post(f"/admin/staff/{nurse.id}/unlock", data={"csrf_token": token})
    admin_client.post(f"/admin/staff/{nurse.id}/reset-security-code", data={"csrf_token": token})
    page = get_page(admin_client, f"/admin/staff/{nurse.id}")
    assert "Locked until" not in page.get_text()
    database.refresh(nurse)
    assert nurse.totp_secret is None
    actions = database.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["unlock", "reset-security-code"]


def test_a_nurse_gets_not_found_on_admin_pages(app, database):
    nurse = create_staff_member(database, Role.NURSE)
    client = app.test_client()
    sign_in(client, nurse)
    for url in ("/admin/staff", f"/admin/staff/{nurse.id}", "/admin/fls-services",
                "/admin/audit-log", "/admin/audit-log/download"):
        page = get_page(client, url, status=404)
        assert page.h1.get_text(strip=True) == "Page not found"
