"""`flask reminders …`: plan, send and export the SMS medication reminders."""

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Plan, send and export SMS medication reminders.")


def echo_summary(summary: dict[str, int]) -> None:
    """Print a job's counts on one line, in a fixed order, for people and for logs."""
    click.echo(", ".join(f"{count} {name}" for name, count in summary.items()))
