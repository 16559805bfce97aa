"""Reading typed numbers, imperial conversions and age from a date of birth."""

from datetime import date

import pytest

from webapp.selfcheck.measurements import (
    TOO_LARGE,
    age_on,
    centimetres_from_feet_and_inches,
    kilograms_from_stones_and_pounds,
    read_decimal_number,
    read_whole_number,
    real_date,
)


def test_five_feet_four_inches_is_162_56_cm():
    assert centimetres_from_feet_and_inches(5, 4) == pytest.approx(162.56)


def test_ten_stone_seven_pounds_is_66_68_kg():
    assert round(kilograms_from_stones_and_pounds(10, 7), 2) == 66.68


def test_six_feet_is_182_88_cm_and_fourteen_stone_is_88_9_kg():
    assert centimetres_from_feet_and_inches(6, 0) == pytest.approx(182.88)
    assert kilograms_from_stones_and_pounds(14, 0) == pytest.approx(88.90, abs=0.01)


@pytest.mark.parametrize("text, number", [("67", 67), (" 67 ", 67), ("007", 7)])
def test_whole_numbers_are_read(text, number):
    assert read_whole_number(text) == number


@pytest.mark.parametrize(
    "text", ["", " ", "67.0", "-67", "+67", "1_000", "1e3", "sixty", "٦٧", "６７", None]
)
def test_anything_but_plain_digits_is_not_a_whole_number(text):
    assert read_whole_number(text) is None


@pytest.mark.parametrize("text, number", [("165", 165.0), ("162.5", 162.5), (".5", 0.5)])
def test_decimal_numbers_are_read(text, number):
    assert read_decimal_number(text) == number


@pytest.mark.parametrize("text", ["nan", "inf", "infinity", "1e3", "1,5", "1.2.3", "5.", "١٦٥"])
def test_python_float_spellings_are_not_numbers_to_a_person(text):
    assert read_decimal_number(text) is None


def test_a_huge_number_reads_as_too_large_rather_than_failing():
    assert read_whole_number("9" * 5000) == TOO_LARGE
    assert read_decimal_number("9" * 5000) == float(TOO_LARGE)


@pytest.mark.parametrize(
    "born, today, age",
    [
        (date(1958, 3, 15), date(2025, 3, 14), 66),
        (date(1958, 3, 15), date(2025, 3, 15), 67),
        (date(1960, 2, 29), date(2025, 2, 28), 64),
        (date(1960, 2, 29), date(2025, 3, 1), 65),
    ],
)
def test_age_is_completed_years_on_the_day(born, today, age):
    assert age_on(born, today) == age


def test_a_date_that_does_not_exist_is_refused():
    assert real_date(2023, 2, 29) is None
    assert real_date(2024, 2, 29) == date(2024, 2, 29)
    assert real_date(2024, 13, 1) is None
