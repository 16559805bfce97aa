"""Ids and page numbers in addresses, range-checked once for every route.

A record id or page number a database cannot hold (`/groups/99999999999999999999`,
`?page=99999999999999999999`) used to reach a query and fail there with a 500.
`register_url_checks` makes every `<int:…>` part of every route, those added
later included, a record id (digits 0 to 9, 1 to PostgreSQL's largest integer,
else 404), and refuses an absurd `page` or `per_page` in any query string
before a view runs, so `db.paginate`, which reads them itself, is safe too.
Views that read a page number themselves call `page_number()`.
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from webapp.numbers import LARGEST_RECORD_ID, read_whole_number

# Far more pages than any list will have, and small enough that (page - 1) * per_page
# always fits the OFFSET of every database.
LARGEST_PAGE = 100_000
PAGE_ARGUMENTS = ("page", "per_page")


class RecordIdConverter(IntegerConverter):
    """`<int:…>` in a route: a record's id, 1 to LARGEST_RECORD_ID, in the digits 0 to 9."""

    # Ten digits cover LARGEST_RECORD_ID; a longer number is not a match, so a 404.
    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=1, max=LARGEST_RECORD_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed=False)


def register_url_checks(app: Flask) -> None:
    """Use RecordIdConverter for `<int:…>` and check page numbers (before any blueprint)."""
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(_refuse_absurd_page_numbers)


def page_number(name: str = "page") -> int:
    """The page a query string asks for: 1 if none or not a whole number, 404 past LARGEST_PAGE."""
    typed = request.args.get(name)
    if typed is None:
        return 1
    number = read_whole_number(typed)
    if number is None or number < 1:
        return 1
    if number > LARGEST_PAGE:
        abort(404)
    return number


def _refuse_absurd_page_numbers() -> None:
    if not request.environ.get("QUERY_STRING"):
        return  # most requests: no query string to parse into arguments
    for name in PAGE_ARGUMENTS:
        if name in request.args:
            page_number(name)
