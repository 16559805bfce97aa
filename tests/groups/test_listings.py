"""Changing listings: every change is audited; stale listings are flagged."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.groups.factories import TODAY, create_group, listing_values
from webapp.clock import utc_now
from webapp.groups.listings import (
    DuplicateReferenceError,
    add_group,
    delete_group,
    mark_checked,
    set_hidden,
    update_group,
)
from webapp.groups.validation import check_listing
from webapp.models.groups import SupportGroup
from webapp.models.staff import AuditEvent, Role, StaffMember


def _admin(session) -> StaffMember:
    staff = StaffMember(
        email="admin@example.org", full_name="Ada Admin", role=Role.ADMIN,
        password_hash="x", session_token="t", created_at=utc_now(),
    )  # fmt: skip
    session.add(staff)
    session.flush()
    return staff


def _events(session):
    return session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_adding_stores_the_district_centre_and_logs_it(database):
    group = create_group(database)
    assert (group.latitude, group.longitude) == (54.78272, -1.56198)
    assert group.nation == "England" and group.skip_months == "8"
    [event] = _events(database)
    assert event.action == "create" and event.after["starts_at"] == "19:30"


def test_editing_logs_only_what_changed(database):
    group = create_group(database)
    details, _ = check_listing(listing_values(cost="Free", venue_postcode="NE1"), TODAY)
    update_group(database, group, details, _admin(database))
    event = _events(database)[-1]
    assert event.action == "update" and event.actor_email == "admin@example.org"
    assert event.before == {"cost": "£2 a meeting", "venue_district": "DH1",
                            "venue_postcode": "DH1 5TW", "latitude": 54.78272,
                            "longitude": -1.56198}  # fmt: skip
    assert event.after["cost"] == "Free" and event.after["venue_district"] == "NE1"


def test_a_changed_meeting_time_is_logged_as_a_time_of_day(database):
    group = create_group(database)
    details, _ = check_listing(listing_values(start_time="6pm", end_time="20:15"), TODAY)
    update_group(database, group, details, None)
    database.commit()
    event = _events(database)[-1]
    database.expire(event)
    assert event.before == {"starts_at": "19:30", "ends_at": "21:00"}
    assert event.after == {"starts_at": "18:00", "ends_at": "20:15"}


def test_a_reference_cannot_be_used_twice(database):
    create_group(database)
    details, _ = check_listing(listing_values(), TODAY)
    with pytest.raises(DuplicateReferenceError):
        add_group(database, details, None)


def test_hiding_checking_and_deleting_are_logged(database):
    admin = _admin(database)
    group = create_group(database)
    set_hidden(database, group, True, admin)
    mark_checked(database, group, admin, date(2025, 10, 2))
    assert (group.checked_by, group.checked_on) == ("Ada Admin", date(2025, 10, 2))
    delete_group(database, group, admin)
    assert database.scalars(select(SupportGroup)).all() == []
    actions = [event.action for event in _events(database)]
    assert actions == ["create", "hide", "check", "delete"]
    assert _events(database)[-1].before["name"] == "Durham Bone Health Group (example)"
