"""The audit log: only changed fields, never secrets, and the right row named."""

from datetime import date, datetime

from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member
from webapp.accounts.audit import record_change, snapshot
from webapp.models.staff import AuditEvent, FlsService

WHEN = datetime(2026, 3, 2, 9, 30)


def test_snapshot_gives_json_safe_values_and_drops_secrets(database):
    staff = create_staff_member(database)
    taken = snapshot(staff, ["email", "created_at", "password_hash", "totp_secret", "role"])
    assert set(taken) == {"email", "created_at", "role"}
    assert isinstance(taken["created_at"], str)


def test_an_update_keeps_only_the_fields_that_changed(database):
    actor = create_staff_member(database, email="admin@nhs.net")
    service = create_fls_service(database)
    before = snapshot(service, ["name", "phone", "checked_on", "covered_districts"])
    service.name = "Leeds Bone Health Service"
    service.checked_on = date(2026, 3, 2)
    after = snapshot(service, ["name", "phone", "checked_on", "covered_districts"])
    event = record_change(database, actor, "update", service, before, after, now=WHEN)
    database.commit()
    assert event.before == {"name": "Leeds Fracture Liaison Service", "checked_on": None}
    assert event.after == {"name": "Leeds Bone Health Service", "checked_on": "2026-03-02"}
    assert (event.actor_id, event.actor_email) == (actor.id, "admin@nhs.net")
    assert (event.entity_type, event.entity_id, event.occurred_at) == (
        "fls_service", str(service.id), WHEN
    )


def test_secrets_are_never_written_even_if_passed(database):
    staff = create_staff_member(database)
    event = record_change(
        database, None, "update", staff,
        {"password_hash": "old", "totp_secret": "A", "session_token": "x", "full_name": "A"},
        {"password_hash": "new", "totp_secret": "B", "session_token": "y", "full_name": "B"},
    )
    assert event.before == {"full_name": "A"} and event.after == {"full_name": "B"}
    assert event.actor_email == "command line"


def test_a_new_record_is_flushed_so_the_event_names_its_id(database):
    service = FlsService(
        name="New", hospital="H", phone="+441134960000", hospital_district="LS1"
    )
    database.add(service)
    event = record_change(database, None, "create", service, None, {"name": "New"})
    database.commit()
    assert event.entity_id == str(service.id)
    assert event.before is None and event.after == {"name": "New"}
    stored = database.scalars(select(AuditEvent).where(AuditEvent.entity_type == "fls_service"))
    assert [e.action for e in stored] == ["create"]
