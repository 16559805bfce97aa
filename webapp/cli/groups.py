"""`flask groups import FILE.csv` and `flask groups export`: support group listings as CSV."""

from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.cli.imports import import_file
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.groups import csv_io
from webapp.groups.demo import load_demo_listings

groups_cli = AppGroup("groups", help="Support group listings: import and export CSV files.")


@groups_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_listings(path: Path) -> None:
    """Import listings from a CSV file: all of it, or none of it (docs/listings-csv.md)."""
    if path.stat().st_size > csv_io.MAX_IMPORT_BYTES:
        raise click.ClickException(
            f"{path.name} is too big: it must be "
            f"{csv_io.MAX_IMPORT_BYTES // (1024 * 1024)} MB or smaller. Nothing was imported."
        )
    result = import_file(path, csv_io.MAX_IMPORT_BYTES, lambda data: csv_io.import_listings(
        db.session, data, uk_today(), actor=None))  # fmt: skip
    click.echo(f"Imported {path.name}: {result.added} listings added, {result.updated} changed.")
    for passed in result.passed_meetings:
        click.echo(str(passed))


@groups_cli.command("export")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the screen.",
)  # fmt: skip
def export_listings(output: Path | None) -> None:
    """Write every listing as CSV, in the format `flask groups import` reads."""
    body = csv_io.export_listings(db.session, uk_today())
    if output is None:
        click.echo(body, nl=False)
        return
    output.write_text(body, encoding="utf-8", newline="")
    click.echo(f"Wrote {body.count(chr(10)) - 1} listings to {output}.", err=True)


def seed_demo_listings() -> None:
    """For `flask seed demo`: the made-up groups and services (safe to run again)."""
    try:
        groups, services = load_demo_listings(db.session, uk_today())
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Example support groups: {groups}; example Fracture Liaison Services: {services}.")
