"""The NHS number check: ten digits and a modulus-11 check digit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.patients.nhs_number import (
    NhsNumberError,
    check_digit,
    format_nhs_number,
    is_valid_nhs_number,
    parse_nhs_number,
)

# Worked by hand: 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299;
# 299 % 11 = 2; 11 - 2 = 9, the last digit.
VALID = "9434765919"

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@st.composite
def valid_numbers(draw):
    first_nine = draw(nine_digits.filter(lambda digits: check_digit(digits) is not None))
    return first_nine + str(check_digit(first_nine))


def test_a_known_number_is_valid_and_its_neighbours_are_not():
    assert is_valid_nhs_number(VALID)
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("9434765910")


def test_a_remainder_of_one_means_no_check_digit_can_work():
    # 1*10 = 10 → remainder 10 → 11 - 10 = 1: check digit 1.
    assert check_digit("100000000") == 1
    # 1*10 + 1*2 = 12 → remainder 1 → 11 - 1 = 10: not a valid number whatever the last digit.
    assert check_digit("100000001") is None
    assert not any(is_valid_nhs_number(f"100000001{d}") for d in range(10))


def test_a_remainder_of_zero_gives_check_digit_zero():
    assert check_digit("000000000") == 0
    assert check_digit("200000001") == 0  # 20 + 2 = 22, a multiple of 11


@given(valid_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_changing_any_one_digit_of_a_valid_number_makes_it_invalid(number, position, shift):
    changed = (int(number[position]) + shift) % 10
    typo = number[:position] + str(changed) + number[position + 1:]
    assert is_valid_nhs_number(number)
    assert not is_valid_nhs_number(typo)


@given(valid_numbers())
def test_a_valid_number_is_read_however_it_is_spaced(number):
    assert parse_nhs_number(format_nhs_number(number)) == number
    assert parse_nhs_number(f" {number[:3]}-{number[3:6]}-{number[6:]} ") == number


@pytest.mark.parametrize("typed, message", [
    ("", "Enter the patient's NHS number"),
    ("943 476 591", "NHS number must be 10 digits, like 943 476 5919"),
    ("943 476 59190", "NHS number must be 10 digits, like 943 476 5919"),
    ("943 476 591X", "NHS number must be 10 digits, like 943 476 5919"),
    ("９４３４７６５９１９", "NHS number must be 10 digits, like 943 476 5919"),
    ("943 476 5918", "This is not a valid NHS number: check each digit against the "
                     "patient's records"),
])  # fmt: skip
def test_a_wrong_number_is_refused_with_what_to_do(typed, message):
    with pytest.raises(NhsNumberError) as raised:
        parse_nhs_number(typed)
    assert str(raised.value) == message


def test_format_groups_three_three_four():
    assert format_nhs_number(VALID) == "943 476 5919"
