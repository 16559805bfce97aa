"""The audit log: who changed what, when, with the fields before and after.

Call `snapshot` before changing a record and again after, then
`record_change(session, actor, "update", record, before, after)`. Only the
fields that differ are stored, and secrets never are, whatever is passed in.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from webapp.clock import utc_now
from webapp.models.staff import AuditEvent, StaffMember

# Never written to the log, even if a caller snapshots them by mistake.
SECRET_FIELDS = frozenset(
    {"password_hash", "totp_secret", "totp_pending_secret", "totp_last_step", "session_token"}
)
COMMAND_LINE = "command line"


def snapshot(entity: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `entity` as JSON-safe values (dates and times as ISO text)."""
    return {
        name: _json_safe(getattr(entity, name)) for name in fields if name not in SECRET_FIELDS
    }


def record_change(
    session: Session,
    actor: StaffMember | None,
    action: str,
    entity: Any,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    now: datetime | None = None,
) -> AuditEvent:
    """Add an audit event for `action` on `entity` by `actor` (None: the command line).

    For an update only the fields whose values differ are kept on both sides;
    a creation has no `before` and a deletion no `after`. The entity is flushed
    first if it has no primary key yet, so the event names the right row.
    """
    before_fields, after_fields = _changed_fields(before, after)
    event = AuditEvent(
        occurred_at=now or utc_now(),
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else COMMAND_LINE,
        action=action,
        entity_type=entity_type(entity),
        entity_id=_entity_id(session, entity),
        before=before_fields,
        after=after_fields,
    )
    session.add(event)
    session.flush()
    return event


def entity_type(entity: Any) -> str:
    """The name the log uses for a kind of record: its table name."""
    return getattr(entity, "__tablename__", type(entity).__name__)


def _entity_id(session: Session, entity: Any) -> str:
    identity = inspect(entity).identity
    if identity is None:
        session.flush()
        identity = inspect(entity).identity
    return ":".join(str(part) for part in identity)


def _changed_fields(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    before = {k: _json_safe(v) for k, v in (before or {}).items() if k not in SECRET_FIELDS}
    after = {k: _json_safe(v) for k, v in (after or {}).items() if k not in SECRET_FIELDS}
    if before and after:
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return before or None, after or None


def _json_safe(value: Any) -> Any:
    """`value` as JSON can store it: dates and times as ISO text, amounts as exact text.

    Anything else that JSON cannot hold is refused here, naming its type, rather
    than failing later and far away when the audit row is written.
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Enum):
        return _json_safe(value.value)
    if isinstance(value, datetime | date):  # a datetime is also a date
        return value.isoformat()
    if isinstance(value, time):
        # Meeting and opening times are to the minute: "19:30", as people write them.
        whole_minute = value.second == 0 and value.microsecond == 0
        return value.isoformat(timespec="minutes" if whole_minute else "auto")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_json_safe(item) for item in value]
        if isinstance(value, set | frozenset):
            # A set has no order of its own: sorted, so an unchanged set compares equal.
            return _sorted(items)
        return items
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    raise TypeError(f"The audit log cannot store a {type(value).__name__}: {value!r}")


def _sorted(items: list) -> list:
    try:
        return sorted(items)
    except TypeError:  # mixed kinds, like numbers and text
        return sorted(items, key=repr)
