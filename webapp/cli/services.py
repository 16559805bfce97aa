"""What the patient, reminder and SMS commands share: naming a service, and writing a file.

Each command takes `--service` as an id or an exact name, and writes its export
beside the file it replaces and renames it into place. Whatever is typed, the
answer is a sentence saying what to do, never a traceback.
"""

from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy import select

from webapp.extensions import db
from webapp.models.staff import FlsService
from webapp.numbers import read_record_id


def find_service(typed: str) -> FlsService:
    """The service with this id or exactly this name, or a ClickException saying what to use."""
    typed = typed.strip()
    record_id = read_record_id(typed)
    service = db.session.get(FlsService, record_id) if record_id is not None else None
    if service is None:
        matches = list(db.session.scalars(select(FlsService).where(FlsService.name == typed)))
        if len(matches) > 1:
            ids = ", ".join(str(match.id) for match in matches)
            raise click.ClickException(
                f"More than one service is called {typed!r}: use its id ({ids})"
            )
        service = matches[0] if matches else None
    if service is None:
        raise click.ClickException(
            f"No service has the id or name {typed!r}. See the services at /admin/fls-services"
        )
    return service


def write_export(output: Path, write: Callable[[Path], int]) -> int:
    """Run `write(output)` and return its count; a missing folder or a file that cannot be
    written is a clear error, and `write` leaves nothing behind when it fails."""
    if not output.parent.is_dir():
        raise click.ClickException(
            f"There is no folder {output.parent}: make it first, or choose another place."
        )
    try:
        return write(output)
    except OSError as error:
        raise click.ClickException(f"Could not write {output}: {error.strerror}.") from None
