"""Reading typed numbers, imperial conversions and age from a date of birth."""

from datetime import date

import pytest

from webapp.selfcheck.measurements import (
    CENTIMETRES_IN,
    KILOGRAMS_IN,
    TOO_LARGE,
    TwoParts,
    age_on,
    centimetres_from_feet_and_inches,
    kilograms_from_stones_and_pounds,
    looks_imperial,
    read_decimal_number,
    read_feet_and_inches,
    read_month,
    read_number_with_unit,
    read_stones_and_pounds,
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


@pytest.mark.parametrize(
    "text, parts",
    [
        ("5ft 4", TwoParts(5, 4)), ("5'4\"", TwoParts(5, 4)), ("5' 4''", TwoParts(5, 4)),
        ("5′4″", TwoParts(5, 4)), ("5 feet 4 inches", TwoParts(5, 4)),
        ("5 FT 4 IN", TwoParts(5, 4)), ("5ft4in", TwoParts(5, 4)), ("5 foot 4", TwoParts(5, 4)),
        ("5ft, 4in", TwoParts(5, 4)), ("5ft 4.5in", TwoParts(5, 4.5)), ("6ft", TwoParts(6, 0)),
        (" 5 ft. 4 in. ", TwoParts(5, 4)),
        # Inches alone, as feet and inches: 64 = 5 x 12 + 4.
        ("64 inches", TwoParts(5, 4)), ("64in", TwoParts(5, 4)), ("60.5\"", TwoParts(5, 0.5)),
    ],
)
def test_feet_and_inches_as_people_write_them(text, parts):
    assert read_feet_and_inches(text) == parts


@pytest.mark.parametrize(
    "text, parts",
    [
        ("10st 7", TwoParts(10, 7)), ("10 st 7 lb", TwoParts(10, 7)),
        ("10st7lbs", TwoParts(10, 7)), ("10 stone 7 pounds", TwoParts(10, 7)),
        ("10 Stone", TwoParts(10, 0)), ("10st 7.5lb", TwoParts(10, 7.5)),
        # Pounds alone, as stones and pounds: 160 = 11 x 14 + 6; 150 = 10 x 14 + 10.
        ("160lb", TwoParts(11, 6)), ("150 lbs", TwoParts(10, 10)), ("13 pounds", TwoParts(0, 13)),
    ],
)
def test_stones_and_pounds_as_people_write_them(text, parts):
    assert read_stones_and_pounds(text) == parts


@pytest.mark.parametrize(
    "text", ["5 4", "5", "5.5ft", "inches", "ft 4", "5ft 4st", "10st 7", "", None, "5ft -4"]
)
def test_anything_else_is_not_feet_and_inches(text):
    assert read_feet_and_inches(text) is None


@pytest.mark.parametrize("text", ["10 7", "lbs", "-150 lbs", "10.5st", "5ft 4", "", None])
def test_anything_else_is_not_stones_and_pounds(text):
    assert read_stones_and_pounds(text) is None


@pytest.mark.parametrize(
    "text, units, number",
    [
        ("165", CENTIMETRES_IN, 165), ("165 cm", CENTIMETRES_IN, 165),
        ("165CM", CENTIMETRES_IN, 165), ("1.65 m", CENTIMETRES_IN, 165),
        ("1.15m", CENTIMETRES_IN, 115), ("165 centimetres", CENTIMETRES_IN, 165),
        ("70", KILOGRAMS_IN, 70), ("70kg", KILOGRAMS_IN, 70), ("70.5 kilos", KILOGRAMS_IN, 70.5),
    ],
)
def test_a_number_with_its_metric_unit(text, units, number):
    assert read_number_with_unit(text, units) == number


@pytest.mark.parametrize(
    "text, units",
    [("70 lb", KILOGRAMS_IN), ("165 kg", CENTIMETRES_IN), ("5ft 4", CENTIMETRES_IN),
     ("cm", CENTIMETRES_IN), ("1e3", CENTIMETRES_IN), ("nan", KILOGRAMS_IN), (None, KILOGRAMS_IN)],
)
def test_a_number_with_another_unit_or_none_is_not_read(text, units):
    assert read_number_with_unit(text, units) is None


@pytest.mark.parametrize(
    "text, measure, looks",
    [
        ("5 4", "height", True), ("5.5 ft", "height", True), ("64 inches", "height", True),
        ("5'", "height", True), ("10 7", "weight", True), ("150 lbs", "weight", True),
        ("11 stone", "weight", True), ("165", "height", False), ("abc", "height", False),
        ("10 st", "height", False), ("5 ft", "weight", False), ("70", "weight", False),
    ],
)
def test_what_looks_like_feet_and_inches_or_stones_and_pounds(text, measure, looks):
    assert looks_imperial(text, measure) is looks


@pytest.mark.parametrize(
    "typed, month",
    [("3", 3), ("03", 3), ("March", 3), ("mar", 3), ("Sept.", 9), ("sep", 9), (" june ", 6),
     ("ma", None), ("Marchember", None), ("", None), (None, None), ("٣", None)],
)
def test_a_month_is_a_number_or_its_name(typed, month):
    assert read_month(typed) == month
