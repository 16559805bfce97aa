"""Structured one-line logs: the message and its `extra=` fields as logfmt key=value pairs.

A record is always exactly one line, so a log collector never splits one event in
two and a value typed by someone cannot forge a second record: newlines and other
control characters in the message, the fields or a traceback are escaped.

    log.info("Sign-in refused", extra={"event": "sign_in.refused", "staff_id": 7})
    time=2026-12-01T14:38:13.021Z level=info logger=webapp.blueprints.staff_auth.views
    msg="Sign-in refused" event=sign_in.refused staff_id=7   (one line)

`log_event` is the short way to write one, for sign-ins, job runs, sends and
callbacks. Name people by internal id only: never a phone number (use
`webapp.phones.mask_number`), NHS number, name, email address or message text.
"""

import logging
import re
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "taskName",
}  # fmt: skip
# Field names that would put a person's details in the log; `log_event` refuses them.
FORBIDDEN_FIELDS = frozenset({
    "email", "phone", "phone_number", "mobile", "to", "to_number", "nhs_number", "first_name",
    "last_name", "full_name", "body", "text", "message_text", "password", "code",
})  # fmt: skip
_NEEDS_QUOTES = re.compile(r'[\s="\\]|[^\x21-\x7e]')
_UNSAFE_KEY = re.compile(r"[^A-Za-z0-9_.-]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class OneLineFormatter(logging.Formatter):
    """Formats a record as one logfmt line: time, level, logger, msg, then the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line; %-style arguments are merged into the message first."""
        pairs = [
            ("time", _timestamp(record.created)),
            ("level", record.levelname.lower()),
            ("logger", record.name),
            ("msg", record.getMessage()),
        ]
        pairs += [
            (key, value) for key, value in record.__dict__.items()
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_")
        ]  # fmt: skip
        if record.exc_info:
            pairs.append(("exception", self.formatException(record.exc_info)))
        if record.stack_info:
            pairs.append(("stack", self.formatStack(record.stack_info)))
        return " ".join(f"{_key(key)}={_value(value)}" for key, value in pairs)


def log_event(
    logger: logging.Logger, event: str, message: str = "", *args: Any,
    level: int = logging.INFO, **fields: Any,
) -> None:
    """Log one named event with its fields, for example:

        log_event(log, "reminders.run", "Planned %d reminders", count, job="plan", patients=41)

    `event` is a dotted name to search for (`sign_in.locked`, `sms.sent`); the
    message (with %-style arguments) is for people and defaults to the event's name.
    Raises ValueError for a field named like a person's details (`FORBIDDEN_FIELDS`),
    so a mistake shows in the tests rather than in the logs.
    """
    forbidden = FORBIDDEN_FIELDS.intersection(fields)
    if forbidden:
        raise ValueError(f"Never log a person's details: {', '.join(sorted(forbidden))}")
    # stacklevel=2: the record names the caller's module and line, not this helper's.
    logger.log(level, message or event, *args, extra={"event": event, **fields}, stacklevel=2)


def _timestamp(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _key(key: str) -> str:
    return _UNSAFE_KEY.sub("_", str(key)) or "_"


def _value(value: Any) -> str:
    """A logfmt value: bare when plain, otherwise quoted with every control character escaped."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text and not _NEEDS_QUOTES.search(text):
        return text
    return '"' + "".join(_escape(character) for character in text) + '"'


def _escape(character: str) -> str:
    if character in _ESCAPES:
        return _ESCAPES[character]
    if not character.isprintable():
        # Line and paragraph separators, NEL, NUL and the like: no reader sees a new line.
        code = ord(character)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return character
