"""The audit log for admins: read it a page at a time, or download it all as CSV."""

import io
import json

from flask import Response, render_template, request, stream_with_context
from sqlalchemy import select

from webapp import csv_safe
from webapp.accounts.audit_words import event_words, field_label
from webapp.blueprints.admin_staff import bp
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.models.staff import AuditEvent

EVENTS_PER_PAGE = 50
MAX_EVENTS_PER_PAGE = 200
CSV_COLUMNS = ("occurred_at_utc", "actor", "action", "entity_type", "entity_id", "before", "after")


@bp.route("/audit-log")
def audit_log():
    """The newest changes first, a page at a time."""
    page = db.paginate(
        select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()),
        per_page=request.args.get("per_page", EVENTS_PER_PAGE, type=int),
        max_per_page=MAX_EVENTS_PER_PAGE,
    )
    return render_template("admin/audit/log.html", page=page, changes=_changes,
                           event_words=event_words)  # fmt: skip


@bp.route("/audit-log/download")
def download_audit_log():
    """Every audit event, oldest first, as a CSV file (streamed, so any size fits)."""
    filename = f"bonecheck-audit-log-{uk_today():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(_csv_lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_lines():
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
        .execution_options(yield_per=500)
    )
    for event in events:
        writer.writerow(_row(event))
        yield _take(buffer)
    yield _take(buffer)


def _row(event: AuditEvent) -> list[str]:
    return [
        event.occurred_at.isoformat(timespec="seconds") + "Z", event.actor_email, event.action,
        event.entity_type, event.entity_id, _as_json(event.before), _as_json(event.after),
    ]


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _changes(event: AuditEvent) -> list[tuple[str, str | None, str | None]]:
    """Each field an event names, with its value before and after (None: not on that side).

    Fields go by their plain names; yes/no values read "Yes" and "No", no value
    "none", and other values as JSON, so text keeps its quotes and an empty one shows.
    """
    before, after = event.before or {}, event.after or {}
    return [
        (field_label(field), _value_text(before, field), _value_text(after, field))
        for field in sorted(before.keys() | after.keys())
    ]


def _value_text(fields: dict, field: str) -> str | None:
    if field not in fields:
        return None
    value = fields[field]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def _as_json(fields: dict | None) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False) if fields else ""
