"""`flask reminders …`: plan, send and export the SMS medication reminders."""

import click
from flask import current_app
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Plan, send and export SMS medication reminders.")


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
