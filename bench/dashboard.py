"""How fast are the nurse's pages for a big service? Median and 95th-percentile times of
the worklist, the overview and a patient page, beside the one-line Flask page.

For each database (SQLite and PostgreSQL), a throwaway database is built by the
migrations and loaded with one Fracture Liaison Service: 10,000 patients enrolled
over two years with their weekly doses, check-ins, clinic doses, follow-ups, the
texts that carried them, replies and contacts (about a million reminder rows,
bench/dashboard_data.py, written with COPY or executemany). The rollups the
pages read are then built by the scheduled job's own function (refresh_all),
timed: it is what the job costs at this size.

BoneCheck then runs under the production gunicorn settings (bench/_server.py),
beside the one-line app (bench/_hello.py). A nurse of the service signs in over
HTTP with her password and security code, as a browser would, and one client
asks for each page in turn over a keep-alive connection, one request at a time,
the one-line page included in every turn: so anything else busy on the machine
weighs on all of them alike. The patient page cycles through patients with two
full years of history. The target: every page under 100 ms at the 95th
percentile on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--patients 10000] [--databases sqlite,postgresql]
                                        [--requests 200] [--warm-up 10] [--profile]
"""

import argparse
import http.client
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import _bulk_load
import _server
from bs4 import BeautifulSoup

sys.path.insert(0, str(_server.ROOT))

TARGET_MS = 100
PATIENT_PAGES = 50  # patients 1 to 50 have two full years of history (dashboard_data)
PAGES = {  # what is timed, and its address ({patient} cycles through PATIENT_PAGES)
    "worklist": "/worklist",
    "overview": "/overview",
    "patient page": "/patients/{patient}",
    "patient list": "/patients/",
}
ONE_LINE = "one-line Flask page"


def migrate(database_url: str) -> None:
    """Build the schema with the migrations, as every database is built."""
    env = {**os.environ, "BONECHECK_ENV": "test", "TEST_DATABASE_URL": database_url,
           "FLASK_APP": "wsgi"}  # fmt: skip
    subprocess.run([str(_server.GUNICORN.with_name("flask")), "db", "upgrade"], cwd=_server.ROOT,
                   env=env, check=True, capture_output=True)  # fmt: skip


def bench_app(database_url: str):
    """The app in this process, on the loaded database, for setting up and profiling."""
    from config import TestConfig
    from webapp import create_app

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "LOG_LEVEL": "WARNING"}
    return create_app(type("BenchConfig", (TestConfig,), settings))


def add_service_and_nurses(database_url: str) -> tuple[int, list[int], dict]:
    """The service and four nurses; returns the service id, the nurses' ids, and how the
    first one signs in (email and TOTP secret)."""
    from tests.accounts.factories import create_fls_service, create_staff_member
    from webapp.extensions import db
    from webapp.models.staff import Role

    app = bench_app(database_url)
    with app.app_context():
        service = create_fls_service(db.session, name="Leeds Fracture Liaison Service")
        service.sms_name = "Leeds FLS"
        nurses = [create_staff_member(db.session, Role.NURSE, email=f"nurse{n}@nhs.net",
                                      full_name=name, fls_service=service,
                                      with_security_code=n <= 2)
                  for n, name in enumerate(["Nell Nurse", "Sam Shah", "Ade Okoro", "Jo Price"],
                                           start=1)]  # fmt: skip
        db.session.commit()
        signing_in = {"email": nurses[0].email, "totp_secret": nurses[0].totp_secret}
        ids = (service.id, [nurse.id for nurse in nurses])
        db.engine.dispose()
    return *ids, signing_in


class GeneratedService:
    """The service's rows, made once and loaded into each database alike."""

    def __init__(self, patients: int):
        self.patients = patients
        self.made_for: tuple | None = None
        self.batches: list[dict[str, list[tuple]]] = []

    def batches_for(self, service_id: int, nurse_ids: list[int]) -> list:
        """The rows (made on first use) for this service and these nurses."""
        from dashboard_data import ServiceHistory

        from webapp.clock import uk_today, utc_now

        if self.made_for is None:
            now, started = utc_now(), time.perf_counter()
            history = ServiceHistory(service_id, nurse_ids, self.patients, now, uk_today(now))
            self.batches, self.made_for = list(history.batches()), (service_id, nurse_ids)
            print(f"  rows generated in {time.perf_counter() - started:.1f} s", flush=True)
        elif self.made_for != (service_id, nurse_ids):
            raise RuntimeError("the databases gave the service or its nurses different ids")
        return self.batches


def load_service(database_url: str, generated: GeneratedService) -> dict:
    """Add the service and its history; print how long loading took and the row counts;
    return how the nurse signs in."""
    from dashboard_data import COLUMNS

    service_id, nurse_ids, signing_in = add_service_and_nurses(database_url)
    batches = generated.batches_for(service_id, nurse_ids)
    seconds, counts = _bulk_load.load(database_url, COLUMNS, batches)
    rows = ", ".join(f"{counts[table]:,} {table}" for table in COLUMNS)
    print(f"  loaded in {seconds:.1f} s: {rows}", flush=True)
    return signing_in


def build_rollups(database_url: str) -> None:
    """Run the scheduled job's work for every patient; print how long it took. Then
    ANALYZE (not timed), as autovacuum would soon after in production, so the pages'
    queries are planned knowing the rollup tables' size."""
    from sqlalchemy import text

    from webapp.adherence.refresh import refresh_all
    from webapp.clock import utc_now
    from webapp.extensions import db

    app = bench_app(database_url)
    with app.app_context():
        started = time.perf_counter()
        refreshed = refresh_all(db.session, utc_now())
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        entries, flagged = db.session.execute(
            text("SELECT count(*), count(DISTINCT patient_id) FROM worklist_entry")
        ).one()
        db.engine.dispose()
    print(f"  rollups rebuilt (webapp.adherence.refresh.refresh_all) in {seconds:.1f} s: "
          f"{refreshed:,} patients, {entries:,} worklist entries for {flagged:,} of them",
          flush=True)  # fmt: skip


class Client:
    """One keep-alive connection and the session cookie, as one browser tab holds them."""

    def __init__(self, base_url: str):
        host, port, _ = _server._split(base_url)
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """Send one request; return the status, the Location header and the body.

        gunicorn closes a keep-alive connection left idle for 5 seconds (gunicorn.conf.py),
        which a turn of slow pages on a busy machine can outlast: as a browser does, the
        request is then sent again once on a new connection."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        page = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", page

    def timed_get(self, path: str) -> float:
        """Seconds for one GET that must answer 200."""
        started = time.perf_counter()
        status, _, _ = self.request("GET", path)
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}, not 200")
        return seconds


def sign_in(client: Client, email: str, totp_secret: str) -> None:
    """Through the real pages: the password, then the code from the authenticator app."""
    import pyotp

    steps = [("/staff/sign-in", {"email": email, "password": _password()}),
             ("/staff/security-code", {"code": None})]  # fmt: skip
    for path, fields in steps:
        status, _, page = client.request("GET", path)
        token = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "csrf_token"})
        if status != 200 or token is None:
            raise RuntimeError(f"GET {path} answered {status} with no form to sign in with")
        if "code" in fields:
            fields = {"code": pyotp.TOTP(totp_secret).now()}
        status, location, _ = client.request("POST", path, {"csrf_token": token["value"],
                                                              **fields})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"POST {path} answered {status}: the nurse did not sign in")
    if "security-code" in location or "sign-in" in location:
        raise RuntimeError(f"signing in ended at {location}")


def _password() -> str:
    from tests.accounts.factories import PASSWORD

    return PASSWORD


def available_pages(client: Client) -> dict[str, str]:
    """The pages this build has (a page not yet built answers 404 and is left out, said so)."""
    found = {}
    for name, path in PAGES.items():
        status, _, _ = client.request("GET", path.format(patient=1))
        if status == 200:
            found[name] = path
        elif status == 404 and "{patient}" not in path:
            print(f"  {name} ({path}) answers 404: not in this build, not timed")
        else:
            raise RuntimeError(f"GET {path} answered {status}")
    return found


def time_pages(client: Client, hello: str, pages: dict[str, str], requests: int,
               warm_up: int) -> dict[str, list[float]]:  # fmt: skip
    """Each page (asked by the signed-in `client`) and the one-line page in turn, `warm_up`
    turns first; seconds per request."""
    yardstick = Client(hello)
    times: dict[str, list[float]] = {name: [] for name in [*pages, ONE_LINE]}
    for turn in range(warm_up + requests):
        for name, path in pages.items():
            seconds = client.timed_get(path.format(patient=turn % PATIENT_PAGES + 1))
            if turn >= warm_up:
                times[name].append(seconds)
        seconds = yardstick.timed_get("/")
        if turn >= warm_up:
            times[ONE_LINE].append(seconds)
    return times


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the value at or below which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def print_times(database: str, times: dict[str, list[float]]) -> list[str]:
    """The table for one database; returns the pages over the target."""
    base = {share: percentile(times[ONE_LINE], share) for share in (0.5, 0.95)}
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"  {len(times[ONE_LINE])} requests a page; load average {load} after them")
    print(f"  {'page':32} {'median':>9} {'p95':>9}   times the one-line page's median, p95")
    over = []
    for name, values in times.items():
        median, p95 = percentile(values, 0.5), percentile(values, 0.95)
        path = PAGES.get(name, "/").format(patient="<id>")
        print(f"  {name + ' (' + path + ')':32} {median * 1000:6.1f} ms {p95 * 1000:6.1f} ms "
              f"  {median / base[0.5]:6.1f}x {p95 / base[0.95]:6.1f}x")  # fmt: skip
        if name != ONE_LINE and p95 * 1000 >= TARGET_MS:
            over.append(f"{name} on {database} ({p95 * 1000:.0f} ms)")
    return over


def bonecheck_environment(database_url: str) -> dict:
    """Production settings, as the service runs: a real secret and the loaded database."""
    return {"BONECHECK_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}  # fmt: skip


def measure_database(database: str, database_url: str, generated: GeneratedService,
                     arguments) -> list[str]:  # fmt: skip
    """Load, build the rollups, serve and time; print it all; return the pages over target."""
    print(f"{database}: {arguments.patients:,} patients in one service", flush=True)
    migrate(database_url)
    signing_in = load_service(database_url, generated)
    build_rollups(database_url)
    with (
        _server.gunicorn("wsgi:app", env=bonecheck_environment(database_url)) as bonecheck,
        _server.gunicorn("_hello:app", cwd=Path(__file__).resolve().parent) as hello,
    ):
        client = Client(bonecheck)
        sign_in(client, **signing_in)
        pages = available_pages(client)
        times = time_pages(client, hello, pages, arguments.requests, arguments.warm_up)
    over = print_times(database, times)
    if arguments.profile:
        from _page_profile import profile_pages

        print(f"  where the time goes (in-process, {database}):")
        profile_pages(bench_app(database_url), "nurse2@nhs.net", pages)
    return over


def run(arguments) -> None:
    """Each database in turn, then the verdict on the target."""
    from tests.postgres_server import PostgresServer

    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"gunicorn {' '.join(_server.GUNICORN_SETTINGS)} (production settings); real HTTP, "
          f"one keep-alive client, one request at a time, each page in turn; "
          f"{arguments.requests} timed requests a page after {arguments.warm_up} warm-up turns; "
          f"{os.cpu_count()} CPUs, load average {load}", flush=True)  # fmt: skip
    over, generated = [], GeneratedService(arguments.patients)
    for database in arguments.databases:
        if database == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bonecheck-bench-") as folder:
                url = f"sqlite:///{Path(folder) / 'dashboard.sqlite3'}"
                over += measure_database("SQLite", url, generated, arguments)
            continue
        server = PostgresServer()
        server.start()
        try:
            url = server.create_database("bench_dashboard")
            over += measure_database("PostgreSQL", url, generated, arguments)
        finally:
            server.stop()
    _verdict(over, arguments.databases)


def _verdict(over: list[str], databases: list[str]) -> None:
    if "postgresql" not in databases:
        return
    postgres_over = [page for page in over if "PostgreSQL" in page]
    if postgres_over:
        print(f"Target (every page under {TARGET_MS} ms at the 95th percentile on PostgreSQL) "
              f"NOT met: {'; '.join(postgres_over)}")  # fmt: skip
    else:
        print(f"Target met: every page under {TARGET_MS} ms at the 95th percentile on "
              "PostgreSQL")  # fmt: skip


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgresql",
                        type=lambda text: [name.strip() for name in text.split(",")],
                        help="sqlite, postgresql or both, comma-separated")  # fmt: skip
    parser.add_argument("--requests", type=int, default=200, help="timed requests a page")
    parser.add_argument("--warm-up", type=int, default=10, help="untimed turns first")
    parser.add_argument("--profile", action="store_true",
                        help="then show where each page's time goes (SQL, functions, templates)")
    arguments = parser.parse_args()
    unknown = set(arguments.databases) - {"sqlite", "postgresql"}
    if unknown or arguments.patients < PATIENT_PAGES or arguments.requests < 1:
        parser.error(f"--databases takes sqlite and postgresql; --patients at least "
                     f"{PATIENT_PAGES}; --requests at least 1")  # fmt: skip
    return arguments


if __name__ == "__main__":
    run(_arguments())
