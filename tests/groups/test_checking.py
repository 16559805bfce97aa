"""The one rule for when listed details need checking again."""

from datetime import date

import pytest

from webapp.groups.checking import check_again_from, needs_checking

TODAY = date(2025, 10, 1)


@pytest.mark.parametrize(
    ("checked_on", "stale"),
    [
        (None, True),
        (TODAY, False),
        (date(2024, 10, 1), False),  # exactly a year ago: still in date today
        (date(2024, 9, 30), True),  # a year and a day
        (date(2020, 1, 1), True),
    ],
)
def test_details_not_checked_for_a_year_need_checking(checked_on, stale):
    assert needs_checking(checked_on, TODAY) is stale


def test_a_check_on_29_february_falls_due_after_28_february_next_year():
    assert check_again_from(date(2024, 2, 29)) == date(2025, 3, 1)
    assert not needs_checking(date(2024, 2, 29), date(2025, 2, 28))
    assert needs_checking(date(2024, 2, 29), date(2025, 3, 1))


def test_a_leap_year_does_not_shorten_the_year():
    # 366 days after 1 January 2024 is still within "a year" by the calendar.
    assert not needs_checking(date(2024, 1, 1), date(2025, 1, 1))
    assert needs_checking(date(2024, 1, 1), date(2025, 1, 2))
