"""Running an all-or-nothing CSV import from the command line, for listings and patients alike.

Both imports raise the errors of webapp.csv_import, so one function reads the
file, lists every bad line on stderr, and commits only when every row is good.
"""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from webapp.csv_import import CsvFileError, CsvRowsError
from webapp.extensions import db

Result = TypeVar("Result")


def import_file(path: Path, largest: int, load: Callable[[bytes], Result]) -> Result:
    """Read at most `largest` + 1 bytes of `path` (so an oversized file is refused by size),
    hand them to `load`, and commit; on any refusal roll back and say why, nothing imported."""
    with path.open("rb") as handle:
        data = handle.read(largest + 1)
    try:
        result = load(data)
    except CsvFileError as error:
        db.session.rollback()
        raise click.ClickException(f"{path.name}: {error}. Nothing was imported.") from None
    except CsvRowsError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{path.name} has {len(error.problems)} problems. Nothing was imported."
        ) from None
    db.session.commit()
    return result
