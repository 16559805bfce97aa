"""The audit log: only changed fields, never secrets, and the right row named."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member
from webapp.accounts.audit import record_change, snapshot
from webapp.models.staff import AuditEvent, FlsService

WHEN = datetime(2026, 3, 2, 9, 30)


class Weekday(Enum):
    TUESDAY = "tuesday"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (date(2026, 3, 2), "2026-03-02"),
        (datetime(2026, 3, 2, 9, 30, 5), "2026-03-02T09:30:05"),
        (datetime(2026, 3, 2, 9, 30, tzinfo=UTC), "2026-03-02T09:30:00+00:00"),
        (time(19, 30), "19:30"),
        (time(19, 30, 15), "19:30:15"),
        (Decimal("2.50"), "2.50"),
        (Weekday.TUESDAY, "tuesday"),
        ([time(10), date(2026, 1, 6)], ["10:00", "2026-01-06"]),
        ((1, Decimal("0.1")), [1, "0.1"]),
        (frozenset({"DH2", "DH1"}), ["DH1", "DH2"]),
        ({3, "a"}, ["a", 3]),  # mixed kinds: in the order of their printed form
        ({"starts": time(9), "days": [Weekday.TUESDAY]}, {"starts": "09:00", "days": ["tuesday"]}),
        (None, None), (True, True), (7, 7), (1.5, 1.5), ("text", "text"),
    ],
)  # fmt: skip
def test_snapshot_stores_each_kind_of_value_as_json_can_hold_it(database, value, stored):
    taken = snapshot(SimpleNamespace(field=value), ["field"])
    assert taken == {"field": stored}
    # Stored and read back unchanged: what JSON cannot hold would fail here.
    staff = create_staff_member(database)
    event = record_change(database, None, "update", staff, {"field": "old"}, taken, now=WHEN)
    database.commit()
    database.expire(event)
    assert event.after == {"field": stored}


def test_a_value_json_cannot_hold_is_refused_with_its_type_named():
    with pytest.raises(TypeError, match="cannot store a object"):
        snapshot(SimpleNamespace(field=object()), ["field"])


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
