"""Running the schedule table (webapp.reminders.jobs.SCHEDULE) with APScheduler 3.

One scheduler a deployment: `flask scheduler run` in its own process, or, for
`make run` only, inside the development server (webapp.devserver). Never in
`create_app`, never under gunicorn workers, tests or imports: building one is
always an explicit call. Each job runs at most once at a time (max_instances=1);
runs missed while one was busy collapse into one (coalesce), and a run more
than a short grace late is dropped, since the next comes soon.
"""

import logging
import threading
from collections.abc import Iterable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from webapp.clock import UK_TIME, uk_now
from webapp.reminders.jobs import SCHEDULE, Job, run_job

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 30
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS}


def build_scheduler(
    app: Flask, schedule: Iterable[Job] = SCHEDULE,
    scheduler_class: type[BaseScheduler] = BackgroundScheduler,
) -> BaseScheduler:  # fmt: skip
    """A scheduler (not started) with one APScheduler job a row of the table, in UK time."""
    scheduler = scheduler_class(timezone=UK_TIME, job_defaults=JOB_DEFAULTS)
    for job in schedule:
        trigger_args = dict(job.trigger)
        trigger = trigger_args.pop("trigger")
        first = {"next_run_time": uk_now()} if job.at_start else {}
        scheduler.add_job(run_job, trigger, args=(app, job), id=job.name, name=job.name,
                          **trigger_args, **first)  # fmt: skip
    return scheduler


def run_until_stopped(app: Flask, stop: threading.Event) -> None:
    """Run the schedule in this process until `stop` is set (the CLI sets it on a signal).

    A job already running finishes its current text; dispatch gives back what it
    had claimed but not sent (webapp.reminders.dispatch), so stopping loses nothing.
    """
    scheduler = build_scheduler(app)
    app.extensions["stop_sending"] = stop
    scheduler.start()
    log.info("Scheduler started: %s", ", ".join(job.id for job in scheduler.get_jobs()),
             extra={"event": "scheduler_started"})  # fmt: skip
    try:
        while not stop.wait(timeout=1):
            pass
    finally:
        stop.set()
        scheduler.shutdown(wait=True)
        log.info("Scheduler stopped", extra={"event": "scheduler_stopped"})
