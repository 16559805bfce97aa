"""`flask staff …`: the first admin account, and help for someone locked out."""

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.accounts import totp
from webapp.accounts.demo import ensure_demo_staff
from webapp.accounts.errors import AccountError
from webapp.accounts.staff import (
    StaffDetails,
    create_staff_member,
    find_staff_member,
    reset_security_code,
    unlock_staff_member,
)
from webapp.auth.sessions import sign_in_policy
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.staff import Role

staff_cli = AppGroup("staff", help="Staff accounts: make the first admin, unlock, reset.")


@staff_cli.command("create-admin")
@click.argument("email")
@click.option("--name", prompt="Full name", help="The admin's full name.")
@click.password_option(
    "--password", prompt="Password (12 characters or more)",
    confirmation_prompt="Type the password again",
    help="Leave out to be asked for it (hidden, twice).",
)
def create_admin(email: str, name: str, password: str) -> None:
    """Make an admin account, for example the first one."""
    details = StaffDetails(email=email, full_name=name, role=Role.ADMIN)
    try:
        staff, _ = create_staff_member(
            db.session, None, details, sign_in_policy().hasher, utc_now(), password=password
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Admin account made for {staff.email}. They can sign in at /staff/sign-in.")


@staff_cli.command("unlock")
@click.argument("email")
def unlock(email: str) -> None:
    """End the lock on an account after too many failed sign-ins."""
    staff = _existing(email)
    unlock_staff_member(db.session, None, staff, sign_in_policy(), utc_now())
    db.session.commit()
    click.echo(f"{staff.email} is unlocked.")


@staff_cli.command("reset-security-code")
@click.argument("email")
def reset_code(email: str) -> None:
    """Switch off a lost authenticator app; a new one is set up at the next sign-in."""
    staff = _existing(email)
    reset_security_code(db.session, None, staff, utc_now())
    db.session.commit()
    click.echo(f"{staff.email} will set up a new security code at their next sign-in.")


@staff_cli.command("demo-code")
@click.argument("email")
def demo_code(email: str) -> None:
    """Show the current security code of a made-up demo account (never a real one)."""
    staff = _existing(email)
    if not staff.is_example or not current_app.config["DEMO_STAFF_ACCOUNTS"]:
        raise click.ClickException("Codes are only shown for the demo accounts.")
    if staff.totp_secret is None:
        raise click.ClickException(f"{staff.email} has no security code set up.")
    click.echo(totp.code_at(staff.totp_secret, utc_now()))


def _existing(email: str):
    staff = find_staff_member(db.session, email)
    if staff is None:
        raise click.ClickException(f"There is no staff account with the email address {email}.")
    return staff


def seed_demo_staff() -> None:
    """For `flask seed demo`: make the demo admin and nurse and print how to sign in as them."""
    if not current_app.config["DEMO_STAFF_ACCOUNTS"]:
        click.echo("Demo staff accounts are switched off in this environment.")
        return
    try:
        accounts = ensure_demo_staff(db.session, sign_in_policy().hasher, utc_now())
    except (ValueError, AccountError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo("Demo staff accounts (made up; new passwords each time the demo data loads):")
    for account in accounts:
        click.echo(f"  {account.role.title()}: {account.email}")
        click.echo(f"    Password:  {account.password}")
        click.echo(f"    Security code setup key: {account.totp_secret}")
        click.echo(f"    Or scan/open in an authenticator app: {account.setup_uri}")
    click.echo("  Sign in at http://127.0.0.1:5000/staff/sign-in. For the code without an app:")
    click.echo("    .venv/bin/flask staff demo-code EMAIL")
