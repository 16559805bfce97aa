"""One check for NUL and length, used by every text field and every imported cell."""

from webapp.text_checks import LONGEST_TEXT, text_problem


def test_plain_text_and_empty_text_pass():
    assert text_problem("Ada Admin", "Full name") is None
    assert text_problem("", "Full name") is None
    assert text_problem(None, "Full name") is None


def test_a_nul_character_is_refused_with_a_message_naming_the_field():
    assert text_problem("ada\x00@nhs.net", "Email address") == (
        "Email address has a hidden character (a null byte) that cannot be saved: type it again"
    )


def test_text_longer_than_the_limit_is_refused():
    assert text_problem("x" * 121, "Full name", 120) == "Full name must be 120 characters or fewer"
    assert text_problem("x" * 120, "Full name", 120) is None
    too_long = text_problem("x" * (LONGEST_TEXT + 1), "Notes")
    assert too_long == "Notes must be 4,000 characters or fewer"
