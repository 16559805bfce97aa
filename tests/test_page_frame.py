"""The page frame (webapp/page_frame.py) and fixed partials (webapp/fixed_partials.py): pages
drawn through them are the pages the templates draw, byte for byte; each is drawn once per
key; and nothing about one request (the title, a nonce, a token, a signed-in person's name)
is kept in them."""

import re
import time

import pytest
import time_machine

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.blueprints.selfcheck.journey import give_answers, ready_for
from tests.pages import submit
from tests.selfcheck.examples import complete_answers
from webapp import fixed_partials, page_frame
from webapp.models.staff import Role

NONCE = re.compile(r'nonce(="|-)[A-Za-z0-9_\-]+')
CSRF_TOKEN = re.compile(r"\bI[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27}\b")


def _normalised(response) -> str:
    """Status, headers and page, with the two things new on every request blanked."""
    headers = [f"{name}: {value}" for name, value in response.headers.items()
               if name not in ("Set-Cookie", "Date")]  # fmt: skip
    text = "\n".join([str(response.status_code), *headers, response.get_data(as_text=True)])
    return CSRF_TOKEN.sub("CSRF", NONCE.sub(r"nonce\1NONCE", text))


def _with_and_without_frame(monkeypatch, draw) -> tuple[str, str]:
    """What `draw()` answers through the frame and fixed partials, then drawn as the
    templates draw it. The clock stands still meanwhile: the timeout warning counts the
    seconds since the session cookie was signed, and both must see the same second."""
    with time_machine.travel(time.time(), tick=False):
        framed = _normalised(draw())
        with monkeypatch.context() as patched:
            patched.setattr(page_frame, "_frame_key", lambda context, variables: None)
            patched.setattr(fixed_partials, "_key", lambda context, names: None)
            unframed = _normalised(draw())
    return framed, unframed


def _confirmed_result(client, **answers):
    give_answers(client, complete_answers(**answers))
    submit(client, "/check/check-your-answers", {})
    return client.get("/check/result")


SELF_CHECK_PAGES = {
    "a question": lambda client: ready_for(client, "falls") or client.get("/check/falls"),
    "a question with an error": lambda client: (
        ready_for(client, "falls") or submit(client, "/check/falls", {})),
    "a result": lambda client: _confirmed_result(client, age=72, broken_bones="yes"),
    "under 50": lambda client: give_answers(client, {"age": complete_answers(age=40)["age"]})
    or client.get("/check/under-50"),
    "another result": lambda client: _confirmed_result(client, age=45, continue_under_50=True),
    "a summary": lambda client: _confirmed_result(client) and client.get("/check/summary"),
    "a page that is not there": lambda client: client.get("/no-such-page"),
    "staff sign-in": lambda client: client.get("/staff/sign-in"),
}  # fmt: skip


@pytest.mark.parametrize("page", SELF_CHECK_PAGES)
def test_a_page_through_the_frame_is_the_page_the_template_draws(app, client, monkeypatch, page):
    framed, unframed = _with_and_without_frame(monkeypatch, lambda: SELF_CHECK_PAGES[page](client))
    assert "<html" in framed
    assert framed == unframed


def test_a_signed_in_page_through_the_frame_is_the_page_the_template_draws(
    app, database, client, monkeypatch
):
    service = create_fls_service(database)
    nurse = create_staff_member(database, Role.NURSE, fls_service=service, full_name="Ann Nurse")
    sign_in(client, nurse)
    framed, unframed = _with_and_without_frame(monkeypatch, lambda: client.get("/worklist"))
    assert "Ann Nurse" in framed
    assert framed == unframed


def test_each_frame_is_drawn_once(app, client, monkeypatch):
    drawn = []
    draw = page_frame._draw
    monkeypatch.setattr(page_frame, "_draw",
                        lambda *args, **kw: drawn.append(1) or draw(*args, **kw))  # fmt: skip
    for _ in range(3):
        client.get("/no-such-page")
        client.get("/staff/sign-in")
    assert len(drawn) == 2


def test_nothing_of_one_request_is_kept_in_the_frame(app, client):
    response = _confirmed_result(client, age=72, broken_bones="yes")
    page = response.get_data(as_text=True)
    nonce = re.search(r'nonce="([^"]+)"', page).group(1)
    token = CSRF_TOKEN.search(page).group(0)
    kept = "".join(piece for frame in app.extensions[page_frame.FRAMES].values()
                   for piece in frame.pieces)  # fmt: skip
    assert "Skip to main content" in kept and "Cookies" in kept  # the frame is there
    for drawn_per_request in (nonce, token, "Your result", "<main"):
        assert drawn_per_request in page
    assert nonce not in kept and token not in kept
    assert "Your result" not in kept  # the title and the content are gaps


def test_a_signed_in_header_is_drawn_for_each_person(app, database):
    service = create_fls_service(database)
    first = create_staff_member(database, Role.NURSE, fls_service=service, full_name="Ann First")
    second = create_staff_member(database, Role.NURSE, fls_service=service,
                                 full_name="Bea Second")  # fmt: skip
    pages = []
    for nurse in (first, second):
        client = app.test_client()
        sign_in(client, nurse)
        pages.append(client.get("/worklist").get_data(as_text=True))
    assert "Ann First" in pages[0] and "Bea Second" not in pages[0]
    assert "Bea Second" in pages[1] and "Ann First" not in pages[1]


def test_a_variable_that_cannot_be_a_key_draws_the_page_without_the_frame(app):
    template = app.jinja_env.from_string(
        '{% extends "nhsuk/template.jinja" %}{% set bodyAttributes = thing %}'
        "{% block content %}<p>Hello</p>{% endblock %}"
    )
    with app.test_request_context():
        html = template.render(thing=object())
    assert "<p>Hello</p>" in html
    assert app.extensions[page_frame.FRAMES] == {}


def test_a_fixed_partial_is_drawn_once_with_each_request_s_token(app):
    pages = []
    for _ in range(2):
        client = app.test_client()
        pages.append(_confirmed_result(client).get_data(as_text=True))
    kept = app.extensions[fixed_partials.KEPT]
    assert {template.name for template, _ in kept} == fixed_partials.FIXED_PARTIALS
    tokens = [set(CSRF_TOKEN.findall(page)) for page in pages]
    assert [len(found) for found in tokens] == [1, 1]  # the same token in every form of a page
    assert tokens[0] != tokens[1]
    assert all("Find a support group" in page and "Talk to someone" in page for page in pages)


def test_a_partial_given_something_not_fixed_is_drawn_as_usual(app):
    template = app.jinja_env.from_string(
        '{% set url_for = own_url_for %}{% include "partials/support_groups.html" %}'
    )
    with app.test_request_context():
        html = template.render(own_url_for=lambda endpoint: f"/own/{endpoint}")
    assert 'href="/own/groups.find"' in html
    assert app.extensions[fixed_partials.KEPT] == {}
