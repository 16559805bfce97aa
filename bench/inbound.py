"""How fast are patients' replies handled? Signed inbound webhooks a second under gunicorn on
PostgreSQL, beside a one-line Flask page.

A throwaway PostgreSQL server (started as the tests start theirs) gets the
migrations, one service and 500 patients each with a reminder text awaiting an
answer. BoneCheck then runs under the production gunicorn settings
(bench/_server.py) beside the one-line app, and both are measured in turns.
Each webhook is a real Twilio-format POST with a new MessageSid, signed with
Twilio's RequestValidator for the public URL, from one of the patients, saying
"taken", "missed", "later" or something unclear: so each one is recorded,
understood, applied and answered in TwiML.

    .venv/bin/python bench/inbound.py [--seconds 10] [--connections 8] [--rounds 5]
"""

import http.client
import itertools
import os
import secrets
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import _server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PATIENTS = 500
TOKEN = "bench-auth-token"
PUBLIC_BASE_URL = "https://bonecheck.example.nhs.uk"
BODIES = ["taken", "Yes thanks", "missed", "later", "what is this about?"]


def prepare(database_url: str) -> list[str]:
    """Migrate the database and add the patients; returns their mobile numbers."""
    env = {**os.environ, "BONECHECK_ENV": "test", "TEST_DATABASE_URL": database_url,
           "FLASK_APP": "wsgi"}  # fmt: skip
    subprocess.run([str(_server.GUNICORN.with_name("flask")), "db", "upgrade"], cwd=ROOT,
                   env=env, check=True, capture_output=True)  # fmt: skip
    from config import TestConfig
    from tests.reminders.factories import create_patient, create_service
    from tests.reminders.inbound_support import sent_text
    from webapp import create_app
    from webapp.clock import utc_now
    from webapp.extensions import db
    from webapp.patients.demo import demo_nhs_number

    app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url}))
    with app.app_context():
        service = create_service(db.session)
        numbers = []
        for number in range(PATIENTS):
            patient = create_patient(db.session, service=service, mobile=f"+447700{number:06d}",
                                     nhs_number=demo_nhs_number(1000 + number))
            sent_text(db.session, patient, [(patient.regimens[0], "dose", date.today())],
                      utc_now() - timedelta(hours=1))  # fmt: skip
            numbers.append(patient.mobile)
        db.session.commit()
        db.engine.dispose()
    return numbers


def measure_inbound(base: str, numbers: list[str], seconds: float,
                    connections: int) -> _server.LoadResult:  # fmt: skip
    """POST signed webhooks from `connections` keep-alive clients for `seconds`."""
    from twilio.request_validator import RequestValidator

    validator, url = RequestValidator(TOKEN), PUBLIC_BASE_URL + "/sms/inbound"
    host, port, _ = _server._split(base)
    serial, lock = itertools.count(), threading.Lock()
    tallies = [[0, 0] for _ in range(connections)]
    stop = time.monotonic() + seconds

    def client(tally: list[int]) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        while time.monotonic() < stop:
            with lock:
                n = next(serial)
            sid = f"SM{secrets.token_hex(16)}"
            params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32,
                      "From": numbers[n % len(numbers)], "To": "+447700900001",
                      "Body": BODIES[n % len(BODIES)], "NumMedia": "0", "NumSegments": "1",
                      "SmsStatus": "received", "ApiVersion": "2010-04-01"}  # fmt: skip
            headers = {"X-Twilio-Signature": validator.compute_signature(url, params),
                       "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
            try:
                connection.request("POST", "/sms/inbound", urlencode(params), headers)
                response = connection.getresponse()
                ok = response.status == 200 and b"<Response" in response.read()
                tally[0 if ok else 1] += 1
            except (OSError, http.client.HTTPException):
                tally[1] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.close()

    threads = [threading.Thread(target=client, args=(tally,)) for tally in tallies]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done, errors = sum(t[0] for t in tallies), sum(t[1] for t in tallies)
    return _server.LoadResult(done / (time.monotonic() - started), done + errors, errors,
                              "python threads")  # fmt: skip


def run(seconds: float, connections: int, rounds: int) -> None:
    """Measure signed inbound webhooks and the one-line page in turns; print both and the ratio."""
    from tests.postgres_server import PostgresServer

    server = PostgresServer()
    server.start()
    try:
        database_url = server.create_database("bench_inbound")
        numbers = prepare(database_url)
        env = {"BONECHECK_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
               "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", "TWILIO_AUTH_TOKEN": TOKEN,
               "PUBLIC_BASE_URL": PUBLIC_BASE_URL}  # fmt: skip
        bench_folder = Path(__file__).resolve().parent
        with (
            _server.gunicorn("wsgi:app", env=env) as bonecheck,
            _server.gunicorn("_hello:app", cwd=bench_folder) as hello,
        ):
            inbound_runs, hello_runs = [], []
            for _ in range(rounds):
                inbound_runs.append(measure_inbound(bonecheck, numbers, seconds / rounds,
                                                    connections))  # fmt: skip
                hello_runs.append(_server.measure(f"{hello}/", seconds / rounds, connections))
    finally:
        server.stop()
    _print(inbound_runs, hello_runs, seconds, connections)


def _print(inbound_runs, hello_runs, seconds, connections) -> None:
    rate = sum(r.requests_per_second for r in inbound_runs) / len(inbound_runs)
    hello = sum(r.requests_per_second for r in hello_runs) / len(hello_runs)
    errors = sum(r.errors for r in inbound_runs) + sum(r.errors for r in hello_runs)
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"gunicorn {' '.join(_server.GUNICORN_SETTINGS)}; PostgreSQL; {connections} "
          f"connections, {seconds:g} s each in turns; {os.cpu_count()} CPUs, load {load}")
    print(f"  signed inbound webhooks (POST /sms/inbound): {rate:8.1f} req/s "
          f"({sum(r.requests for r in inbound_runs)} requests, python threads)")
    print(f"  one-line Flask page (/): {hello:28.1f} req/s "
          f"({sum(r.requests for r in hello_runs)} requests, {hello_runs[0].generator})")
    print(f"  webhook / one-line page: {rate / hello:.3f}")
    if errors:
        sys.exit("some requests failed: the figures above are not to be trusted")


if __name__ == "__main__":
    _server.run_from_command_line(__doc__, run)
