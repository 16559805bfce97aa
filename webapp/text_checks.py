"""One check for every piece of text a person types or a file brings: no NUL, not too long.

PostgreSQL cannot store a NUL character in text (SQLite can), and a value longer
than its column fails on PostgreSQL only: both used to be a 500 on one database
and not the other. Every text field of the widget layer (webapp/forms/widgets.py)
and every cell of a CSV import runs this check before anything reaches a query.
"""

NUL = "\x00"
# The longest text any field takes when its form names no Length: the longest column.
LONGEST_TEXT = 4000


def text_problem(value: str | None, what: str, longest: int = LONGEST_TEXT) -> str | None:
    """A message for the person if `value` cannot be kept as typed, else None.

    `what` names the field as the page does ("Email address").
    """
    if not value:
        return None
    if NUL in value:
        return f"{what} has a hidden character (a null byte) that cannot be saved: type it again"
    if len(value) > longest:
        return f"{what} must be {longest:,} characters or fewer"
    return None
