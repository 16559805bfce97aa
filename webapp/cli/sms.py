"""`flask sms …`: the texts themselves, in and out."""

from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.extensions import db

sms_cli = AppGroup("sms", help="Texts sent to and received from patients.")


@sms_cli.command("export")
@click.option("--output", "-o", required=True, help="The CSV file to write.",
              type=click.Path(dir_okay=False, path_type=Path))
@click.option("--service", help="A service's id or exact name (every service when omitted).")
def export_sms(output: Path, service: str | None) -> None:
    """Write every text in and out as CSV, one row a message, in time order (UK time)."""
    from webapp.cli.services import find_service, write_export
    from webapp.reminders.sms_export import write_sms_csv

    service_id = find_service(service).id if service is not None else None
    count = write_export(output, lambda path: write_sms_csv(db.session, path, service_id))
    click.echo(f"Wrote {count} messages to {output}.")
