"""Demo staff accounts for the embedded default: one admin and one nurse, both made up.

Their passwords are replaced every time the demo data is loaded, because a
stored hash cannot be shown again; their security-code secrets are kept, so
an authenticator app set up once keeps working.
"""

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.accounts import passwords, totp
from webapp.accounts.staff import (
    StaffDetails,
    create_staff_member,
    find_staff_member,
    new_session_token,
)
from webapp.models.staff import FlsService, FlsServiceDistrict, Role

DEMO_ADMIN_EMAIL = "demo.admin@bonecheck.example"
DEMO_NURSE_EMAIL = "demo.nurse@bonecheck.example"
DEMO_SERVICE_NAME = "Example Fracture Liaison Service"


@dataclass(frozen=True)
class DemoAccount:
    """What a developer needs to sign in as a demo account."""

    email: str
    role: str
    password: str
    totp_secret: str

    @property
    def setup_uri(self) -> str:
        return totp.setup_uri(self.totp_secret, self.email)


def ensure_demo_staff(session: Session, hasher: PasswordHasher, now: datetime) -> list[DemoAccount]:
    """Make (or refresh) the demo admin and nurse, with new passwords. Safe to run again."""
    service = _demo_service(session)
    return [
        _ensure(session, hasher, now, DEMO_ADMIN_EMAIL, "Demo Admin (example)", Role.ADMIN, None),
        _ensure(session, hasher, now, DEMO_NURSE_EMAIL, "Demo Nurse (example)", Role.NURSE,
                service.id),
    ]


def _ensure(session, hasher, now, email, full_name, role, service_id) -> DemoAccount:
    password = passwords.generate_password()
    staff = find_staff_member(session, email)
    if staff is None:
        details = StaffDetails(email=email, full_name=full_name, role=role,
                               fls_service_id=service_id)
        staff, _ = create_staff_member(session, None, details, hasher, now, password=password)
        staff.is_example = True
    elif not staff.is_example:
        raise ValueError(f"{email} belongs to a real account, so it is left alone")
    else:
        # Not audited: a fictional account's password, replaced on every demo load.
        staff.password_hash = passwords.hash_password(hasher, password)
        staff.session_token = new_session_token()
        staff.active = True
        staff.must_change_password = False
    if staff.totp_secret is None:
        staff.totp_secret = totp.new_secret()
        staff.totp_enabled_at = now
    session.flush()
    return DemoAccount(email=email, role=role, password=password, totp_secret=staff.totp_secret)


def _demo_service(session: Session) -> FlsService:
    """The made-up service the demo nurse belongs to (hidden from the public finder)."""
    service = session.execute(
        select(FlsService).where(
            FlsService.is_example.is_(True), FlsService.name == DEMO_SERVICE_NAME
        )
    ).scalar_one_or_none()
    if service is None:
        service = FlsService(
            name=DEMO_SERVICE_NAME, hospital="Example Hospital (made up)", phone="+441134960000",
            opening_hours="Monday to Friday, 9am to 5pm", hospital_district="LS1",
            what_it_does="A made-up service for trying BoneCheck's staff pages",
            hidden=True, is_example=True, districts=[FlsServiceDistrict(outcode="LS1")],
        )
        session.add(service)
        session.flush()
    return service
