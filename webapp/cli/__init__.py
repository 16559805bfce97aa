"""Command-line groups, registered in one function."""

from flask import Flask


def register_cli(app: Flask) -> None:
    """Add every `flask …` command group to the app."""
    from webapp.cli.groups import groups_cli
    from webapp.cli.measures import measures_cli
    from webapp.cli.patients import patients_cli
    from webapp.cli.reminders import reminders_cli
    from webapp.cli.risk import risk_cli
    from webapp.cli.scheduler import scheduler_cli
    from webapp.cli.seed import seed_cli
    from webapp.cli.sms import sms_cli
    from webapp.cli.staff import staff_cli

    app.cli.add_command(groups_cli)
    app.cli.add_command(measures_cli)
    app.cli.add_command(patients_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(risk_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(sms_cli)
    app.cli.add_command(staff_cli)
