"""Shared fixtures: `app`, `client`, `runner`, and the database on SQLite or PostgreSQL.

A test that asks for `database` runs twice, once on SQLite and once on a real
PostgreSQL server the session starts. Every database is built by the
migrations (`flask db upgrade`), and every table is emptied after each test.
Each backend's app is built once and reset before every test (tests/shared_apps.py).
"""

import shutil

import pytest
from flask_migrate import upgrade
from hypothesis import settings
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import literal, select, union_all

from config import TestConfig
from tests.postgres_server import PostgresServer
from tests.scratch import scratch_dir
from tests.shared_apps import SharedApp
from webapp import create_app
from webapp.extensions import db

BACKENDS = ["sqlite", "postgresql"]

# No per-example time limit: on a loaded two-core machine a slow example is not a
# failure, and speed is measured in bench/, never in tests.
settings.register_profile("bonecheck", deadline=None)
settings.load_profile("bonecheck")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A skipped test is a test that did not run: count it as a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} did not run (skipped): {report.longrepr}"


def pytest_generate_tests(metafunc):
    if "database" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _scratch():
    """A directory for the session's SQLite files, in memory when possible (tests/scratch.py)."""
    path = scratch_dir("bonecheck-tests-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def _database_urls(_scratch, request):
    """One migrated database per backend, built the first time a test needs it."""
    urls = {}

    def url_for(backend: str) -> str:
        if backend not in urls:
            if backend == "sqlite":
                url = f"sqlite:///{_scratch / 'bonecheck.sqlite3'}"
            else:
                url = request.getfixturevalue("postgres_server").create_database("bonecheck")
            _migrate(url)
            urls[backend] = url
        return urls[backend]

    return url_for


def _migrate(url: str) -> None:
    app = create_app(_config_for(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _config_for(url: str) -> type[TestConfig]:
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})


@pytest.fixture
def backend(request):
    """Which database the test runs on: SQLite unless the test asked for both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def _template_cache(tmp_path_factory):
    """Compiled templates shared by every test's app: compiling the NHS.UK macros is slow."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


@pytest.fixture(scope="session")
def _shared_apps():
    """The app each backend's tests reuse (tests/shared_apps.py), closed at the end."""
    shared = {}
    yield shared
    for built in shared.values():
        built.dispose()


@pytest.fixture
def app(backend, _database_urls, _template_cache, _shared_apps):
    """The app on an empty, migrated database, as if newly built for this test."""
    shared = _shared_apps.get(backend)
    if shared is None:
        shared = SharedApp(_config_for(_database_urls(backend)), _template_cache)
        _shared_apps[backend] = shared
    app = shared.reset()
    with app.app_context():
        yield app
        db.session.remove()
        _empty_every_table()
    if shared.changed():
        shared.dispose()
        del _shared_apps[backend]


def _empty_every_table() -> None:
    """Delete every row, touching only the tables that have some.

    Most tests write to a few tables or none; asking first keeps the common
    case to one read, and an untouched database is never written.
    """
    tables = db.metadata.sorted_tables
    probes = [
        select(literal(index)).where(select(table).exists())
        for index, table in enumerate(tables)
    ]
    with db.engine.begin() as connection:
        filled = set(connection.scalars(union_all(*probes)))
        for index in reversed(range(len(tables))):
            if index in filled:
                connection.execute(tables[index].delete())


@pytest.fixture
def database(app):
    """The app's database session, on each backend in turn (see pytest_generate_tests)."""
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
