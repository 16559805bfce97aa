"""`flask reminders …`: plan, send and export the SMS medication reminders."""

import logging
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.cli.services import find_service, write_export
from webapp.clock import utc_now
from webapp.extensions import db

reminders_cli = AppGroup("reminders", help="Plan, send and export SMS medication reminders.")
log = logging.getLogger(__name__)


def echo_summary(summary: dict[str, int]) -> None:
    """Print a job's counts on one line, in a fixed order, for people and for logs."""
    click.echo(", ".join(f"{count} {name}" for name, count in summary.items()))


@reminders_cli.command("dispatch")
def dispatch_reminders() -> None:
    """Send every reminder due now, once, and say what was sent, expired, skipped or failed."""
    from webapp.reminders.dispatch import DispatchError
    from webapp.reminders.jobs import job_named, run_job

    try:
        counts = run_job(current_app._get_current_object(), job_named("dispatch"))
    except DispatchError as error:
        raise click.ClickException(
            f"Sending stopped: {error}. Texts not yet sent stay planned; run it again."
        ) from None
    echo_summary(counts)


@reminders_cli.command("plan")
@click.option(
    "--days", type=click.IntRange(1, 366), default=None,
    help="How many days ahead to plan (default: the REMINDER_PLAN_DAYS setting).",
)  # fmt: skip
def plan(days: int | None) -> None:
    """Plan the reminders of the coming days, and follow-ups to unanswered ones."""
    from webapp.reminders.planning import plan_follow_ups, plan_reminders

    days = days if days is not None else current_app.config["REMINDER_PLAN_DAYS"]
    now = utc_now()
    try:
        counts = {
            **plan_reminders(db.session, now, days).as_dict(),
            **plan_follow_ups(db.session, now).as_dict(),
        }
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(f"Planned reminders for the next {days} days:")
    echo_summary(counts)
    log.info("Reminders planned", extra={"job": "reminders.plan", "days": days, **counts})


@reminders_cli.command("export")
@click.option("--output", "-o", required=True, help="The CSV file to write.",
              type=click.Path(dir_okay=False, path_type=Path))
@click.option("--service", help="A service's id or exact name (every service when omitted).")
def export_reminders(output: Path, service: str | None) -> None:
    """Write every reminder as CSV, one row a reminder, times in UK time."""
    from webapp.reminders.export import write_reminders_csv

    service_id = find_service(service).id if service is not None else None
    count = write_export(output, lambda path: write_reminders_csv(db.session, path, service_id))
    click.echo(f"Wrote {count} reminders to {output}.")
