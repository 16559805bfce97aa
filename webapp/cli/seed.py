"""`flask seed demo`: the embedded default's demo data."""

import click
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Load example data for the embedded default.")


@seed_cli.command("demo")
def seed_demo() -> None:
    """Load plainly fictional demo data (safe to run more than once)."""
    from webapp.cli.groups import seed_demo_listings
    from webapp.cli.patients import seed_demo_patients
    from webapp.cli.staff import seed_demo_staff

    seed_demo_staff()
    seed_demo_listings()
    seed_demo_patients()
    click.echo("Demo data is up to date.")
