"""Dispatchers in their own OS processes, for the exactly-once tests and the benchmark.

Each child builds the app from a config naming the shared database and the
Twilio-speaking server, waits at a barrier so that all start together, runs
the dispatch job (webapp.reminders.jobs) once and reports its counts.
"""

import cProfile
import multiprocessing
import os
import sys
import time as clock
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


def run_dispatcher(database_url, twilio_url, start, results, settings, options) -> None:
    """The body of one dispatcher process: wait for the others, dispatch once, report.

    `options`: `quiet` sends the log lines to /dev/null (still formatted and
    written); `profile` names a file for this process's cProfile statistics.
    """
    if options.get("quiet"):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (the process's own stdout)
    from webapp import create_app
    from webapp.reminders.jobs import job_named, run_job

    app = create_app(dispatcher_config(database_url, twilio_url, **settings))
    if start is not None:
        start.wait(timeout=60)
    profiler = cProfile.Profile() if options.get("profile") else None
    started = clock.time()
    if profiler:
        profiler.enable()
    counts = run_job(app, job_named("dispatch"))
    finished = clock.time()
    if profiler:
        profiler.disable()
        profiler.dump_stats(f"{options['profile']}.{os.getpid()}")
    results.put({"pid": os.getpid(), "counts": dict(counts), "started": started,
                 "finished": finished})  # fmt: skip


class Dispatchers:
    """`count` dispatcher processes that begin together, and what each reports."""

    def __init__(self, count: int, database_url: str, twilio_url: str, options=None,
                 **settings) -> None:  # fmt: skip
        # Held here for the children's whole life: they attach to these at start-up.
        self.start = SPAWN.Barrier(count) if count > 1 else None
        self.results = SPAWN.Queue()
        self.processes = [
            SPAWN.Process(target=run_dispatcher, name=f"dispatcher-{n}",
                          args=(database_url, twilio_url, self.start, self.results, settings,
                                options or {}))
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
        self.reports = [self.results.get(timeout=5) for _ in self.processes]
        return [report["counts"] for report in self.reports]

    def kill(self) -> None:
        """SIGKILL every process, as a crash or the out-of-memory killer would."""
        for process in self.processes:
            process.kill()
            process.join(timeout=10)


def drama_mobiles(count: int) -> list[str]:
    """`count` different mobile numbers from Ofcom's drama range (it has 1,000)."""
    if count > 1000:
        raise ValueError("the drama range has 1,000 mobile numbers")
    return [f"+447700900{n:03d}" for n in range(count)]


def add_due_reminders(session, service_id: int, mobiles: list[str], send_at: datetime) -> None:
    """A patient for each mobile, with one reminder due at `send_at`, inserted in bulk."""
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
