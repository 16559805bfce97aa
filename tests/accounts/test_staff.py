"""Staff account services: checks, roles, switching off, passwords, security codes."""

from datetime import datetime

import pytest
from sqlalchemy import select

from tests.accounts.factories import PASSWORD, create_fls_service, create_staff_member
from webapp.accounts import staff as accounts
from webapp.accounts.errors import AccountError
from webapp.accounts.sign_in import count_failure, current_lock, email_key
from webapp.auth.sessions import sign_in_policy
from webapp.models.staff import AuditEvent, Role

NOW = datetime(2026, 3, 2, 10, 0)


def _details(**overrides):
    values = {"email": "new.nurse@nhs.net", "full_name": "New Nurse", "role": Role.ADMIN}
    return accounts.StaffDetails(**{**values, **overrides})


def _create(database, **overrides):
    return accounts.create_staff_member(
        database, None, _details(**overrides), sign_in_policy().hasher, NOW
    )


def test_a_new_account_gets_a_temporary_password_it_must_change(database):
    service = create_fls_service(database)
    staff, password = _create(database, role=Role.NURSE, fls_service_id=service.id,
                              email=" New.Nurse@NHS.net ")
    assert staff.email == "new.nurse@nhs.net"
    assert staff.must_change_password is True
    assert password and password not in staff.password_hash
    event = database.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "staff_member")
    ).one()
    assert event.action == "create" and event.after["role"] == "nurse"
    assert "password_hash" not in event.after


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email",
         "Enter an email address in the correct format, like name@nhs.net"),
        ({"email": ""}, "email", "Enter an email address"),
        ({"full_name": "   "}, "full_name", "Enter their full name"),
        ({"role": "doctor"}, "role", "Select whether they are an admin or a nurse"),
        ({"role": Role.NURSE}, "fls_service_id",
         "Select the Fracture Liaison Service the nurse works in"),
        ({"fls_service_id": 999}, "fls_service_id",
         "Select a Fracture Liaison Service from the list"),
    ],
)
def test_wrong_details_are_refused_with_a_reason(database, overrides, field, message):
    with pytest.raises(AccountError) as refused:
        _create(database, **overrides)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_an_email_address_can_have_only_one_account(database):
    _create(database)
    with pytest.raises(AccountError, match="Another account already uses this email address"):
        _create(database, email="NEW.NURSE@nhs.net")


def test_an_admin_cannot_demote_or_deactivate_themself(database):
    admin = create_staff_member(database)
    with pytest.raises(AccountError, match="your own admin role"):
        accounts.update_staff_member(
            database, admin, admin,
            _details(email=admin.email, role=Role.NURSE,
                     fls_service_id=create_fls_service(database).id), NOW,
        )
    with pytest.raises(AccountError, match="your own account"):
        accounts.deactivate_staff_member(database, admin, admin, NOW)


def test_deactivating_switches_off_and_rotates_the_session_token(database):
    admin = create_staff_member(database)
    nurse = create_staff_member(database, Role.NURSE)
    old_token = nurse.session_token
    accounts.deactivate_staff_member(database, admin, nurse, NOW)
    assert nurse.active is False and nurse.session_token != old_token
    accounts.reactivate_staff_member(database, admin, nurse, NOW)
    assert nurse.active is True
    actions = database.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["deactivate", "reactivate"]


def test_changing_your_password_needs_the_current_one(database):
    staff = create_staff_member(database)
    policy = sign_in_policy()
    with pytest.raises(AccountError, match="current password is not right"):
        accounts.change_own_password(database, policy, staff, "wrong one", "a new pass phrase", NOW)
    assert current_lock(database, email_key(policy, staff.email), NOW) is None
    old_token = staff.session_token
    accounts.change_own_password(database, policy, staff, PASSWORD, "a new pass phrase", NOW)
    assert staff.session_token != old_token and staff.password_changed_at == NOW
    event = database.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "change-password" and event.after == {"password_changed": True}


def test_new_password_must_differ_and_follow_the_rules(database):
    staff = create_staff_member(database)
    policy = sign_in_policy()
    with pytest.raises(AccountError, match="12 characters"):
        accounts.change_own_password(database, policy, staff, PASSWORD, "short", NOW)
    with pytest.raises(AccountError, match="must be different"):
        accounts.change_own_password(database, policy, staff, PASSWORD, PASSWORD, NOW)


def test_reset_password_and_security_code_end_sessions(database):
    admin = create_staff_member(database)
    nurse = create_staff_member(database, Role.NURSE, with_security_code=True)
    token = nurse.session_token
    password = accounts.reset_password(database, admin, nurse, sign_in_policy().hasher, NOW)
    assert nurse.must_change_password and password and nurse.session_token != token
    accounts.reset_security_code(database, admin, nurse, NOW)
    assert nurse.totp_secret is None and nurse.uses_totp is False


def test_unlock_ends_a_lock(database):
    admin = create_staff_member(database)
    nurse = create_staff_member(database, Role.NURSE)
    policy = sign_in_policy()
    key = email_key(policy, nurse.email)
    for _ in range(policy.lockout_threshold):
        count_failure(database, policy, key, NOW)
    assert accounts.locked_until_by_staff(database, policy, [admin, nurse], NOW) == {
        nurse.id: current_lock(database, key, NOW)
    }
    accounts.unlock_staff_member(database, admin, nurse, policy, NOW)
    assert current_lock(database, key, NOW) is None


def test_setting_up_a_code_keeps_the_same_pending_secret(database):
    staff = create_staff_member(database)
    first = accounts.start_security_code_set_up(database, staff)
    assert accounts.start_security_code_set_up(database, staff) == first
    assert staff.totp_secret is None
