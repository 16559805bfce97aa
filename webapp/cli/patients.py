"""`flask patients import FILE.csv --service SERVICE` and `flask patients export`: a service's
patients and their medicines as CSV (docs/patients-csv.md)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.cli.imports import import_file
from webapp.cli.services import find_service, write_export
from webapp.clock import uk_today, utc_now
from webapp.extensions import db
from webapp.patients import csv_io
from webapp.patients.details import drama_numbers_allowed

patients_cli = AppGroup("patients", help="FLS patients: import and export CSV files.")


def plan_days() -> int:
    """How many days ahead reminders are planned when patients are enrolled."""
    return current_app.config["REMINDER_PLAN_DAYS"]


def allow_drama_numbers() -> bool:
    """Ofcom's drama mobiles pass everywhere but production (demo and test data)."""
    return drama_numbers_allowed(current_app.config)


@patients_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--service", "service_name", required=True, help="The service's id or exact name.")
def import_patients(path: Path, service_name: str) -> None:
    """Enrol the patients in a CSV file: all of them, or none (docs/patients-csv.md)."""
    service = find_service(service_name)
    result = import_file(path, csv_io.MAX_IMPORT_BYTES, lambda data: csv_io.import_patients(
        db.session, data, service, utc_now(), allow_drama=allow_drama_numbers(),
        plan_days=plan_days()))  # fmt: skip
    click.echo(f"Imported {path.name} into {service.name}: {result.patients} patients enrolled, "
               f"with {result.regimens} medicines.")  # fmt: skip


@patients_cli.command("export")
@click.option("--service", "service_name", required=True, help="The service's id or exact name.")
@click.option("--output", "-o", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The CSV file to write.")
def export_patients(service_name: str, output: Path) -> None:
    """Write a service's patients and current medicines as CSV, as the import reads it."""
    service = find_service(service_name)
    rows = write_export(output, lambda path: csv_io.write_patients_csv(
        db.session, service, uk_today(), path))  # fmt: skip
    click.echo(f"Wrote {rows} rows (one a current medicine) for {service.name} to {output}.")


def seed_demo_patients() -> None:
    """For `flask seed demo`: the made-up patients in the demo service (safe to run again)."""
    from webapp.accounts.demo import DEMO_NURSE_EMAIL, DEMO_SERVICE_NAME
    from webapp.accounts.staff import find_staff_member
    from webapp.patients.demo import load_demo_patients

    if not current_app.config["DEMO_STAFF_ACCOUNTS"] or not allow_drama_numbers():
        click.echo("Demo patients are switched off in this environment.")
        return
    nurse = find_staff_member(db.session, DEMO_NURSE_EMAIL)
    service = nurse.fls_service if nurse is not None else None
    if service is None or service.name != DEMO_SERVICE_NAME or not service.is_example:
        raise click.ClickException("The demo nurse and service are missing: load them first.")
    try:
        result = load_demo_patients(db.session, service, nurse, utc_now(), plan_days=plan_days())
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Example patients: {result.added} added, {result.already_there} already there.")
