"""Importing and exporting support group listings as CSV (columns in docs/listings-csv.md).

An import is all or nothing: every row is checked first, each bad row is
reported with its line and reason, and nothing is written unless the whole
file is good. A repeating listing's meeting date may have passed (a list is
often made weeks before it is imported): the import keeps it, since the date
and the rule give the next meetings, and reports the next one. Listings are
matched by `reference`, so importing an export updates the same listings
rather than adding copies.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import csv_safe
from webapp.groups import meetings
from webapp.groups.listings import add_group, update_group
from webapp.groups.validation import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ListingDetails,
    check_listing,
    values_from_group,
)
from webapp.models.groups import SupportGroup
from webapp.models.staff import StaffMember

# Far more than the few hundred groups in the UK, small enough to check in a request.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


class ListingFileError(ValueError):
    """The file as a whole cannot be read: too big, not text, or the wrong columns."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row, with the line a spreadsheet would show it on."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, {self.column}: {self.message}"


class ListingRowsError(ValueError):
    """Some rows are wrong; nothing was imported."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems in the file")
        self.problems = problems


@dataclass(frozen=True)
class PassedMeeting:
    """A row whose meeting date had passed: the listing's repeat rule gives the next one."""

    line: int
    reference: str
    given: date
    next_on: date

    def __str__(self) -> str:
        return (
            f"Line {self.line} ({self.reference}): the meeting on {self.given:%d/%m/%Y} has "
            f"passed, so the next one shown is {self.next_on:%d/%m/%Y}, from its repeat rule"
        )


@dataclass(frozen=True)
class ImportResult:
    """How many listings an import added and updated, and which meeting dates had passed."""

    added: int
    updated: int
    passed_meetings: tuple[PassedMeeting, ...] = ()


def import_listings(
    session: Session,
    data: bytes,
    today: date,
    actor: StaffMember | None,
    max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportResult:
    """Check every row of a CSV file, then add or update all its listings, or none.

    Raises ListingFileError or ListingRowsError before anything is written.
    """
    rows = read_listings(data, today, max_bytes)
    existing = _existing_by_reference(session, [details.reference for _, details in rows])
    added = updated = 0
    for _, details in rows:
        group = existing.get(details.reference)
        if group is None:
            add_group(session, details, actor)
            added += 1
        else:
            update_group(session, group, details, actor)
            updated += 1
    return ImportResult(added, updated, passed_meetings(rows, today))


def passed_meetings(rows: list[tuple[int, ListingDetails]], today: date) -> tuple:
    """The rows whose given meeting date has passed, each with its next meeting."""
    passed = []
    for line, details in rows:
        given = details.next_meeting_on
        if given is not None and given < today:
            next_on = meetings.next_meeting(given, details.repeats, details.skip_months, today)
            passed.append(PassedMeeting(line, details.reference, given, next_on))
    return tuple(passed)


def read_listings(
    data: bytes, today: date, max_bytes: int = MAX_IMPORT_BYTES
) -> list[tuple[int, ListingDetails]]:
    """Every row of the file, checked: (line, details), or an error saying what is wrong."""
    text = _decode(data, max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _header(reader)
    rows, problems, seen = [], [], {}
    line, listings_read = reader.line_num, 0
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if listings_read >= MAX_IMPORT_ROWS:
                raise ListingFileError(f"The file has more than {MAX_IMPORT_ROWS} listings")
            listings_read += 1
            details, row_problems = _check_row(start, header, values, today)
            row_problems += _duplicate(start, details, seen)
            problems += row_problems
            if details is not None and not row_problems:
                rows.append((start, details))
    except csv.Error as error:
        raise ListingFileError(f"Line {reader.line_num + 1} cannot be read: {error}") from None
    if problems:
        raise ListingRowsError(problems)
    if not rows:
        raise ListingFileError("The file has column names but no listings")
    return rows


def _decode(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise ListingFileError(
            f"The file is too big: it must be {max_bytes // (1024 * 1024)} MB or smaller"
        )
    if not data.strip():
        raise ListingFileError("The file is empty")
    not_text = ListingFileError(
        "The file is not a CSV text file. Save it as 'CSV UTF-8 (comma delimited)' and try again"
    )
    if b"\x00" in data:
        raise not_text
    try:
        # utf-8-sig drops the byte-order mark Excel puts at the start.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_text from None


def _header(reader) -> list[str]:
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        raise ListingFileError("The file is empty") from None
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ListingFileError(
            "The first line must name the columns. Unknown: " + ", ".join(unknown[:5])
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ListingFileError("The file has no column for: " + ", ".join(missing))
    if len(set(header)) != len(header):
        raise ListingFileError("A column name appears twice on the first line")
    return header


def _check_row(line: int, header: list[str], values: list[str], today: date):
    if len(values) != len(header):
        message = f"has {len(values)} values but there are {len(header)} columns"
        return None, [RowProblem(line, "whole row", message)]
    values_by_column = dict(zip(header, map(csv_safe.undefuse_cell, values), strict=True))
    details, errors = check_listing(values_by_column, today, past_repeating_dates=True)
    return details, [RowProblem(line, column, message) for column, message in errors.items()]


def _duplicate(line: int, details: ListingDetails | None, seen: dict[str, int]):
    if details is None:
        return []
    first = seen.setdefault(details.reference, line)
    if first == line:
        return []
    message = f"reference {details.reference} is also used on line {first}"
    return [RowProblem(line, "reference", message)]


def _existing_by_reference(session: Session, references: list[str]) -> dict[str, SupportGroup]:
    found = {}
    # Chunked so the IN list stays well inside every database's parameter limit.
    for start in range(0, len(references), 500):
        chunk = references[start : start + 500]
        query = select(SupportGroup).where(SupportGroup.reference.in_(chunk))
        found.update({group.reference: group for group in session.scalars(query)})
    return found


def export_listings(session: Session, today: date) -> str:
    """Every listing, hidden ones too, as CSV in the import format, by reference."""
    output = io.StringIO(newline="")
    writer = csv_safe.writer(output, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for group in session.scalars(select(SupportGroup).order_by(SupportGroup.reference)):
        values = values_from_group(group, today)
        writer.writerow([values[column] for column in COLUMNS])
    return output.getvalue()

