"""`flask scheduler run`: the reminder schedule in its own process."""

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="Run the reminder schedule (plan, send, sweep).")


@scheduler_cli.command("run")
def run_scheduler() -> None:
    """Run the schedule here until stopped by SIGTERM or Ctrl-C (one such process only)."""
    from webapp.scheduler import run_until_stopped

    stop = threading.Event()

    def on_signal(signum, _frame):
        click.echo(f"Stopping the scheduler ({signal.Signals(signum).name}).", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    run_until_stopped(current_app._get_current_object(), stop)
