"""The finder's search pages, drawn once for each search and kept until a listing changes.

A results page (the nearest groups, the online ones, the services, each card
drawn from the design system's components) took tens of milliseconds to find
and draw, yet it is the same for everyone who searches the same district and
distance on the same day, until an admin changes a listing. So each web process
keeps the pages it has drawn, keyed by the search, the day and the listings'
version (models.groups.ListingsVersion: database triggers change it with every
listing change, whatever process makes it). One cheap read of that number per
search tells every process, on every server, whether its kept page still holds:
a listing hidden is gone from the very next search.

A page drawn afresh (most searches are the first for their district in a process)
is drawn from listings read once for each version (shared_listings), so it makes
no query but that one read of the version.

Two things on a page belong to one request alone and are never kept: the nonce of
its inline script and the visitor's CSRF token (in the search box). The kept page
holds a mark in their place, filled in on every request. Pages for a signed-in
staff member (their name is in the header) are drawn every time and never kept.
Nothing a person typed is in a kept page: its address carries only the district.
"""

import threading
from collections.abc import Callable, Hashable
from datetime import date

from flask import current_app, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from webapp.auth.sessions import may_be_signed_in
from webapp.csrf_tokens import signed_csrf_token
from webapp.groups.search import SharedListings
from webapp.models.groups import ListingsVersion
from webapp.security import csp_nonce

KEPT = "bonecheck_finder_pages"
DRAWING = "bonecheck_finder_pages_drawing"
SHARED = "bonecheck_finder_shared_listings"
# A results page is about 40 KB: at most about 20 MB of pages in one process, the busiest
# searches of the day (the store starts afresh when full).
MOST_KEPT = 512
NONCE_MARK = "\x1fbonecheck-nonce\x1f"
TOKEN_MARK = "\x1fbonecheck-csrf-token\x1f"
VERSION_QUERY = f"SELECT version FROM {ListingsVersion.__tablename__} WHERE id = 1"


def listings_version(engine: Engine) -> int | None:
    """The listings' version now; None if its row is missing (nothing can then be kept).

    Read on every search, so by the cheapest path there is: one statement on a pooled
    connection, without an ORM session (a seventh of the cost; the row is one integer).
    """
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(VERSION_QUERY)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()
    return None if row is None else row[0]


def kept_page(
    engine: Engine, search: Hashable, today: date, draw: Callable[[int | None], str]
) -> str:
    """The page for `search` on `today`: kept from an earlier request if no listing has
    changed since, else drawn by `draw(version)` (and kept, when it can be), `version`
    being the listings' version read for it (None when it was not read)."""
    if may_be_signed_in():  # cheaper to ask than to load the anonymous visitor
        return draw(None)
    version = listings_version(engine)
    if version is None:
        return draw(None)
    # Read before the listings are: a page drawn from newer listings than its version
    # says is only ever kept under a version no request will read again.
    key = (request.script_root, search, today, version)
    nonce, token = csp_nonce(), signed_csrf_token()
    kept = current_app.extensions[KEPT].get(key) or _drawn_once(
        key, lambda: draw(version), nonce, token
    )
    return kept.replace(NONCE_MARK, nonce).replace(TOKEN_MARK, token)


def _drawn_once(key, draw: Callable[[], str], nonce: str, token: str) -> str:
    """Draw the page for `key` in one thread while the others asking for it wait, so a
    busy process draws a new page once rather than once for each of its threads."""
    drawing = current_app.extensions[DRAWING]
    with drawing.setdefault(key, threading.Lock()):
        kept = current_app.extensions[KEPT].get(key)
        if kept is None:
            page = draw()
            kept = _keep(key, page, nonce, token) or page
        drawing.pop(key, None)
    return kept


def _keep(key, page: str, nonce: str, token: str) -> str | None:
    """Keep `page` with marks where this request's nonce and token are, and return it; a
    page in which they cannot be told apart from the rest with certainty is not kept."""
    if page.count(token) != 1 or NONCE_MARK in page or TOKEN_MARK in page:
        return None
    kept = current_app.extensions[KEPT]
    if len(kept) >= MOST_KEPT:
        kept.clear()  # a fresh start now and then, rather than a lock on every search
    kept[key] = page.replace(nonce, NONCE_MARK).replace(token, TOKEN_MARK)
    return kept[key]


def shared_listings(session: Session, version: int | None) -> SharedListings | None:
    """What every search page shows alike (SharedListings), read once for each version of
    the listings in this process; None when the version was not read (the page then reads
    it for itself). Read after the version, like a page: see kept_page."""
    if version is None:
        return None
    kept_version, shared = current_app.extensions[SHARED]
    if kept_version != version:
        shared = SharedListings.read(session)
        current_app.extensions[SHARED] = (version, shared)  # one pair, replaced whole
    return shared


def register(app) -> None:
    """Give the app its own store of kept pages (one per process)."""
    app.extensions[KEPT] = {}
    app.extensions[DRAWING] = {}
    app.extensions[SHARED] = (None, None)
