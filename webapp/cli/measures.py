"""`flask measures …`: work out the adherence figures and the worklist again."""

import click
from flask import current_app
from flask.cli import AppGroup

measures_cli = AppGroup("measures", help="Adherence figures, audit indicators and the worklist.")


@measures_cli.command("refresh")
@click.option("--recent", is_flag=True,
              help="Only patients whose rows changed in the last 15 minutes, as the "
                   "5-minute job does.")  # fmt: skip
def refresh(recent: bool) -> None:
    """Work out every patient's figures and worklist again now, as the nightly job does."""
    from webapp.reminders.jobs import job_named, run_job

    name = "refresh-measures" if recent else "refresh-all-measures"
    counts = run_job(current_app._get_current_object(), job_named(name))
    click.echo(", ".join(f"{count} {what}" for what, count in counts.items()))
