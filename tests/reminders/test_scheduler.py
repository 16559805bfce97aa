"""The scheduler: built from the table, never started by imports, stopped cleanly by SIGTERM."""

import importlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from tests.conftest import _config_for
from webapp import create_app
from webapp.devserver import reloader_parent, start_scheduler_if_asked
from webapp.reminders.jobs import SCHEDULE
from webapp.scheduler import MISFIRE_GRACE_SECONDS, build_scheduler

ROOT = Path(__file__).resolve().parents[2]


def _scheduler_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("APScheduler")]


def test_the_scheduler_has_one_job_a_row_run_one_at_a_time_in_uk_time(app):
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {job.name for job in SCHEDULE}
        for job in jobs.values():
            assert (job.coalesce, job.max_instances) == (True, 1)
            assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS
        assert str(scheduler.timezone) == "Europe/London"
        assert str(jobs["dispatch"].trigger) == "interval[0:01:00]"
    finally:
        scheduler.shutdown(wait=False)


def test_create_app_and_importing_wsgi_start_no_scheduler(monkeypatch):
    monkeypatch.setenv("RUN_SCHEDULER", "1")  # even if someone sets it for gunicorn
    before = _scheduler_threads()
    sys.modules.pop("wsgi", None)
    wsgi = importlib.import_module("wsgi")
    create_app(_config_for("sqlite://"))
    assert _scheduler_threads() == before
    assert "scheduler" not in wsgi.app.extensions


@pytest.mark.parametrize(
    ("argv", "environ", "parent"),
    [
        (["flask", "run", "--no-reload"], {}, False),
        (["flask", "run"], {}, False),
        (["flask", "run", "--reload"], {}, True),
        (["flask", "run", "--debug"], {}, True),
        (["flask", "run"], {"FLASK_DEBUG": "1"}, True),
        (["flask", "run", "--reload"], {"WERKZEUG_RUN_MAIN": "true"}, False),  # the child
    ],
)
def test_only_the_reloaders_serving_child_counts_as_the_server(argv, environ, parent):
    assert reloader_parent(argv, environ) is parent


def test_the_development_server_starts_exactly_one_scheduler_when_asked(app):
    assert start_scheduler_if_asked(app, ["flask", "run"], {}) is None  # RUN_SCHEDULER off
    app.config["RUN_SCHEDULER"] = True
    assert start_scheduler_if_asked(app, ["flask", "run", "--reload"], {}) is None
    scheduler = start_scheduler_if_asked(app, ["flask", "run", "--no-reload"], {})
    try:
        assert isinstance(scheduler, BackgroundScheduler) and scheduler.running
        assert app.extensions["scheduler"] is scheduler
    finally:
        scheduler.shutdown(wait=False)


def test_flask_scheduler_run_is_its_own_process_and_stops_on_sigterm(_database_urls):
    environ = {**os.environ, "BONECHECK_ENV": "development", "SMS_BACKEND": "outbox",
               "DATABASE_URL": _database_urls("sqlite"), "PYTHONUNBUFFERED": "1"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], cwd=ROOT,
        env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        started = [line for line in _lines_until(process, "Scheduler started")]
        assert "dispatch" in started[-1]
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "Stopping the scheduler (SIGTERM)." in output
    assert "Scheduler stopped" in output and "Traceback" not in output


def _lines_until(process, marker):
    for line in process.stdout:
        yield line
        if marker in line:
            return
    raise AssertionError(f"the scheduler exited before saying {marker!r}")
