"""Search pages kept between searches: the same page, never a stale one."""

import re
from datetime import date

import time_machine
from sqlalchemy import event

from config import TestConfig
from tests.accounts.factories import create_staff_member, sign_in
from tests.groups.factories import create_group, online_values
from webapp import create_app
from webapp.extensions import db
from webapp.groups import kept_pages
from webapp.groups.fls import add_service, check_service, set_service_hidden
from webapp.groups.listings import set_hidden
from webapp.models.groups import SupportGroup
from webapp.models.staff import FlsService

SEARCH = "/groups/near/DH1?miles=25"
TODAY = "2025-10-01 09:00 +0100"


def _page(client, url: str = SEARCH) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@time_machine.travel(TODAY, tick=False)
def test_a_kept_page_is_the_page_drawn_afresh_with_this_visitors_nonce_and_token(client, database):
    create_group(database, name="Durham group", venue_postcode="DH1")
    database.commit()
    first = client.get(SEARCH)
    kept_pages_now = dict(client.application.extensions[kept_pages.KEPT])
    other_visitor = client.application.test_client()
    second = other_visitor.get(SEARCH)
    assert len(kept_pages_now) == 1
    assert len(client.application.extensions[kept_pages.KEPT]) == 1  # drawn once, not twice
    tokens = [_token(response) for response in (first, second)]
    nonces = [_nonce(response) for response in (first, second)]
    assert tokens[0] != tokens[1] and nonces[0] != nonces[1]
    assert _without(first, tokens[0], nonces[0]) == _without(second, tokens[1], nonces[1])
    assert f"'nonce-{nonces[1]}'" in second.headers["Content-Security-Policy"]
    # The second visitor's token is its own: the form it came with is accepted.
    response = other_visitor.post("/groups/", data={"postcode": "SR1", "csrf_token": tokens[1]})
    assert response.status_code == 302


def _token(response) -> str:
    return re.search(r'type="hidden" name="csrf_token" value="([^"]+)"',
                     response.get_data(as_text=True)).group(1)  # fmt: skip


def _nonce(response) -> str:
    return re.search(r'nonce="([^"]+)"', response.get_data(as_text=True)).group(1)


def _without(response, token: str, nonce: str) -> str:
    return response.get_data(as_text=True).replace(token, "TOKEN").replace(nonce, "NONCE")


@time_machine.travel(TODAY, tick=False)
def test_a_hidden_listing_is_gone_from_the_next_search_here_and_in_another_process(
    app, client, database
):
    durham = create_group(database, name="Durham group", venue_postcode="DH1")
    create_group(database, name="Chester-le-Street group", venue_postcode="DH3")
    database.commit()
    elsewhere = create_app(type("Elsewhere", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}))  # fmt: skip
    other_client = elsewhere.test_client()
    try:
        for visitor in (client, other_client):
            assert "Durham group" in _page(visitor) and "Durham group" in _page(visitor)
        set_hidden(database, database.get(SupportGroup, durham.id), True, None)
        database.commit()
        for visitor in (client, other_client):
            page = _page(visitor)
            assert "Durham group" not in page and "Chester-le-Street group" in page
    finally:
        with elsewhere.app_context():
            db.session.remove()
            db.engine.dispose()


@time_machine.travel(TODAY, tick=False)
def test_a_hidden_online_group_is_gone_from_the_next_search_anywhere(client, database):
    online = create_group(database, **online_values(name="Bones Online (example)"))
    database.commit()
    assert "Bones Online (example)" in _page(client, "/groups/near/DH1?miles=25")
    set_hidden(database, database.get(SupportGroup, online.id), True, None)
    database.commit()
    # A search not made before: its page is drawn afresh, from listings read again.
    assert "Bones Online (example)" not in _page(client, "/groups/near/SR1?miles=10")


@time_machine.travel(TODAY, tick=False)
def test_a_search_drawn_afresh_reads_nothing_but_the_listings_version(app, client, database):
    create_group(database, name="Durham group", venue_postcode="DH1")
    create_group(database, **online_values(name="Bones Online (example)"))
    database.commit()
    _page(client, "/groups/near/DH1?miles=25")  # the listings are read once here
    statements = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        page = _page(client, "/groups/near/SR1?miles=50")  # a search not made before
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert "Durham group" in page and "Bones Online (example)" in page
    # The version is read on a raw connection, below SQLAlchemy: nothing else is read.
    assert statements == []


@time_machine.travel(TODAY, tick=False)
def test_a_hidden_service_is_gone_from_the_next_search(client, database):
    details, errors = check_service(
        {"name": "Durham FLS", "hospital": "Example Hospital", "phone": "0191 498 0456",
         "hospital_district": "DH1", "covered_districts": "DH1 DH2"},
        date(2025, 10, 1),
    )  # fmt: skip
    assert not errors, errors
    service = add_service(database, details, None)
    database.commit()
    assert "Durham FLS" in _page(client) and "Durham FLS" in _page(client)
    set_service_hidden(database, database.get(FlsService, service.id), True, None)
    database.commit()
    assert "Durham FLS" not in _page(client)


@time_machine.travel(TODAY, tick=False)
def test_a_signed_in_staff_members_page_is_drawn_for_them_and_never_kept(app, client, database):
    create_group(database, name="Durham group", venue_postcode="DH1")
    database.commit()
    admin = create_staff_member(database, full_name="Robin Admin")
    anonymous = app.test_client()
    assert "Robin Admin" not in _page(anonymous)
    assert sign_in(client, admin).status_code == 302
    assert "Robin Admin" in _page(client) and "Robin Admin" in _page(client)
    assert all("Robin Admin" not in page for page in app.extensions[kept_pages.KEPT].values())
    assert "Robin Admin" not in _page(anonymous)
