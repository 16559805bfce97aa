"""Where a page's time goes: the SQL it sends, and the functions and templates it runs.

`bench/dashboard.py --profile` calls `profile_pages` after the timed run, on the
same loaded database: each page in-process with Flask's test client, signed in
through the real pages as a second nurse of the service (a security code is
good once), asked a few times to warm up, then `requests` times with every SQL
statement timed and under cProfile. The profiler counts this process's CPU time,
not the clock's, so time spent waiting for a busy machine's CPU is not pinned on
whatever function happened to be running; profiling slows Python down, so the
times here are for comparing parts of one page, not with the HTTP figures. On
PostgreSQL the page's slowest statement is then run once more under EXPLAIN
ANALYZE and its plan printed, to show which step of it costs the time.
"""

import cProfile
import pstats
import time
from collections import defaultdict

from sqlalchemy import event

SHOWN_FUNCTIONS = 14
SHOWN_STATEMENTS = 4
SHOWN_PLAN_LINES = 18


def profile_pages(app, nurse_email: str, pages: dict[str, str], requests: int = 20) -> None:
    """Print, for each page, its queries a request, the slowest statements and the
    functions of BoneCheck and its templates that take the most time."""
    from tests.accounts.factories import sign_in
    from webapp.extensions import db
    from webapp.models.staff import StaffMember

    with app.app_context():
        statements = _time_statements(db.engine)
        nurse = db.session.scalar(db.select(StaffMember).where(StaffMember.email == nurse_email))
        client = app.test_client()
        if sign_in(client, nurse).status_code != 302:
            raise RuntimeError("the second nurse could not sign in for profiling")
    for name, path in pages.items():
        path = path.format(patient=1)
        for _ in range(3):
            client.get(path)
        statements.clear()
        profile = cProfile.Profile(time.process_time)
        started, cpu_started = time.perf_counter(), time.process_time()
        profile.enable()
        for _ in range(requests):
            if client.get(path).status_code != 200:
                raise RuntimeError(f"GET {path} did not answer 200 in-process")
        profile.disable()
        seconds = ((time.perf_counter() - started) / requests,
                   (time.process_time() - cpu_started) / requests)
        _print_page(name, path, seconds, statements, profile, requests)
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                _print_plan(db.engine, statements)


def _time_statements(engine) -> list[tuple[float, str, object]]:
    """Every statement the engine runs from now on, with its seconds and parameters."""
    statements: list[tuple[float, str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn, cursor, statement, parameters, context, executemany):
        context.bench_started = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _finished(conn, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - context.bench_started, statement, parameters))

    return statements


def _print_page(name, path, seconds, statements, profile, requests) -> None:
    in_sql = sum(taken for taken, *_ in statements) / requests
    print(f"  {name} ({path}) under the profiler: {seconds[0] * 1000:.1f} ms a request "
          f"({seconds[1] * 1000:.1f} ms of this process's CPU), {len(statements) / requests:.0f} "
          f"queries taking {in_sql * 1000:.1f} ms (the database's time included)")  # fmt: skip
    by_statement: dict[str, float] = defaultdict(float)
    for taken, statement, _ in statements:
        by_statement[" ".join(statement.split())] += taken / requests
    for statement, taken in sorted(by_statement.items(), key=lambda item: -item[1])[
        :SHOWN_STATEMENTS
    ]:
        print(f"    {taken * 1000:7.2f} ms  SQL {statement[:160]}")
    stats = pstats.Stats(profile)
    ours = [(values[3] / requests, _where(function)) for function, values in stats.stats.items()
            if _is_ours(function[0])]  # fmt: skip
    for cumulative, where in sorted(ours, reverse=True)[:SHOWN_FUNCTIONS]:
        print(f"    {cumulative * 1000:7.2f} ms CPU  in {where}")


def _print_plan(engine, statements) -> None:
    """EXPLAIN ANALYZE the slowest read, with the parameters it was sent with."""
    reads = [entry for entry in statements if entry[1].lstrip().upper().startswith("SELECT")]
    if not reads:
        return
    _, statement, parameters = max(reads, key=lambda entry: entry[0])
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = [line for (line,) in cursor.fetchall()]
    finally:
        connection.close()
    print("    plan of the slowest statement:")
    for line in plan[:SHOWN_PLAN_LINES]:
        print(f"      {line[:150]}")


def _is_ours(filename: str) -> bool:
    """BoneCheck's code and templates, and the NHS.UK macros its templates call."""
    return "/webapp/" in filename or "nhsuk_frontend_jinja/templates" in filename


def _where(function: tuple[str, int, str]) -> str:
    filename, line, name = function
    for marker in ("webapp/", "nhsuk_frontend_jinja/"):
        if f"/{marker}" in filename:
            filename = filename[filename.index(f"/{marker}") + 1:]
    return f"{filename}:{line} {name}"
