"""UK phone numbers: typed every usual way, mobile or landline, drama numbers, masking."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from config import Config, DevelopmentConfig, ProductionConfig, TestConfig
from webapp.phones import (
    PhoneNumberError,
    mask_number,
    national_format,
    parse_uk_mobile,
    parse_uk_number,
)

NOT_A_UK_NUMBER = "Enter a UK phone number"


@pytest.mark.parametrize(
    "typed",
    [
        "07911 123456", "07911123456", "+44 7911 123456", "+447911123456", "0044 7911 123456",
        "+44 (0)7911 123456", "(07911) 123 456", "  07911-123-456  ", "+44-7911-123456",
    ],
)
def test_a_mobile_typed_any_usual_way(typed):
    number = parse_uk_mobile(typed)
    assert number.e164 == "+447911123456"
    assert number.national == "07911 123456"
    assert number.is_mobile


@pytest.mark.parametrize(
    ("typed", "e164", "national"),
    [
        ("0113 496 0123", "+441134960123", "0113 496 0123"),
        ("(0191) 498 0123", "+441914980123", "0191 498 0123"),
        ("+44 20 7946 0018", "+442079460018", "020 7946 0018"),
        ("0044 29 2018 0404", "+442920180404", "029 2018 0404"),
        ("01924541000", "+441924541000", "01924 541000"),
        ("0300 123 4567", "+443001234567", "0300 123 4567"),
    ],
)
def test_a_landline_typed_any_usual_way(typed, e164, national):
    number = parse_uk_number(typed)
    assert (number.e164, number.national, number.is_mobile) == (e164, national, False)
    assert national_format(e164) == national


@pytest.mark.parametrize("typed", ["0113 496 0123", "0800 123 4567", "070 1234 5678"])
def test_a_landline_or_personal_number_is_not_a_mobile(typed):
    with pytest.raises(PhoneNumberError, match="Enter a UK mobile number.*read aloud"):
        parse_uk_mobile(typed)


@pytest.mark.parametrize(
    "typed", ["07700 900000", "07700 900123", "+44 7700 900999", "0044 (0)7700 900456"]
)
def test_drama_mobiles_are_mobiles_only_where_allowed(typed):
    number = parse_uk_mobile(typed, allow_drama=True)
    assert number.is_mobile
    assert re.fullmatch(r"\+447700900\d{3}", number.e164)
    assert number.national == "07700 " + number.e164[-6:]
    assert national_format(number.e164) == number.national
    for parse in (parse_uk_number, parse_uk_mobile):
        with pytest.raises(PhoneNumberError, match=NOT_A_UK_NUMBER):
            parse(typed)


def test_only_the_drama_range_itself_is_let_through():
    # 07700 901000 is just outside Ofcom's range, so it is refused even with allow_drama.
    with pytest.raises(PhoneNumberError, match=NOT_A_UK_NUMBER):
        parse_uk_number("07700 901000", allow_drama=True)


@pytest.mark.parametrize(
    "typed",
    ["+1 212 555 0100", "+33 6 12 34 56 78", "00353 87 123 4567", "999", "12345", "0123",
     "07911 12345", "07911 1234567", "not a number", "0113 496 012x", "07911 123456 07911 123456"],
)  # fmt: skip
def test_non_uk_numbers_and_garbage_are_refused_with_the_message(typed):
    for allow_drama in (False, True):
        with pytest.raises(PhoneNumberError, match=NOT_A_UK_NUMBER):
            parse_uk_number(typed, allow_drama=allow_drama)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_nothing_typed_asks_for_a_number(typed):
    with pytest.raises(PhoneNumberError, match="Enter a phone number"):
        parse_uk_number(typed)


def _outcome(typed: str):
    try:
        return parse_uk_number(typed)
    except PhoneNumberError as error:
        return str(error)


@given(st.from_regex(r"[1-9][0-9]{9}", fullmatch=True))
@example("7911123456")
@example("1134960123")
@example("7911900000")
def test_a_number_spelled_four_ways_gives_one_answer(subscriber):
    spellings = [
        f"0{subscriber}", f"+44 {subscriber[:4]} {subscriber[4:]}", f"0044{subscriber}",
        f"(0{subscriber[:4]}) {subscriber[4:]}",
    ]
    outcomes = [_outcome(typed) for typed in spellings]
    assert all(outcome == outcomes[0] for outcome in outcomes)
    if isinstance(outcomes[0], str):
        assert outcomes[0].startswith(NOT_A_UK_NUMBER)
    else:
        assert outcomes[0].e164 == "+44" + subscriber
        assert re.sub(r"\D", "", outcomes[0].national) == "0" + subscriber
        # Every UK mobile starts 07; not every 07 is a mobile (070 personal numbers, 076 pagers).
        assert subscriber.startswith("7") or not outcomes[0].is_mobile


@given(st.integers(min_value=0, max_value=999))
def test_every_drama_mobile_depends_on_allow_drama(last_three):
    typed = f"07700 900{last_three:03d}"
    assert parse_uk_mobile(typed, allow_drama=True).e164 == f"+447700900{last_three:03d}"
    with pytest.raises(PhoneNumberError):
        parse_uk_mobile(typed)


@given(st.text(max_size=30))
def test_any_text_either_parses_to_a_uk_number_or_is_refused_with_a_message(typed):
    try:
        number = parse_uk_number(typed, allow_drama=True)
    except PhoneNumberError as error:
        assert str(error).startswith("Enter a")
    else:
        assert number.e164.startswith("+44")
        assert parse_uk_number(number.e164, allow_drama=True) == number


def test_mask_number_shows_the_first_digit_and_last_three():
    assert mask_number("+447911123456") == "+44 7*** ***456"
    assert mask_number("+441134960123") == "+44 1*** ***123"
    assert mask_number("+12125550100") == "+********100"
    assert mask_number("") == mask_number(None) == ""
    assert parse_uk_mobile("07911 123456").masked == "+44 7*** ***456"


@given(st.from_regex(r"\+[1-9][0-9]{5,14}", fullmatch=True))
@example("+447911123456")
@example("+447700900123")
@example("+441234")
def test_mask_number_never_reveals_more_than_the_first_digit_and_last_three(e164):
    masked = mask_number(e164)
    digits = e164[1:]
    if masked.startswith("+44 "):
        subscriber = digits[2:]
        shown = re.sub(r"\D", "", masked[4:])
        assert shown == subscriber[0] + subscriber[-3:]
    else:
        shown = re.sub(r"\D", "", masked)
        assert shown == digits[-3:]
    assert len(shown) <= 4
    # Never a run of four or more digits of the number in one place.
    assert not re.search(r"\d{4}", masked)


def test_drama_numbers_are_allowed_everywhere_but_production():
    assert Config.ALLOW_DRAMA_NUMBERS is True
    assert DevelopmentConfig.ALLOW_DRAMA_NUMBERS is True
    assert TestConfig.ALLOW_DRAMA_NUMBERS is True
    assert ProductionConfig.ALLOW_DRAMA_NUMBERS is False
