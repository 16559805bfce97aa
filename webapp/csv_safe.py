"""Every CSV file the service writes goes through `writer`, so no cell runs as a formula.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula: an admin named `=HYPERLINK(...)` would otherwise put a live
link into every export that names them. Free text that starts like that is
written with an apostrophe in front, which spreadsheets show as text and hide.
Values that are not free text are written as they are, so an export reads back
the same: numbers and dates (written as `int`, `float`, `date` or `datetime`,
or text that is a plain number) and phone numbers in E.164 (`+441134567890`).
Importers call `undefuse_cell` on every cell, so an exported file imports again.
"""

import csv
import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFUSING_MARK = "'"
# Text that a spreadsheet reads as a value, not a formula: a number or an E.164 phone number.
_PLAIN_VALUE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?|\+[1-9][0-9]{6,14}")


def defuse_cell(value) -> str:
    """`value` as CSV text that a spreadsheet shows and never runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | date | datetime):
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_VALUE.fullmatch(text):
        return DEFUSING_MARK + text
    return text


def undefuse_cell(text: str) -> str:
    """An imported cell without the apostrophe `defuse_cell` put in front of it."""
    if text.startswith(DEFUSING_MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeWriter:
    """`csv.writer` whose `writerow` and `writerows` defuse every cell first."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, cells) -> None:
        """Write one row, each cell through `defuse_cell`."""
        self._writer.writerow([defuse_cell(cell) for cell in cells])

    def writerows(self, rows) -> None:
        """Write each row through `writerow`."""
        for cells in rows:
            self.writerow(cells)


def writer(file, **options) -> SafeWriter:
    """A CSV writer for `file` (options as for `csv.writer`) that defuses formulas."""
    return SafeWriter(file, **options)


def write_csv_atomically(path: Path, columns: tuple[str, ...], rows) -> int:
    """Write `columns` then `rows` (every cell defused) to a temporary file beside `path`,
    then rename it into place; returns how many rows. On any failure nothing is left."""
    handle = tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False,
        encoding="utf-8", newline="",
    )  # fmt: skip
    try:
        with handle:
            csv_writer = writer(handle)
            csv_writer.writerow(columns)
            count = 0
            for row in rows:
                csv_writer.writerow(row)
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return count
