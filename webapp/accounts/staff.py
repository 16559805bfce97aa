"""Staff accounts: create, edit, switch off and on, passwords and security codes.

Every change is written to the audit log with the fields before and after.
Each function adds and flushes; the caller commits.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from webapp.accounts import passwords, totp
from webapp.accounts.audit import record_change, snapshot
from webapp.accounts.errors import AccountError
from webapp.accounts.sign_in import SignInPolicy, count_failure, email_key, normalise_email
from webapp.csv_safe import FORMULA_STARTS
from webapp.models.staff import FlsService, Role, SignInLock, StaffMember
from webapp.text_checks import text_problem

# What the audit log shows of a staff account (never its secrets).
AUDITED_FIELDS = ("email", "full_name", "role", "fls_service_id", "active", "must_change_password")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}", re.ASCII)
MAX_EMAIL_LENGTH = 254
# A staff name is copied into a listing's `checked_by` (120 characters) when they check it.
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class StaffDetails:
    """What an admin enters for an account."""

    email: str
    full_name: str
    role: str
    fls_service_id: int | None = None


def check_email(email: str) -> str:
    """The email address in lower case, or AccountError saying what is wrong."""
    email = normalise_email(email)
    if not email:
        raise AccountError("Enter an email address", "email")
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email):
        raise AccountError(
            "Enter an email address in the correct format, like name@nhs.net", "email"
        )
    return email


def new_session_token() -> str:
    """A fresh random token; every session made with the old one ends."""
    return secrets.token_urlsafe(32)


def create_staff_member(
    session: Session, actor: StaffMember | None, details: StaffDetails, hasher: PasswordHasher,
    now: datetime, password: str | None = None,
) -> tuple[StaffMember, str]:
    """Make an account. Returns it and its password.

    Without a `password` a temporary one is generated, which must be changed
    at first sign-in; the admin passes it on by a separate, secure route.
    """
    email, full_name, role, service_id = _checked_details(session, details, staff=None)
    temporary = password is None
    password = password if password is not None else passwords.generate_password()
    passwords.check_password_rules(password, email)
    staff = StaffMember(
        email=email, full_name=full_name, role=role, fls_service_id=service_id,
        password_hash=passwords.hash_password(hasher, password),
        must_change_password=temporary, session_token=new_session_token(), active=True,
        created_at=now, password_changed_at=None if temporary else now,
    )
    session.add(staff)
    session.flush()
    record_change(session, actor, "create", staff, None, snapshot(staff, AUDITED_FIELDS), now=now)
    return staff, password


def update_staff_member(
    session: Session, actor: StaffMember, staff: StaffMember, details: StaffDetails,
    now: datetime,
) -> None:
    """Change an account's name, email, role or service."""
    email, full_name, role, service_id = _checked_details(session, details, staff=staff)
    if staff.id == actor.id and role != Role.ADMIN:
        raise AccountError("You cannot remove your own admin role", "role")
    before = snapshot(staff, AUDITED_FIELDS)
    staff.email, staff.full_name, staff.role, staff.fls_service_id = (
        email, full_name, role, service_id
    )
    session.flush()
    record_change(session, actor, "update", staff, before, snapshot(staff, AUDITED_FIELDS), now=now)


def deactivate_staff_member(
    session: Session, actor: StaffMember, staff: StaffMember, now: datetime
) -> None:
    """Switch an account off: it can no longer sign in, and its sessions end now."""
    if staff.id == actor.id:
        raise AccountError("You cannot deactivate your own account")
    before = snapshot(staff, AUDITED_FIELDS)
    staff.active = False
    staff.session_token = new_session_token()
    session.flush()
    record_change(
        session, actor, "deactivate", staff, before, snapshot(staff, AUDITED_FIELDS), now=now
    )


def reactivate_staff_member(
    session: Session, actor: StaffMember, staff: StaffMember, now: datetime
) -> None:
    """Switch an account back on."""
    before = snapshot(staff, AUDITED_FIELDS)
    staff.active = True
    session.flush()
    record_change(
        session, actor, "reactivate", staff, before, snapshot(staff, AUDITED_FIELDS), now=now
    )


def reset_password(
    session: Session, actor: StaffMember | None, staff: StaffMember, hasher: PasswordHasher,
    now: datetime,
) -> str:
    """Give an account a new temporary password, ending its sessions. Returns the password."""
    password = passwords.generate_password()
    before = snapshot(staff, AUDITED_FIELDS)
    staff.password_hash = passwords.hash_password(hasher, password)
    staff.must_change_password = True
    staff.session_token = new_session_token()
    session.flush()
    after = snapshot(staff, AUDITED_FIELDS) | {"password_reset": True}
    record_change(session, actor, "reset-password", staff, before, after, now=now)
    return password


def change_own_password(
    session: Session, policy: SignInPolicy, staff: StaffMember, current_password: str,
    new_password: str, now: datetime,
) -> None:
    """A person changes their own password; every other session of theirs ends.

    A wrong current password counts as a failed sign-in, so a borrowed
    session cannot be used to guess it.
    """
    matches, _ = passwords.verify_password(policy.hasher, staff.password_hash, current_password)
    if not matches:
        count_failure(session, policy, email_key(policy, staff.email), now)
        raise AccountError("Your current password is not right", "current_password")
    passwords.check_password_rules(new_password, staff.email)
    if new_password == current_password:
        raise AccountError("Your new password must be different from your current one", "password")
    before = snapshot(staff, AUDITED_FIELDS)
    staff.password_hash = passwords.hash_password(policy.hasher, new_password)
    staff.must_change_password = False
    staff.password_changed_at = now
    staff.session_token = new_session_token()
    session.flush()
    after = snapshot(staff, AUDITED_FIELDS) | {"password_changed": True}
    record_change(session, staff, "change-password", staff, before, after, now=now)


def start_security_code_set_up(session: Session, staff: StaffMember) -> str:
    """The secret being set up for `staff` (made on first call, kept until confirmed)."""
    if staff.totp_pending_secret is None:
        staff.totp_pending_secret = totp.new_secret()
        session.flush()
    return staff.totp_pending_secret


def reset_security_code(
    session: Session, actor: StaffMember | None, staff: StaffMember, now: datetime
) -> None:
    """Switch off a lost authenticator app; the person sets up a new one at next sign-in."""
    before = {"uses_security_code": staff.uses_totp}
    staff.totp_secret = None
    staff.totp_pending_secret = None
    staff.totp_enabled_at = None
    staff.totp_last_step = None
    staff.session_token = new_session_token()
    session.flush()
    record_change(
        session, actor, "reset-security-code", staff, before, {"uses_security_code": False},
        now=now,
    )


def unlock_staff_member(
    session: Session, actor: StaffMember | None, staff: StaffMember, policy: SignInPolicy,
    now: datetime,
) -> None:
    """End a lock from failed sign-ins early (after checking it really is the person)."""
    key = email_key(policy, staff.email)
    session.execute(delete(SignInLock).where(SignInLock.email_hash == key))
    record_change(session, actor, "unlock", staff, {"locked": True}, {"locked": False}, now=now)


def locked_until_by_staff(
    session: Session, policy: SignInPolicy, staff_members: list[StaffMember], now: datetime
) -> dict[int, datetime]:
    """For the accounts in `staff_members` that are locked now, when each lock ends (one query)."""
    keys = {email_key(policy, staff.email): staff.id for staff in staff_members}
    rows = session.execute(
        select(SignInLock.email_hash, SignInLock.locked_until).where(
            SignInLock.email_hash.in_(keys), SignInLock.locked_until > now
        )
    )
    return {keys[key]: locked_until for key, locked_until in rows}


def find_staff_member(session: Session, email: str) -> StaffMember | None:
    """The account with this email address, if any."""
    return session.execute(
        select(StaffMember).where(StaffMember.email == normalise_email(email))
    ).scalar_one_or_none()


def _checked_name(typed: str) -> str:
    """The name with its spaces tidied, checked like every listing field (it is exported)."""
    full_name = " ".join(typed.split())
    if not full_name:
        raise AccountError("Enter their full name", "full_name")
    problem = text_problem(full_name, "Full name", MAX_NAME_LENGTH)
    if problem:
        raise AccountError(problem, "full_name")
    if full_name.startswith(FORMULA_STARTS):
        raise AccountError(f"Full name must not start with {full_name[0]}", "full_name")
    return full_name


def _checked_details(
    session: Session, details: StaffDetails, staff: StaffMember | None
) -> tuple[str, str, str, int | None]:
    email = check_email(details.email)
    full_name = _checked_name(details.full_name)
    if details.role not in {Role.ADMIN, Role.NURSE}:
        raise AccountError("Select whether they are an admin or a nurse", "role")
    service_id = details.fls_service_id
    if details.role == Role.NURSE and service_id is None:
        raise AccountError(
            "Select the Fracture Liaison Service the nurse works in", "fls_service_id"
        )
    if service_id is not None and session.get(FlsService, service_id) is None:
        raise AccountError("Select a Fracture Liaison Service from the list", "fls_service_id")
    taken = session.execute(
        select(func.count()).select_from(StaffMember).where(
            StaffMember.email == email, StaffMember.id != (staff.id if staff else -1)
        )
    ).scalar_one()
    if taken:
        raise AccountError("Another account already uses this email address", "email")
    return email, full_name, str(details.role), service_id
