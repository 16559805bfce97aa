"""Keeping Fracture Liaison Service listings: checking, changing, deleting."""

import pytest
from sqlalchemy import select

from tests.groups.factories import TODAY
from webapp.clock import utc_now
from webapp.groups.fls import (
    ServiceInUseError,
    add_service,
    check_service,
    delete_service,
    service_values,
    update_service,
)
from webapp.models.staff import AuditEvent, FlsService, Role, StaffMember

GOOD = {
    "name": "Example FLS", "hospital": "Example Hospital", "phone": "0191 498 0456",
    "opening_hours": "Weekdays 9 to 5", "hospital_district": "DH1 5TW",
    "covered_districts": "dh1, DH2 DH3", "email": "fls@example.org",
    "website": "https://example.org/fls",
}  # fmt: skip


def test_good_details_are_cleaned():
    details, errors = check_service(GOOD, TODAY)
    assert errors == {}
    assert details.phone == "+441914980456"
    assert details.hospital_district == "DH1"
    assert details.covered_districts == ["DH1", "DH2", "DH3"]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Enter the service's name"),
        ("phone", "999", "Enter a UK phone number"),
        ("hospital_district", "nowhere", "Enter the hospital's postcode"),
        ("covered_districts", "DH1 ZZ99 banana", "not postcode districts: ZZ99, BANANA"),
        ("covered_districts", "", "Enter the postcode districts"),
        ("website", "http://example.org", "starting https://"),
        ("email", "fls@", "Enter an email address"),
    ],
)
def test_wrong_details_get_clear_messages(field, typed, message):
    details, errors = check_service({**GOOD, field: typed}, TODAY)
    assert details is None and message in errors[field]


def test_changing_covered_districts_is_logged(database):
    details, _ = check_service(GOOD, TODAY)
    service = add_service(database, details, None)
    details, _ = check_service({**GOOD, "covered_districts": "DH1 DH4"}, TODAY)
    update_service(database, service, details, None)
    database.expire_all()
    assert service.covered_districts == ["DH1", "DH4"]
    event = database.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.before["covered_districts"] == ["DH1", "DH2", "DH3"]
    assert event.after["covered_districts"] == ["DH1", "DH4"]
    assert service_values(service)["phone"] == "0191 498 0456"


def test_a_service_with_staff_cannot_be_deleted(database):
    details, _ = check_service(GOOD, TODAY)
    service = add_service(database, details, None)
    database.add(StaffMember(
        email="n@example.org", full_name="Nurse", role=Role.NURSE, fls_service=service,
        password_hash="x", session_token="t", created_at=utc_now(),
    ))  # fmt: skip
    database.flush()
    with pytest.raises(ServiceInUseError):
        delete_service(database, service, None)
    database.execute(StaffMember.__table__.delete())
    delete_service(database, service, None)
    assert database.scalars(select(FlsService)).all() == []
