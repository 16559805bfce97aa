"""`flask staff …` and the demo accounts made by `flask seed demo`."""

import pyotp
from sqlalchemy import select

from tests.accounts.factories import create_staff_member
from webapp.accounts.demo import DEMO_ADMIN_EMAIL, DEMO_NURSE_EMAIL
from webapp.accounts.passwords import verify_password
from webapp.auth.sessions import sign_in_policy
from webapp.models.staff import AuditEvent, StaffMember

GOOD = "a perfectly long password\na perfectly long password\n"


def _invoke(runner, *args, input=None):
    return runner.invoke(args=["staff", *args], input=input)


def test_create_admin_makes_the_first_account(runner, database):
    result = _invoke(runner, "create-admin", "First.Admin@NHS.net", "--name", "Fay Admin",
                     input=GOOD)
    assert result.exit_code == 0, result.output
    assert "Admin account made for first.admin@nhs.net" in result.output
    staff = database.scalars(select(StaffMember)).one()
    assert staff.is_admin and staff.full_name == "Fay Admin" and not staff.must_change_password
    assert verify_password(sign_in_policy().hasher, staff.password_hash,
                           "a perfectly long password")[0]
    assert "a perfectly long password" not in result.output
    assert database.scalars(select(AuditEvent.actor_email)).one() == "command line"


def test_create_admin_refuses_a_duplicate_clearly(runner, database):
    create_staff_member(database, email="taken@nhs.net")
    result = _invoke(runner, "create-admin", "TAKEN@nhs.net", "--name", "X", input=GOOD)
    assert result.exit_code == 1
    assert "Error: Another account already uses this email address" in result.output
    assert "Traceback" not in result.output
    assert len(database.scalars(select(StaffMember)).all()) == 1


def test_create_admin_refuses_a_bad_email_or_weak_password(runner, database):
    bad_email = _invoke(runner, "create-admin", "not-an-email", "--name", "X", input=GOOD)
    assert bad_email.exit_code == 1 and "correct format" in bad_email.output
    weak = _invoke(runner, "create-admin", "ok@nhs.net", "--name", "X",
                   input="short\nshort\n")
    assert weak.exit_code == 1 and "12 characters or more" in weak.output
    assert database.scalars(select(StaffMember)).all() == []


def test_create_admin_asks_again_when_the_passwords_differ(runner, database):
    typed = "first long password\nsecond long password\n" + GOOD
    result = _invoke(runner, "create-admin", "ok@nhs.net", "--name", "X", input=typed)
    assert result.exit_code == 0, result.output
    assert "The two entered values do not match." in result.output
    assert database.scalars(select(StaffMember.email)).one() == "ok@nhs.net"


def test_unlock_and_reset_security_code(runner, database):
    staff = create_staff_member(database, email="locked@nhs.net", with_security_code=True)
    assert _invoke(runner, "unlock", "locked@nhs.net").exit_code == 0
    result = _invoke(runner, "reset-security-code", "locked@nhs.net")
    assert result.exit_code == 0
    database.refresh(staff)
    assert staff.totp_secret is None
    missing = _invoke(runner, "unlock", "nobody@nhs.net")
    assert missing.exit_code == 1 and "no staff account" in missing.output


def test_seed_demo_prints_how_to_sign_in_as_the_demo_admin_and_nurse(runner, database):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    for email in (DEMO_ADMIN_EMAIL, DEMO_NURSE_EMAIL):
        staff = database.scalars(select(StaffMember).where(StaffMember.email == email)).one()
        assert staff.is_example and staff.totp_secret in first.output
        password = first.output.split(email)[1].split("Password:")[1].split()[0]
        assert verify_password(sign_in_policy().hasher, staff.password_hash, password)[0]
    nurse = database.scalars(select(StaffMember).where(StaffMember.email == DEMO_NURSE_EMAIL)).one()
    assert nurse.fls_service.is_example and nurse.fls_service.hidden
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0
    assert len(database.scalars(select(StaffMember)).all()) == 2
    code = _invoke(runner, "demo-code", DEMO_NURSE_EMAIL).output.strip()
    database.refresh(nurse)
    assert pyotp.TOTP(nurse.totp_secret).verify(code, valid_window=1)


def test_demo_code_is_never_shown_for_a_real_account(runner, database):
    create_staff_member(database, email="real@nhs.net", with_security_code=True)
    result = _invoke(runner, "demo-code", "real@nhs.net")
    assert result.exit_code == 1 and "only shown for the demo accounts" in result.output
