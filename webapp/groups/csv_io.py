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
from webapp.csv_import import (
    CsvFileError,
    CsvRowsError,
    RowProblem,
    data_rows,
    decode_csv,
    read_header,
)
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


class ListingFileError(CsvFileError):
    """The listings file as a whole cannot be read."""


class ListingRowsError(CsvRowsError):
    """Some listing rows are wrong; nothing was imported."""


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
    reader = csv.reader(io.StringIO(decode_csv(data, max_bytes, ListingFileError), newline=""))
    header = read_header(reader, COLUMNS, REQUIRED_COLUMNS, ListingFileError)
    rows, problems, seen = [], [], {}
    for start, values in data_rows(reader, MAX_IMPORT_ROWS, "listings", ListingFileError):
        details, row_problems = _check_row(start, header, values, today)
        row_problems += _duplicate(start, details, seen)
        problems += row_problems
        if details is not None and not row_problems:
            rows.append((start, details))
    if problems:
        raise ListingRowsError(problems)
    if not rows:
        raise ListingFileError("The file has column names but no listings")
    return rows


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

