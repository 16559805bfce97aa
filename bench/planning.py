"""How fast is `flask reminders plan`? Reminders written a second for 100,000 active patients,
on SQLite and on PostgreSQL.

Builds a throwaway database with the migrations, fills it with made-up active,
consented patients (fixed seed) spread over 50 services on a mix of the eight
medicines like an FLS caseload (mostly weekly alendronic acid, many on calcium
and vitamin D too, some on clinic injections and infusions), then runs the real
command, `flask reminders plan --days N`, twice: the first run writes every
reminder, the second finds them all planned and must add nothing. PostgreSQL is
a throwaway server started as the tests start theirs (tests/postgres_server.py).

    .venv/bin/python bench/planning.py [--patients 100000] [--days 14] [--backend both]

Wall-clock time is printed beside this process's CPU time: on a shared machine the
gap is other work (and, for PostgreSQL, the server's own). `fill_patients` and
`time_plan_command` are for other benchmarks (bench/dispatch.py
plans the reminders it then sends).
"""

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 7
SERVICES = 50
# Shares of first regimens, roughly an FLS caseload; then calcium and vitamin D as a second.
MEDICINE_SHARES = {
    "alendronic_acid_weekly": 0.50, "risedronate_weekly": 0.10, "ibandronic_acid_monthly": 0.05,
    "denosumab_6_monthly": 0.15, "zoledronic_acid_yearly": 0.10, "teriparatide_daily": 0.03,
    "romosozumab_monthly": 0.02, "calcium_vitamin_d_daily": 0.05,
}  # fmt: skip
SECOND_CALCIUM_SHARE = 0.4
CHUNK = 5000


@dataclass(frozen=True)
class PlanFigures:
    """One timed run of the plan command."""

    seconds: float
    cpu_seconds: float  # this process only (not the PostgreSQL server's)
    reminders: int  # rows the run wrote
    output: str

    @property
    def per_second(self) -> float:
        return self.reminders / self.seconds if self.seconds else 0.0


def make_app(database_url: str, *, migrate: bool = True):
    """A BoneCheck app on `database_url` (test settings), the schema built when asked."""
    from flask_migrate import upgrade

    from config import TestConfig
    from webapp import create_app

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})
    app = create_app(config)
    if migrate:
        with app.app_context():
            upgrade()
    return app


def fill_patients(app, patients: int, today: date, seed: int = SEED) -> int:
    """Add `patients` made-up active, consented patients with their regimens; returns the
    number of regimens. Rows go in with plain INSERTs, a chunk at a time."""
    from sqlalchemy import func, insert, select

    from webapp.extensions import db
    from webapp.models.patients import Patient, Regimen

    rng = random.Random(seed)
    now = datetime.combine(today, clock_time(6, 0))
    with app.app_context():
        services = [_service(number) for number in range(SERVICES)]
        db.session.add_all(services)
        db.session.flush()
        service_ids = [service.id for service in services]
        serial = db.session.scalar(select(func.count()).select_from(Patient))
        regimens = 0
        for start in range(0, patients, CHUNK):
            numbers = range(serial + start, serial + min(start + CHUNK, patients))
            made = db.session.scalars(
                insert(Patient).returning(Patient.id, sort_by_parameter_order=True),
                [_patient(number, service_ids, rng, now) for number in numbers],
            ).all()
            rows = [row for patient_id in made for row in _regimens(patient_id, rng, today, now)]
            db.session.execute(insert(Regimen), rows)
            regimens += len(rows)
        db.session.commit()
    return regimens


def _service(number: int):
    from webapp.models.staff import FlsService

    return FlsService(name=f"Bench Fracture Liaison Service {number} (example)",
                      hospital="Example Hospital", phone="+441134960000", hospital_district="LS7",
                      sms_name=f"Bench FLS {number}", is_example=True)  # fmt: skip


def _patient(number: int, service_ids: list[int], rng: random.Random, now: datetime) -> dict:
    body = f"{900000000 + number:09d}"
    return {
        "fls_service_id": service_ids[number % len(service_ids)],
        "nhs_number": body + "0", "first_name": "Bench", "last_name": f"Patient{number}",
        "date_of_birth": date(1940, 1, 1) + timedelta(days=rng.randrange(12000)),
        "mobile": f"+447700900{number % 1000:03d}", "sms_consent": True,
        "sms_consent_recorded_at": now, "reminder_time": _reminder_time(rng),
        "discreet": rng.random() < 0.1, "status": "active", "is_example": True,
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def _reminder_time(rng: random.Random) -> clock_time:
    """Mostly between 7am and 10am (morning tablets), some later in the day."""
    hour = rng.choice([7, 8, 8, 9, 9, 10]) if rng.random() < 0.8 else rng.randrange(11, 20)
    return clock_time(hour, rng.choice([0, 15, 30, 45]))


def _regimens(patient_id: int, rng: random.Random, today: date, now: datetime) -> list[dict]:
    code = rng.choices(list(MEDICINE_SHARES), weights=list(MEDICINE_SHARES.values()))[0]
    codes = [code]
    if code != "calcium_vitamin_d_daily" and rng.random() < SECOND_CALCIUM_SHARE:
        codes.append("calcium_vitamin_d_daily")
    rows = []
    for medicine in codes:
        first_dose = today - timedelta(days=rng.randrange(1, 400))
        rows.append({"patient_id": patient_id, "medicine": medicine,
                     "first_dose_date": first_dose, "daily_texts": rng.random() < 0.1,
                     "created_at": now})  # fmt: skip
    return rows


def count_reminders(app) -> int:
    from webapp.extensions import db
    from webapp.models.reminders import Reminder

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Reminder))


def time_plan_command(app, days: int) -> PlanFigures:
    """Run `flask reminders plan --days N` once and time it."""
    before = count_reminders(app)
    runner = app.test_cli_runner()
    started, cpu = time.perf_counter(), time.process_time()
    result = runner.invoke(args=["reminders", "plan", "--days", str(days)])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result.exit_code != 0:
        raise RuntimeError(f"flask reminders plan failed:\n{result.output}{result.exception}")
    return PlanFigures(seconds, cpu, count_reminders(app) - before, result.output.strip())


def bench_backend(name: str, url: str, patients: int, days: int) -> None:
    from webapp.clock import uk_today

    app = make_app(url)
    started = time.perf_counter()
    regimens = fill_patients(app, patients, uk_today())
    print(f"{name}: {patients:,} patients, {regimens:,} regimens made in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    first = time_plan_command(app, days)
    print(f"{name}: first plan  {first.seconds:6.1f} s ({first.cpu_seconds:.1f} s CPU here), "
          f"{first.reminders:,} reminders, "
          f"{first.per_second:,.0f} reminders a second, "
          f"{patients / first.seconds:,.0f} patients a second")  # fmt: skip
    print(f"        ({first.output.splitlines()[-1]})")
    again = time_plan_command(app, days)
    print(f"{name}: plan again {again.seconds:6.1f} s ({again.cpu_seconds:.1f} s CPU here), "
          f"{again.reminders:,} new reminders "
          f"(must be 0), {patients / again.seconds:,.0f} patients a second")  # fmt: skip
    if again.reminders:
        raise SystemExit("Planning twice added reminders: the natural key did not hold.")
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    options = parser.parse_args()
    if options.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="bonecheck-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'plan.sqlite3'}"
            bench_backend("SQLite", url, options.patients, options.days)
    if options.backend in ("postgresql", "both"):
        from tests.postgres_server import PostgresServer

        server = PostgresServer()
        server.start()
        try:
            url = server.create_database("bench_planning")
            bench_backend("PostgreSQL", url, options.patients, options.days)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
