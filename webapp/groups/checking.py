"""When listed details need checking again: the one rule for groups and services alike.

A support group or Fracture Liaison Service whose details nobody has confirmed
for over a year is flagged to admins ("Needs checking") and, for groups, shown
to the public with a caution. Admin lists and public pages all ask here.
"""

from datetime import date


def check_again_from(checked_on: date) -> date:
    """The first day details checked on `checked_on` count as out of date: a year and a day on.

    A check on 29 February falls due after 28 February the next year.
    """
    try:
        a_year_on = checked_on.replace(year=checked_on.year + 1)
    except ValueError:  # 29 February, and next year is not a leap year
        a_year_on = checked_on.replace(year=checked_on.year + 1, day=28)
    return date.fromordinal(a_year_on.toordinal() + 1)


def needs_checking(checked_on: date | None, today: date) -> bool:
    """True if the details were never checked, or not in the year up to `today`."""
    return checked_on is None or today >= check_again_from(checked_on)
