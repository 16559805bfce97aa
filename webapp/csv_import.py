"""Reading a CSV file for an all-or-nothing import: the file, its column names, its rows.

Shared by the support-group listings and the patients imports, so both refuse
a file that cannot be read in the same words and name each problem by the line
a spreadsheet shows it on (a quoted cell may span lines, so lines are counted
by the reader, not by rows). Each import keeps its own error classes, made from
the two here, so its callers catch what they always have.
"""

import csv
from collections.abc import Collection, Iterator
from dataclasses import dataclass


class CsvFileError(ValueError):
    """The file as a whole cannot be read: too big, not text, or the wrong columns."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row, on the line a spreadsheet shows it."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, {self.column}: {self.message}"


class CsvRowsError(ValueError):
    """Some rows are wrong; nothing was imported."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems in the file")
        self.problems = problems


def decode_csv(data: bytes, max_bytes: int, error: type[CsvFileError]) -> str:
    """The file's text, or `error` saying why it is not a CSV file we can read."""
    if len(data) > max_bytes:
        raise error(f"The file is too big: it must be {max_bytes // (1024 * 1024)} MB or smaller")
    if not data.strip():
        raise error("The file is empty")
    not_text = error(
        "The file is not a CSV text file. Save it as 'CSV UTF-8 (comma delimited)' and try again"
    )
    if b"\x00" in data:
        raise not_text
    try:
        return data.decode("utf-8-sig")  # drops the byte-order mark Excel writes
    except UnicodeDecodeError:
        raise not_text from None


def read_header(
    reader, known: Collection[str], required: Collection[str], error: type[CsvFileError]
) -> list[str]:
    """The first line's column names in lower case, each known, none missing, none twice."""
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        raise error("The file is empty") from None
    unknown = [name for name in header if name not in known]
    if unknown:
        raise error("The first line must name the columns. Unknown: " + ", ".join(unknown[:5]))
    missing = [name for name in required if name not in header]
    if missing:
        raise error("The file has no column for: " + ", ".join(missing))
    if len(set(header)) != len(header):
        raise error("A column name appears twice on the first line")
    return header


def data_rows(
    reader, most: int, what: str, error: type[CsvFileError]
) -> Iterator[tuple[int, list[str]]]:
    """Each row that is not blank, with the line it starts on; at most `most` of them.

    `what` names the rows in the refusal ("listings", "rows"). A line the csv
    module cannot read is `error` naming that line.
    """
    line, count = reader.line_num, 0
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if count >= most:
                raise error(f"The file has more than {most} {what}")
            count += 1
            yield start, values
    except csv.Error as problem:
        raise error(f"Line {reader.line_num + 1} cannot be read: {problem}") from None
