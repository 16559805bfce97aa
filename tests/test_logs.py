"""Structured one-line logs: the message, its %-style arguments and `extra=` fields, one line."""

import io
import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.logs import FORBIDDEN_FIELDS, OneLineFormatter, log_event

LINE = re.compile(
    r"time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=(?P<level>\w+) logger=(?P<logger>\S+) "
    r"msg=(?P<msg>.*)"
)


LOGGER = logging.getLogger("tests.logs")


@pytest.fixture
def output():
    """What LOGGER writes through the app's formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter())
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(logging.DEBUG)
    LOGGER.propagate = False
    yield stream
    LOGGER.handlers[:] = []


def _lines(output) -> list[str]:
    text = output.getvalue()
    assert text.endswith("\n")
    return text[:-1].split("\n")


def test_a_record_is_time_level_logger_message_then_the_extra_fields(output):
    LOGGER.warning("Sent %d of %s", 3, "four", extra={"event": "sms.sent", "job_id": 12})
    (line,) = _lines(output)
    match = LINE.fullmatch(line)
    assert match, line
    assert match["level"] == "warning" and match["logger"] == "tests.logs"
    assert match["msg"] == '"Sent 3 of four" event=sms.sent job_id=12'


def test_values_with_spaces_quotes_or_equals_are_quoted_and_plain_ones_are_not(output):
    LOGGER.info("done", extra={
        "plain": "sign_in.locked", "spaced": "two words", "quoted": 'say "hi"', "equals": "a=b",
        "empty": "", "missing": None, "number": 4.5, "flag": True,
    })  # fmt: skip
    (line,) = _lines(output)
    assert line.endswith(
        'msg=done plain=sign_in.locked spaced="two words" quoted="say \\"hi\\"" equals="a=b" '
        'empty="" missing= number=4.5 flag=True'
    )


@pytest.mark.parametrize(
    "text",
    ["first\nsecond", "first\r\nsecond", "first\rsecond", "a\u2028b", "a\u2029b", "a\x85b",
     "a\x0bb", "a\x0cb", "a\x1cb", "nul\x00byte", "tab\there"],
)  # fmt: skip
def test_a_message_or_field_with_a_line_break_stays_on_one_line(output, text):
    LOGGER.info("Imported: %s", text, extra={"detail": text})
    (line,) = _lines(output)
    assert line.splitlines() == [line]
    assert "\\" in line


def test_a_forged_second_record_cannot_be_smuggled_in(output):
    LOGGER.info("name: %s", "x\ntime=2026-01-01T00:00:00.000Z level=info msg=forged")
    (line,) = _lines(output)
    assert line.count("time=") == 2 and line.count("\\n") == 1
    assert 'msg="name: x\\ntime=' in line


def test_a_traceback_is_kept_on_the_same_line(output):
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        LOGGER.exception("It went wrong", extra={"event": "job.failed"})
    (line,) = _lines(output)
    assert "event=job.failed exception=\"Traceback (most recent call last):\\n" in line
    assert "ValueError: first line\\nsecond line" in line


def test_unsafe_field_names_are_made_safe(output):
    LOGGER.info("odd", extra={"a key\nwith=stuff": 1})
    (line,) = _lines(output)
    assert line.endswith("msg=odd a_key_with_stuff=1")


@given(st.text(), st.text())
def test_any_message_and_value_give_exactly_one_line(message, value):
    record = logging.LogRecord("webapp.x", logging.INFO, __file__, 1, "%s", (message,), None)
    record.detail = value
    line = OneLineFormatter().format(record)
    assert line.splitlines() == [line]
    assert len(line.split("\n")) == 1


def test_log_event_names_the_event_and_keeps_percent_arguments(output):
    log_event(LOGGER, "reminders.planned", "Planned %d reminders", 41, job="plan", patients=12)
    log_event(LOGGER, "sms.callback", level=logging.WARNING, reminder_id=7)
    first, second = _lines(output)
    assert first.endswith('msg="Planned 41 reminders" event=reminders.planned job=plan patients=12')
    assert "level=info" in first
    assert second.endswith("msg=sms.callback event=sms.callback reminder_id=7")
    assert "level=warning" in second


@pytest.mark.parametrize("field", sorted(FORBIDDEN_FIELDS))
def test_log_event_refuses_a_field_named_like_a_persons_details(output, field):
    with pytest.raises(ValueError, match="Never log a person's details"):
        log_event(LOGGER, "patients.enrolled", patient_id=3, **{field: "x"})
    assert output.getvalue() == ""


def test_the_app_logs_to_stdout_through_the_one_line_formatter(app):
    ours = [
        handler for handler in logging.getLogger("webapp").handlers
        if isinstance(handler.formatter, OneLineFormatter)
    ]  # fmt: skip
    assert len(ours) == 1 and isinstance(ours[0], logging.StreamHandler)
    assert not logging.getLogger("webapp").disabled
