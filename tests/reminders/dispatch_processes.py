"""Dispatchers in their own OS processes, for the exactly-once tests and the benchmark.

Each child builds the app from a config naming the shared database and the
Twilio-speaking server, waits at a barrier so that all start together, runs
the dispatch job (webapp.reminders.jobs) once and reports its counts.
"""

import multiprocessing
import os
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from config import TestConfig
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder

SPAWN = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited connections


def dispatcher_config(database_url: str, twilio_url: str, **settings) -> type[TestConfig]:
    """Settings for a dispatcher sending through the real twilio client to `twilio_url`."""
    values = {
        "SQLALCHEMY_DATABASE_URI": database_url, "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+447700900001", "TWILIO_API_BASE_URL": twilio_url,
        "PUBLIC_BASE_URL": "https://bonecheck.example.nhs.uk", "SMS_MAX_PER_SECOND": 0,
        "SMS_HTTP_TIMEOUT": 2.0, **settings,
    }  # fmt: skip
    return type("DispatcherConfig", (TestConfig,), values)


def run_dispatcher(database_url, twilio_url, start, results, settings) -> None:
    """The body of one dispatcher process: wait for the others, dispatch once, report."""
    from webapp import create_app
    from webapp.reminders.jobs import job_named, run_job

    app = create_app(dispatcher_config(database_url, twilio_url, **settings))
    if start is not None:
        start.wait(timeout=60)
    counts = run_job(app, job_named("dispatch"))
    results.put((os.getpid(), dict(counts)))


class Dispatchers:
    """`count` dispatcher processes that begin together, and what each reports."""

    def __init__(self, count: int, database_url: str, twilio_url: str, **settings) -> None:
        # Held here for the children's whole life: they attach to these at start-up.
        self.start = SPAWN.Barrier(count) if count > 1 else None
        self.results = SPAWN.Queue()
        self.processes = [
            SPAWN.Process(target=run_dispatcher, name=f"dispatcher-{n}",
                          args=(database_url, twilio_url, self.start, self.results, settings))
            for n in range(count)
        ]  # fmt: skip
        for process in self.processes:
            process.start()

    def finish(self, timeout: float = 120.0) -> list[dict[str, int]]:
        """Wait for every process to end, and return their counts; fail if one failed."""
        for process in self.processes:
            process.join(timeout=timeout)
        codes = [process.exitcode for process in self.processes]
        if codes != [0] * len(codes):
            raise RuntimeError(f"a dispatcher process failed: exit codes {codes}")
        return [self.results.get(timeout=5)[1] for _ in self.processes]

    def kill(self) -> None:
        """SIGKILL every process, as a crash or the out-of-memory killer would."""
        for process in self.processes:
            process.kill()
            process.join(timeout=10)


def add_due_reminders(session, service_id: int, count: int, send_at: datetime) -> list[str]:
    """`count` patients (each with their own drama-range mobile) with one reminder due at
    `send_at`, inserted in bulk. Returns their mobiles."""
    if count > 1000:
        raise ValueError("the drama range has 1,000 mobile numbers")
    mobiles = [f"+447700900{n:03d}" for n in range(count)]
    session.execute(insert(Patient), [
        {"fls_service_id": service_id, "nhs_number": f"{n:010d}", "first_name": "Pat",
         "last_name": "Example", "date_of_birth": date(1950, 1, 1), "mobile": mobile,
         "sms_consent": True, "reminder_time": time(9), "status": "active", "discreet": False,
         "is_example": True, "created_at": send_at, "updated_at": send_at}
        for n, mobile in enumerate(mobiles)
    ])  # fmt: skip
    patient_ids = session.scalars(select(Patient.id).order_by(Patient.id)).all()
    session.execute(insert(Regimen), [
        {"patient_id": pid, "medicine": "alendronic_acid_weekly", "daily_texts": False,
         "first_dose_date": send_at.date() - timedelta(days=7), "created_at": send_at}
        for pid in patient_ids
    ])  # fmt: skip
    regimens = session.execute(select(Regimen.id, Regimen.patient_id)).all()
    session.execute(insert(Reminder), [
        {"patient_id": pid, "regimen_id": rid, "kind": "dose", "due_on": send_at.date(),
         "send_at": send_at, "status": "planned", "status_changed_at": send_at,
         "created_at": send_at}
        for rid, pid in regimens
    ])  # fmt: skip
    session.commit()
    return mobiles
