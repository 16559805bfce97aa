"""Every route and every form, public and staff, fed hostile values: never a 5xx, nothing logged.

Walks `app.url_map`, so a route added later is fuzzed without anyone adding it
here. Each route is asked by the first of an anonymous visitor (with a finished
self-check in their session), a nurse (with a patient) and an admin that it does
not send to sign in or answer 404, so staff pages are fuzzed behind their guards.
Then: ids that exist and ids no record has, odd text in every path part, hostile
values in every query-string name and every field of every form on the page
(Unicode digits, NUL, huge, empty, negative), and wrong types (a field sent twice,
a file where text belongs, nothing at all). A fixed corpus, so it is derandomised.
Every POST carries the client's real CSRF token, so it reaches the form behind it.
"""

import io
import logging

from bs4 import BeautifulSoup
from werkzeug.routing import IntegerConverter

from tests.accounts.factories import PASSWORD
from tests.blueprints.selfcheck.journey import give_answers
from tests.pages import csrf_token, submit
from tests.selfcheck.examples import complete_answers
from tests.walk import TEXT_PARTS, make_staff_and_records, page_rules, url_for_rule
from webapp.numbers import LARGEST_RECORD_ID

HOSTILE = ["", "-1", "99999999999999999999", "9" * 5000, "²", "①１２", "a\x00b", "x" * 20_000]
# Query strings: fewer, as every GET page is drawn whole for each.
HOSTILE_QUERY = ["99999999999999999999", "9" * 5000, "²", "１２", "a\x00b"]
ABSURD_IDS = [LARGEST_RECORD_ID, 10**20]
ODD_PATH_TEXT = ["１２", "a\x00b", "x" * 3000]
QUERY_NAMES = ("page", "per_page", "miles", "units", "next", "q", "status", "search")
# Run last, in this order: each would take away what the rest of the walk needs.
LAST = ("delete", "deactivate", "discharge", "opt_out", "stop", "reset", "start_again", "sign_out")
SIGN_IN = "/staff/sign-in"


class _Problems(logging.Handler):
    """Keeps every error or traceback the app logs."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(f"{record.name}: {record.getMessage()}")




def _signed_in(app, staff):
    client = app.test_client()
    response = submit(client, SIGN_IN, {"email": staff.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _order(rule) -> tuple:
    last = [index for index, word in enumerate(LAST) if word in rule.endpoint]
    return (last[0] if last else -1, rule.rule)


def _is_refused(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code == 404 or location.startswith(SIGN_IN)


class _Walk:
    def __init__(self, app, clients, ids):
        self.app, self.ids = app, ids
        # Each client with its CSRF token, read from a form it can see.
        self.clients = [(client, csrf_token(client, page)) for client, page in clients]
        self.failures: list[str] = []
        self.requests = 0

    def ask(self, client, method, url, **kwargs):
        self.requests += 1
        if method == "POST" and isinstance(kwargs.get("data"), dict):
            kwargs["data"] = {"csrf_token": self.tokens[client], **kwargs["data"]}
        response = client.open(url, method=method, **kwargs)
        body = response.get_data()  # read to the end: some downloads stream from a cursor
        body = body if response.mimetype == "text/html" else b""
        response.close()
        if response.status_code >= 500:
            sent = str(kwargs)[:200]
            self.failures.append(f"{method} {url[:120]} {sent} → {response.status_code}")
        return response, body

    @property
    def tokens(self) -> dict:
        return dict(self.clients)

    def client_for(self, method, url):
        """The first client this route serves; None if it serves nobody."""
        for client, _ in self.clients:
            response, body = self.ask(client, method, url, data={})
            if not _is_refused(response):
                return client, body
        return None, b""

    def route(self, rule):
        url = url_for_rule(self.app, rule, self.ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            client, body = self.client_for(method, url)
            if client is None:
                continue
            self.odd_parts(client, method, rule)
            if method == "GET":
                self.queries(client, url, body)
            else:
                self.forms(client, url, rule)

    def odd_parts(self, client, method, rule):
        for name, converter in rule._converters.items():
            odd = ABSURD_IDS if isinstance(converter, IntegerConverter) else ODD_PATH_TEXT
            for value in odd:
                self.ask(client, method, url_for_rule(self.app, rule, self.ids, **{name: value}))

    def queries(self, client, url, body):
        names = set(QUERY_NAMES) | _field_names(body, "get")
        for value in HOSTILE_QUERY:
            self.ask(client, "GET", url, query_string=dict.fromkeys(names, value))

    def forms(self, client, url, rule):
        names = _field_names(self._page(client, url, rule), "post") or {"confirm", "reason"}
        for value in HOSTILE:
            self.ask(client, "POST", url, data=dict.fromkeys(names, value))
        self.ask(client, "POST", url, data={name: ["1", "²"] for name in names})
        files = {name: (io.BytesIO(b"a\x00b"), "x.csv") for name in names}
        self.ask(client, "POST", url, data=files, content_type="multipart/form-data")
        self.ask(client, "POST", url, data={})
        self.ask(client, "POST", url, data=b"\xff\xfe\x00", content_type="application/json")

    def _page(self, client, url, rule) -> bytes:
        return self.ask(client, "GET", url)[1] if "GET" in rule.methods else b""


def _field_names(body: bytes, method: str) -> set[str]:
    """The names of every field in the page's forms that use `method`."""
    page = BeautifulSoup(body or b"", "html.parser")
    forms = page.find_all("form", method=lambda m: (m or "get").lower() == method)
    return {
        field["name"]
        for form in forms
        for field in form.find_all(["input", "select", "textarea"], attrs={"name": True})
        if field["name"] != "csrf_token"
    }


def test_no_route_answers_5xx_or_logs_an_error_whatever_it_is_sent(app, database):
    admin, nurse, ids = make_staff_and_records(database)
    visitor = app.test_client()
    give_answers(visitor, complete_answers())
    clients = [(visitor, "/check/age"), (_signed_in(app, nurse), "/staff/change-password"),
               (_signed_in(app, admin), "/staff/change-password")]  # fmt: skip
    walk = _Walk(app, clients, ids)
    problems = _Problems()
    logging.getLogger("webapp").addHandler(problems)
    try:
        for rule in sorted(page_rules(app, "GET") + page_rules(app, "POST"), key=_order):
            walk.route(rule)
    finally:
        logging.getLogger("webapp").removeHandler(problems)
    assert walk.requests > 1000, walk.requests  # the walk really ran
    assert walk.failures == []
    assert problems.records == []


def test_the_walk_would_catch_a_route_that_fails(app, database):
    @app.route("/patients-fragile/<int:patient_id>")
    def fragile(patient_id):
        return str(1 // (patient_id - LARGEST_RECORD_ID))

    walk = _Walk(app, [(app.test_client(), "/check/age")], {"patient_id": 1})
    problems = _Problems()
    logging.getLogger("webapp").addHandler(problems)
    try:
        walk.route(next(r for r in app.url_map.iter_rules() if r.endpoint == "fragile"))
    finally:
        logging.getLogger("webapp").removeHandler(problems)
    assert walk.failures == [f"GET /patients-fragile/{LARGEST_RECORD_ID} {{}} → 500"]
    assert problems.records == ["webapp.errors: Unhandled error"]


assert TEXT_PARTS  # the walk fills text parts of addresses from tests/walk.py
