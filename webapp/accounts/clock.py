"""The one clock the accounts code reads."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now in UTC, without tzinfo: how every time is stored (SQLite keeps no zone)."""
    return datetime.now(UTC).replace(tzinfo=None)
