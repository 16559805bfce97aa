"""Plain factories for staff accounts and services, persisting through the real services.

Other test packages use these too: `create_staff_member(database, role="admin")`
then `sign_in(client, staff)` gives a signed-in client.
"""

from datetime import UTC, datetime
from itertools import count

import pyotp

from tests.pages import submit
from webapp.accounts import staff as staff_accounts
from webapp.accounts import totp
from webapp.auth.sessions import sign_in_policy
from webapp.clock import uk_today, utc_now
from webapp.groups import fls
from webapp.models.staff import FlsService, Role, StaffMember

PASSWORD = "correct horse battery staple"
_numbers = count(1)


def create_fls_service(session, **overrides) -> FlsService:
    """A Fracture Liaison Service, checked by the same rules the admin form uses."""
    values = {
        "name": "Leeds Fracture Liaison Service",
        "hospital": "Chapel Allerton Hospital",
        "phone": "0113 392 4000",
        "opening_hours": "Monday to Friday, 9am to 5pm",
        "hospital_district": "LS7",
        "covered_districts": "LS6 LS7 LS8",
        "email": "",
        "website": "https://www.leedsth.nhs.uk",
        "what_it_does": "Checks bone health after a broken bone",
        "hidden": "no",
        **overrides,
    }
    details, errors = fls.check_service(values, uk_today())
    assert not errors, errors
    service = fls.add_service(session, details, None)
    session.commit()
    return service


def create_staff_member(
    session, role: str = Role.ADMIN, *, email: str | None = None, password: str = PASSWORD,
    full_name: str = "Alex Example", fls_service: FlsService | None = None,
    with_security_code: bool = False, must_change_password: bool = False,
) -> StaffMember:
    """A staff account through the real service; a nurse gets a service if none is given."""
    if role == Role.NURSE and fls_service is None:
        fls_service = create_fls_service(session, name=f"Service {next(_numbers)}")
    details = staff_accounts.StaffDetails(
        email=email or f"staff{next(_numbers)}@nhs.net", full_name=full_name, role=role,
        fls_service_id=fls_service.id if fls_service else None,
    )
    member, _ = staff_accounts.create_staff_member(
        session, None, details, sign_in_policy().hasher, utc_now(), password=password
    )
    member.must_change_password = must_change_password
    if with_security_code:
        member.totp_secret = totp.new_secret()
    session.commit()
    return member


def code_for(staff: StaffMember, at: datetime | None = None) -> str:
    """The code the person's authenticator app shows now (or at `at`, naive UTC)."""
    moment = (at or utc_now()).replace(tzinfo=UTC)
    return pyotp.TOTP(staff.totp_secret).at(moment)


def sign_in(client, staff: StaffMember, password: str = PASSWORD, **kwargs):
    """Sign in through the real pages: password, then the code if the account uses one."""
    response = submit(
        client, "/staff/sign-in", {"email": staff.email, "password": password}, **kwargs
    )
    if response.status_code == 302 and response.location.endswith("/staff/security-code"):
        response = submit(client, "/staff/security-code", {"code": code_for(staff)})
    return response
