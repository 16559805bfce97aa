"""How fast does dispatch send? 10,000 due reminders to a local Twilio-speaking server.

On SQLite and on PostgreSQL, with one and with two dispatcher processes, each a
real process running the dispatch job (claim, send through the real `twilio`
client and TwilioGateway, record) with no rate cap. Beside it, in the same run,
a bare loop of the twilio client's `messages.create` to the same server: the
most any sender could do here. The target is at least half the bare loop's rate.

The server (tests/sms/fake_twilio.py) runs in its own process, so it competes
with the senders for the CPU only as Twilio's network would not; the ratio is
the figure to read, the rates depend on the machine. Every run is checked: each
patient received exactly one text. Then bench/planning.py, if present, times
planning for 100,000 active patients.

    .venv/bin/python bench/dispatch.py [--texts 10000] [--backend both] [--profile DIR]
"""

import argparse
import os
import pstats
import subprocess
import sys
import time
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BODY = ("Leeds FLS: it is time for your alendronic acid today. Take it with a full glass of "
        "water. Reply TAKEN or MISSED. Reply STOP to stop these texts")  # fmt: skip


def start_fake_twilio() -> tuple[subprocess.Popen, str]:
    """The Twilio-speaking server in its own process; returns it and its base URL."""
    process = subprocess.Popen([sys.executable, "-m", "tests.sms.fake_twilio"], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    return process, process.stdout.readline().split()[0]


def bare_loop(base_url: str, texts: int) -> float:
    """Texts a second for the twilio client alone, configured as TwilioGateway configures it."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN

    client = Client(ACCOUNT_SID, AUTH_TOKEN,
                    http_client=TwilioHttpClient(timeout=10, max_retries=0))  # fmt: skip
    client.api.base_url = base_url
    client.edge = client.region = None
    started = time.perf_counter()
    for n in range(texts):
        callback = f"https://example.org/sms/status?message={n}"
        client.messages.create(to=f"+4479{n:08d}", from_="+447700900001", body=BODY,
                               status_callback=callback)  # fmt: skip
    return texts / (time.perf_counter() - started)


def prepare(url: str, texts: int) -> None:
    """Migrate an empty database and fill it with `texts` patients each due one reminder."""
    from flask_migrate import upgrade

    from tests.accounts.factories import create_fls_service
    from tests.reminders.dispatch_processes import add_due_reminders, dispatcher_config
    from webapp import create_app
    from webapp.clock import utc_now
    from webapp.extensions import db

    app = create_app(dispatcher_config(url, "http://unused"))
    with app.app_context():
        upgrade()
        service = create_fls_service(db.session, name="Benchmark FLS")
        service.sms_sending_starts, service.sms_sending_ends = dt_time(0), dt_time.max
        db.session.commit()
        mobiles = [f"+4479{n:08d}" for n in range(texts)]
        add_due_reminders(db.session, service.id, mobiles, utc_now() - timedelta(minutes=1))
        db.engine.dispose()


def dispatch_rate(url: str, fake_url: str, dispatchers: int, texts: int, profile: str | None):
    """Texts a second for `dispatchers` processes sending `texts` due reminders at once."""
    from tests.reminders.dispatch_processes import Dispatchers
    from tests.sms.fake_twilio import FakeTwilioRemote

    fake = FakeTwilioRemote(fake_url)
    with urlopen(Request(f"{fake_url}/_test/messages", method="DELETE"), timeout=10):
        pass  # the server forgets earlier runs' texts
    run = Dispatchers(dispatchers, url, fake_url, options={"quiet": True, "profile": profile})
    counts = run.finish(timeout=1800)
    elapsed = max(r["finished"] for r in run.reports) - min(r["started"] for r in run.reports)
    received = fake.count_by_recipient()
    if sum(c["sent"] for c in counts) != texts or len(received) != texts or max(
        received.values()
    ) != 1:
        raise SystemExit(f"not exactly once: {counts}, {len(received)} numbers received")
    return texts / elapsed, [c["sent"] for c in counts]


def databases(backend: str, workdir: Path):
    """(name, a fresh database URL maker) for each backend asked for."""
    if backend in ("sqlite", "both"):
        counter = iter(range(100))
        yield "SQLite", lambda: f"sqlite:///{workdir}/dispatch-{next(counter)}.sqlite3"
    if backend in ("postgresql", "both"):
        from tests.postgres_server import PostgresServer

        server = PostgresServer()
        server.start()
        counter = iter(range(100))
        try:
            yield "PostgreSQL", lambda: server.create_database(f"dispatch_{next(counter)}")
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--profile", help="write each dispatcher's cProfile stats in this folder")
    parser.add_argument("--skip-planning", action="store_true")
    args = parser.parse_args()
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    fake_process, fake_url = start_fake_twilio()
    try:
        with TemporaryDirectory(prefix="bench-dispatch-") as workdir:
            _measure(args, fake_url, Path(workdir))
    finally:
        fake_process.terminate()
        fake_process.wait()
    planning = ROOT / "bench" / "planning.py"
    if planning.exists() and not args.skip_planning:
        subprocess.run([sys.executable, str(planning), "--patients", "100000"], check=True)


def _measure(args, fake_url: str, workdir: Path) -> None:
    """Each dispatch run is measured beside a bare loop run just before it, as the
    machine's other load drifts; the ratio compares the two."""
    print(f"{args.texts:,} texts, no rate cap; Twilio-speaking server in its own process "
          f"({os.cpu_count()} CPUs)")  # fmt: skip
    for name, new_url in databases(args.backend, workdir):
        for dispatchers in (1, 2):
            url = new_url()
            prepare(url, args.texts)
            profile = str(Path(args.profile) / f"{name}-{dispatchers}") if args.profile else None
            bare = bare_loop(fake_url, args.texts)
            rate, shares = dispatch_rate(url, fake_url, dispatchers, args.texts, profile)
            label = f"{name}, {dispatchers} dispatcher{'s' if dispatchers > 1 else ''}"
            print(f"  {label:26} {rate:6.0f} texts/s; bare twilio client loop {bare:6.0f} texts/s;"
                  f" ratio {rate / bare:4.2f}  (each dispatcher sent "
                  f"{', '.join(map(str, shares))}; each patient exactly once)", flush=True)
            if profile:
                _print_profile(profile)


def _print_profile(prefix: str) -> None:
    folder = Path(prefix).parent
    for path in sorted(folder.glob(Path(prefix).name + ".*")):
        pstats.Stats(str(path)).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
