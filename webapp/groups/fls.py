"""Fracture Liaison Service listings: checking, adding, changing, hiding, deleting.

The public finder lists a service for the postcode districts it covers. Admins
keep the details current; every change goes to the audit log.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change, snapshot
from webapp.groups.validation import EMAIL_PATTERN, FORMULA_STARTS
from webapp.models.staff import FlsService, FlsServiceDistrict, StaffMember
from webapp.phones import PhoneNumberError, parse_uk_number
from webapp.postcodes import PostcodeError, is_known_district, is_northern_ireland, parse_outcode

AUDITED_FIELDS = (
    "name", "hospital", "phone", "opening_hours", "hospital_district", "email", "website",
    "what_it_does", "covered_districts", "hidden", "is_example", "checked_on", "checked_by_id",
)  # fmt: skip
MAX_LENGTHS = {"name": 200, "hospital": 200, "opening_hours": 500, "what_it_does": 300,
               "email": 254, "website": 500}  # fmt: skip
MAX_DISTRICTS = 300


@dataclass
class ServiceDetails:
    """A Fracture Liaison Service's details after checking."""

    name: str
    hospital: str
    phone: str
    opening_hours: str
    hospital_district: str
    covered_districts: list[str]
    email: str | None
    website: str | None
    what_it_does: str
    hidden: bool


class ServiceInUseError(ValueError):
    """Staff accounts still belong to the service, so it cannot be deleted."""

    def __init__(self, staff_count: int):
        super().__init__(f"{staff_count} staff accounts belong to this service")
        self.staff_count = staff_count


def check_service(values: Mapping[str, str | None], today: date):
    """Clean details and no errors, or None and a message for each wrong field."""
    values = {key: (value or "").strip() for key, value in values.items()}
    errors: dict[str, str] = {}
    for field, limit in MAX_LENGTHS.items():
        if len(values.get(field, "")) > limit:
            errors[field] = f"This must be {limit} characters or fewer"
        elif values.get(field, "")[:1] in FORMULA_STARTS:
            errors[field] = f"This must not start with {values[field][0]}"
    for field, message in (
        ("name", "Enter the service's name"),
        ("hospital", "Enter the hospital the service is based at"),
    ):
        if not values.get(field):
            errors.setdefault(field, message)
    phone = _phone(values.get("phone", ""), errors)
    hospital_district = _one_district(values.get("hospital_district", ""), errors)
    covered = _covered(values.get("covered_districts", ""), errors)
    email = values.get("email") or None
    if email and not EMAIL_PATTERN.fullmatch(email):
        errors.setdefault("email", "Enter an email address like fls@example.org")
    website = values.get("website") or None
    if website and (not website.startswith("https://") or " " in website or "." not in website):
        errors.setdefault("website", "Enter a web address starting https://")
    if errors:
        return None, errors
    return ServiceDetails(
        name=values["name"], hospital=values["hospital"], phone=phone,
        opening_hours=values.get("opening_hours", ""), hospital_district=hospital_district,
        covered_districts=covered, email=email, website=website,
        what_it_does=values.get("what_it_does", ""),
        hidden=values.get("hidden", "").lower() in ("yes", "y", "true", "1"),
    ), {}  # fmt: skip


def _phone(typed: str, errors: dict) -> str:
    """The service's number in E.164, how it is stored; the page shows it in national format."""
    if not typed:
        errors["phone"] = "Enter the service's phone number"
        return ""
    try:
        return parse_uk_number(typed).e164
    except PhoneNumberError as error:
        errors["phone"] = str(error)
        return ""


def _district(typed: str) -> str | None:
    try:
        district = parse_outcode(typed)
    except PostcodeError:
        return None
    if is_known_district(district) or is_northern_ireland(district):
        return district
    return None


def _one_district(typed: str, errors: dict) -> str:
    district = _district(typed) if typed else None
    if district is None:
        errors["hospital_district"] = "Enter the hospital's postcode or district, like DH1"
        return ""
    return district


def _covered(typed: str, errors: dict) -> list[str]:
    parts = [part for part in re.split(r"[,;\s]+", typed.upper()) if part]
    if not parts:
        errors["covered_districts"] = "Enter the postcode districts the service covers, like DH1"
        return []
    unknown = [part for part in parts if _district(part) != part]
    if unknown:
        shown = ", ".join(unknown[:5])
        errors["covered_districts"] = f"These are not postcode districts: {shown}"
        return []
    if len(set(parts)) > MAX_DISTRICTS:
        errors["covered_districts"] = f"List at most {MAX_DISTRICTS} districts"
        return []
    return sorted(set(parts))


def add_service(session: Session, details: ServiceDetails, actor: StaffMember | None) -> FlsService:
    """Add a new service from checked details, and log it."""
    service = FlsService()
    _apply(service, details)
    session.add(service)
    session.flush()
    record_change(session, actor, "create", service, None, snapshot(service, AUDITED_FIELDS))
    return service


def update_service(
    session: Session, service: FlsService, details: ServiceDetails, actor: StaffMember | None
) -> None:
    """Change a service to the checked details, and log what changed."""
    before = snapshot(service, AUDITED_FIELDS)
    _apply(service, details)
    session.flush()
    record_change(session, actor, "update", service, before, snapshot(service, AUDITED_FIELDS))


def _apply(service: FlsService, details: ServiceDetails) -> None:
    for field in ("name", "hospital", "phone", "opening_hours", "hospital_district", "email",
                  "website", "what_it_does", "hidden"):  # fmt: skip
        setattr(service, field, getattr(details, field))
    wanted = set(details.covered_districts)
    service.districts = [d for d in service.districts if d.outcode in wanted] + [
        FlsServiceDistrict(outcode=outcode)
        for outcode in sorted(wanted - set(service.covered_districts))
    ]


def set_service_hidden(
    session: Session, service: FlsService, hidden: bool, actor: StaffMember | None
) -> None:
    """Hide a service from the public finder (or show it again), and log it."""
    before = snapshot(service, ["hidden"])
    service.hidden = hidden
    session.flush()
    record_change(session, actor, "hide" if hidden else "show", service, before, {"hidden": hidden})


def delete_service(session: Session, service: FlsService, actor: StaffMember | None) -> None:
    """Delete a service, unless staff accounts still belong to it."""
    staff_count = session.scalar(
        select(func.count())
        .select_from(StaffMember)
        .where(StaffMember.fls_service_id == service.id)
    )
    if staff_count:
        raise ServiceInUseError(staff_count)
    record_change(session, actor, "delete", service, snapshot(service, AUDITED_FIELDS), None)
    session.delete(service)
    session.flush()


def mark_service_checked(
    session: Session, service: FlsService, actor: StaffMember, today: date
) -> None:
    """Record that `actor` confirmed the service's details today, and log it."""
    fields = ["checked_by_id", "checked_on"]
    before = snapshot(service, fields)
    service.checked_by_id, service.checked_on = actor.id, today
    session.flush()
    record_change(session, actor, "check", service, before, snapshot(service, fields))


def service_values(service: FlsService) -> dict[str, str]:
    """A service as the text the admin form shows, for editing."""
    return {
        "name": service.name, "hospital": service.hospital, "phone": service.phone_national,
        "opening_hours": service.opening_hours, "hospital_district": service.hospital_district,
        "covered_districts": " ".join(service.covered_districts), "email": service.email or "",
        "website": service.website or "", "what_it_does": service.what_it_does,
    }  # fmt: skip
