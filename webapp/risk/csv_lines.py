"""CSV a line at a time: fast for plain lines, the csv module's own rules for quoted ones.

Most lines of a practice list hold no quote character. Such a line means exactly what
`line.split(",")` says (that is how the csv module reads it too), and its text can be
copied to the output unchanged with our columns appended, which is several times faster
than parsing and re-quoting every cell. A line with a quote is read by `csv.reader`,
which also follows a quoted cell onto the next physical lines; its original text is
still copied through as it was.
"""

import csv
import io
from collections.abc import Iterator, Sequence

LINE_END = "\r\n"  # what csv.writer ends lines with (RFC 4180)
_SPECIAL = (",", '"', "\r", "\n")


def is_plain(line: str) -> bool:
    """True when `line` can be split on commas: it has no quote character."""
    return '"' not in line


def cells_of(record: str) -> list[str]:
    """The cells of one record's text (which may hold line breaks inside quoted cells)."""
    if '"' not in record:
        return record.split(",")
    return next(csv.reader([record]), [])


class QuotedRecords:
    """Reads records that need the csv module from the same lines the caller iterates.

    `read(first_line)` returns the record's text (every physical line it took, without
    the final line ending), its cells, and how many more lines than one it took.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._first: str | None = None
        self._taken: list[str] = []
        self._reader = csv.reader(self._feed())

    def read(self, first_line: str) -> tuple[str, list[str], int]:
        self._first, self._taken = first_line, []
        cells = next(self._reader, [])
        text = "".join(self._taken).rstrip("\r\n")
        return text, cells, len(self._taken) - 1

    def _feed(self) -> Iterator[str]:
        """The first line of each record, then, if a quoted cell runs on, the lines after."""
        while True:
            if self._first is not None:
                line, self._first = self._first, None
            else:
                line = next(self._lines, None)
                if line is None:
                    return  # the file ended inside a quoted cell: csv keeps what it read
            self._taken.append(line)
            yield line


def csv_cell(value: str) -> str:
    """`value` as one CSV cell, quoted only when it has to be."""
    if any(special in value for special in _SPECIAL):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_line(cells: Sequence[str]) -> str:
    """`cells` as one CSV line, ending in LINE_END, quoted as csv.writer quotes them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow(cells)
    return buffer.getvalue()
