"""Reading what people type into a postcode district."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.postcodes import (
    NotAPostcodeError,
    PostcodeError,
    is_northern_ireland,
    parse_outcode,
    postcode_area,
)


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("DH1 3LN", "DH1"),
        ("dh1 3ln", "DH1"),
        ("DH13LN", "DH1"),
        ("  dh1   3ln  ", "DH1"),
        ("SW1A 1AA", "SW1A"),
        ("sw1a1aa", "SW1A"),
        ("EC1A 1BB", "EC1A"),
        ("W1A 0AX", "W1A"),
        ("M1 1AE", "M1"),
        ("B33 8TH", "B33"),
        ("CR2 6XH", "CR2"),
        ("G1 1XQ", "G1"),
    ],
)
def test_a_full_postcode_reduces_to_its_district(typed, district):
    assert parse_outcode(typed) == district


@pytest.mark.parametrize(
    ("typed", "district"),
    [("DH1", "DH1"), ("dh1", "DH1"), (" Sw1a ", "SW1A"), ("b34", "B34"), ("IV1", "IV1")],
)
def test_just_the_first_half_is_enough(typed, district):
    assert parse_outcode(typed) == district


def test_a_partly_typed_second_half_after_a_space_is_ignored():
    assert parse_outcode("DH1 3") == "DH1"
    assert parse_outcode("DH1 3L") == "DH1"


@pytest.mark.parametrize("typed", ["BT1 1AA", "bt11aa", "BT48", "bt9 7ab"])
def test_northern_ireland_postcodes_are_recognised(typed):
    district = parse_outcode(typed)
    assert is_northern_ireland(district)
    assert postcode_area(district) == "BT"


def test_a_gb_district_is_not_northern_ireland():
    assert not is_northern_ireland("B1")
    assert not is_northern_ireland("DH1")


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "hello", "12345", "DH1 3LN extra", "DH1 LN3", "D", "DH1 3LNN", "€$%", "ABC123",
     "DH1-3LN", "x" * 200, "１２３", "DH１"],
)
def test_nonsense_is_refused_with_our_own_error(typed):
    with pytest.raises(NotAPostcodeError):
        parse_outcode(typed)


def test_something_that_is_not_text_is_refused():
    with pytest.raises(NotAPostcodeError):
        parse_outcode(None)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=40))
def test_the_parser_never_raises_anything_but_its_own_error(text):
    try:
        district = parse_outcode(text)
    except PostcodeError:
        return
    # Whatever it accepts is a plain upper-case district of at most 4 characters.
    assert district.isascii() and district.isupper() and 2 <= len(district) <= 4
