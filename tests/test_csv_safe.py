"""Every CSV export defuses formulas in free text and keeps numbers, dates and phone numbers."""

import csv
import io
from datetime import date, datetime

import pytest

from webapp import csv_safe


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.com","Click")', "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx",
     "+44 7700 900123", "=1"],
)  # fmt: skip
def test_free_text_that_starts_like_a_formula_is_defused(text):
    assert csv_safe.defuse_cell(text) == "'" + text
    assert csv_safe.undefuse_cell(csv_safe.defuse_cell(text)) == text


@pytest.mark.parametrize("value", ["+441134567890", "-12", "-1.5", "42", "Ada Admin", ""])
def test_phone_numbers_numbers_and_plain_text_are_written_as_they_are(value):
    assert csv_safe.defuse_cell(value) == value
    assert csv_safe.undefuse_cell(value) == value


def test_typed_values_are_written_plainly():
    assert csv_safe.defuse_cell(-3) == "-3"
    assert csv_safe.defuse_cell(date(2026, 12, 1)) == "2026-12-01"
    assert csv_safe.defuse_cell(datetime(2026, 12, 1, 9, 30)) == "2026-12-01T09:30:00"
    assert csv_safe.defuse_cell(None) == ""


def test_an_apostrophe_before_ordinary_text_is_kept_on_import():
    assert csv_safe.undefuse_cell("'tis the season") == "'tis the season"


def test_the_writer_defuses_every_cell_of_every_row():
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer, lineterminator="\n")
    writer.writerow(["=1+1", "+441134567890"])
    writer.writerows([["@x", 5]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["'=1+1", "+441134567890"], ["'@x", "5"]
    ]
