"""One reader of typed numbers: ASCII digits only, never a traceback, never too large to store."""

import pytest

from webapp.numbers import (
    LARGEST_RECORD_ID,
    TOO_LARGE,
    read_decimal_number,
    read_record_id,
    read_whole_number,
)

NOT_NUMBERS = ["²", "①", "１２", "٦٧", "1_000", "1e3", "nan", "-1", "1 2", "", "  ", "\x00", None]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_only_the_digits_0_to_9_are_a_whole_number(typed):
    assert read_whole_number(typed) is None


@pytest.mark.parametrize("typed", ["²", "①", "１.５", "inf", "1e3", "."])
def test_only_the_digits_0_to_9_and_a_point_are_a_decimal(typed):
    assert read_decimal_number(typed) is None


def test_plain_numbers_are_read_with_spaces_around():
    assert read_whole_number(" 72 ") == 72
    assert read_decimal_number("1.65") == 1.65


def test_a_five_thousand_digit_number_is_too_large_not_an_error():
    assert read_whole_number("9" * 5000) == TOO_LARGE
    assert read_decimal_number("9" * 5000) == float(TOO_LARGE)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1", 1), (str(LARGEST_RECORD_ID), LARGEST_RECORD_ID), (str(LARGEST_RECORD_ID + 1), None),
     ("0", None), ("9" * 5000, None), ("１２", None), ("abc", None)],
)  # fmt: skip
def test_record_ids_are_in_the_range_a_database_holds(typed, expected):
    assert read_record_id(typed) == expected
