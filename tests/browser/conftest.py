"""Real-browser fixtures: one live BoneCheck server and one headless Chromium per session.

Every test here is marked `browser`. The server is the real app (CSRF on, the
strict CSP, a database built by the migrations) served over HTTP on a free
port; each test gets a fresh browser context, and fails if the page it drove
logged a CSP violation, a JavaScript error or a missing file of ours.
"""


import pytest
from flask_migrate import upgrade
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from config import TestConfig
from tests.browser.watch import PageWatch
from tests.live_server import live_server as serving
from webapp import create_app
from webapp.extensions import db

CHROMIUM = "/usr/bin/chromium"
# The machine has no open internet: without the background-networking flags
# Chromium's own connections (updates, sync) are refused and slow everything.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

WATCH = pytest.StashKey[tuple]()


def pytest_collection_modifyitems(items):
    """Mark every test in this folder `browser`, so `-m "not browser"` can leave them out."""
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


def _live_config(database_url: str) -> type[TestConfig]:
    return type("LiveServerConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})


@pytest.fixture(scope="session")
def live_app(_scratch):
    """The real app on a fresh SQLite file built by the migrations."""
    path = _scratch / "browser.sqlite3"
    app = create_app(_live_config(f"sqlite:///{path}"))
    assert app.config.get("WTF_CSRF_ENABLED", True), "the browser tests need CSRF on"
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The base URL of the app served on 127.0.0.1 at a free port, in a background thread."""
    with serving(live_app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Not starting is a failure, never a skip."""
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            pytest.fail(
                f"Chromium did not start from {CHROMIUM}: {error}\n"
                "Install it with scripts/install-system-packages.sh (make test does).",
                pytrace=False,
            )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, live_server, request):
    """A fresh browser context (no cookies) watched for CSP violations and script errors."""
    context = browser.new_context(base_url=live_server)
    watch = PageWatch(origin=live_server)
    watch.attach(context)
    request.node.stash[WATCH] = (watch, context)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A new page in a fresh, watched context."""
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test passes, fail it if its pages logged any problem."""
    watched = item.stash.get(WATCH, None)
    try:
        result = yield
    except BaseException:
        # The test failed on its own; what the browser logged may explain why.
        if watched is not None and watched[0].problems:
            item.add_report_section("call", "browser problems", watched[0].report())
        raise
    if watched is not None:
        watch, context = watched
        watch.settle(context)
        if watch.problems:
            pytest.fail("the browser reported problems:\n" + watch.report(), pytrace=False)
    return result
