"""Reading and writing a practice list's CSV with pyarrow, a batch of rows at a time.

pyarrow's CSV reader parses a block of the file into columns in C++, every cell kept as
text ("007" stays "007"); its writer writes columns back out. Both stream, so a list of
any length is read in a memory bounded by the batch size.

The one thing the fast reader cannot tell us is where a record starts when one record
may take several physical lines (a quoted cell with a line break) or blank lines come
between records. A refused row must be reported by its physical line, so such a list
(found by a quick scan: `has_one_record_a_line`) is read by Python's csv module instead,
which counts the lines, and then goes through the same scoring and writing.
"""

import csv
import io
from collections import deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

LINE_END = "\r\n"  # RFC 4180, as the list was always written
BLOCK_BYTES = 4 << 20  # read and parsed at once: some 45,000 rows of a list
SCAN_BYTES = 1 << 20
CODED_TEXT = pa.dictionary(pa.int32(), pa.string())
WRITE_OPTIONS = pa_csv.WriteOptions(include_header=False, eol=LINE_END, batch_size=8192)


@dataclass
class ListBatch:
    """Consecutive records of the list: those with the header's width as columns of text
    (`table`, with each one's physical line in `lines`), and the rest as (line, cells)."""

    table: pa.Table
    lines: np.ndarray
    odd_rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.table.num_rows + len(self.odd_rows)


def read_header(source: TextIO) -> tuple[list[str], int]:
    """The header's cells and how many physical lines it takes; ([], 0) for an empty file."""
    reader = csv.reader(source)
    header = next(reader, [])
    return header, reader.line_num


def has_one_record_a_line(path: Path) -> bool:
    """True when every line of the file is one whole record and no line is blank.

    A quoted cell can run onto the next line only if its line holds an odd number of
    quote characters (a quote inside a quoted cell is doubled). Reads the file in blocks,
    so the scan's memory does not grow with the file, and looks at them with NumPy: a
    pass over the bytes rather than a Python loop over the lines.
    """
    tail = b""
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(SCAN_BYTES), b""):
            text = tail + block
            cut = text.rfind(b"\n") + 1
            if cut and not _lines_are_records(text[:cut]):
                return False
            tail = text[cut:] if cut else text
    return not tail or _lines_are_records(tail + b"\n")


def _lines_are_records(lines: bytes) -> bool:
    """Whether these whole lines (the last ending in a line feed) are each one record."""
    if lines.startswith((b"\n", b"\r\n")):
        return False
    text = np.frombuffer(lines, dtype=np.uint8)
    line_ends = np.flatnonzero(text == ord("\n"))
    gaps = np.diff(line_ends)
    if np.any(gaps == 1) or np.any(text[line_ends[:-1][gaps == 2] + 1] == ord("\r")):
        return False  # a blank line, ending in LF or in CR LF
    quotes = np.flatnonzero(text == ord('"'))
    if not len(quotes):
        return True
    quotes_a_line = np.bincount(np.searchsorted(line_ends, quotes))
    return not np.any(quotes_a_line % 2)


def column_names(width: int) -> list[str]:
    """Names for the list's columns by position: a header may repeat a name we do not use."""
    return [f"column {position + 1}" for position in range(width)]


def arrow_batches(
    path: Path, width: int, header_lines: int, rows: int, coded: Collection[int] = ()
) -> Iterator[ListBatch]:
    """The list after its header, `rows` records at most a batch, parsed by pyarrow.

    Only for a list with one record a line and no blank line (`has_one_record_a_line`),
    so each record's physical line follows from its place in the file. A record with the
    wrong number of cells is handed back as an odd row, at its own line. The columns at
    the positions in `coded` come as dictionaries (each distinct text once, and each
    row's index into them), which is how the scorer reads them; they are still text.

    The file is read here, a block of whole lines at a time, and each block parsed on its
    own: pyarrow's streaming reader reads up to 32 blocks ahead, which would hold tens
    of megabytes of a long list in memory for nothing.
    """
    names = column_names(width)
    types = {name: CODED_TEXT if position in coded else pa.string()
             for position, name in enumerate(names)}  # fmt: skip
    odd: deque[tuple[int, str]] = deque()
    next_line = header_lines + 1
    with open(path, "rb") as stream:
        for _ in range(header_lines):
            stream.readline()
        for table in _parsed_blocks(stream, names, types, odd, next_line):
            for start in range(0, max(table.num_rows, 1), rows):
                batch, next_line = _place(table.slice(start, rows), odd, next_line)
                if batch.rows:
                    yield batch
    if odd:
        yield ListBatch(pa.table({name: pa.array([], pa.string()) for name in names}),
                        np.empty(0, dtype=np.int64), [_odd_row(*row) for row in odd])  # fmt: skip


def _parsed_blocks(
    stream: BinaryIO, names: list[str], types: dict, odd: deque[tuple[int, str]], line: int
) -> Iterator[pa.Table]:
    """A table for each block of whole lines, from physical `line` on; odd rows go to `odd`."""
    tail = b""
    for block in iter(lambda: stream.read(BLOCK_BYTES), b""):
        text = tail + block
        cut = text.rfind(b"\n") + 1
        text, tail = text[:cut], text[cut:]
        if text:
            table, lines = _parse(text, names, types, odd, line)
            yield table
            line += lines
    if tail:
        yield _parse(tail, names, types, odd, line)[0]


def _parse(
    text: bytes, names: list[str], types: dict, odd: deque[tuple[int, str]], line: int
) -> tuple[pa.Table, int]:
    """One block's records as a table, and how many lines it held."""
    odd_before = len(odd)

    def keep_odd_row(row: pa_csv.InvalidRow) -> str:
        odd.append((line + row.number - 1, row.text))
        return "skip"

    table = pa_csv.read_csv(
        io.BytesIO(text),
        read_options=pa_csv.ReadOptions(
            use_threads=False,  # the only way pyarrow numbers an odd row by its line
            block_size=len(text) + 1,
            column_names=names,
        ),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=keep_odd_row),
        convert_options=pa_csv.ConvertOptions(
            column_types=types, quoted_strings_can_be_null=False
        ),
    )
    return table, table.num_rows + len(odd) - odd_before


def _place(
    table: pa.Table, odd: deque[tuple[int, str]], next_line: int
) -> tuple[ListBatch, int]:
    """Give each row of `table` its physical line, taking the odd rows that come between."""
    lines = np.empty(table.num_rows, dtype=np.int64)
    odd_rows, placed, line = [], 0, next_line
    while placed < table.num_rows:
        if odd and odd[0][0] <= line:
            odd_rows.append(_odd_row(*odd.popleft()))
            line += 1
            continue
        run = table.num_rows - placed
        if odd:
            run = min(run, odd[0][0] - line)
        lines[placed : placed + run] = np.arange(line, line + run)
        placed, line = placed + run, line + run
    return ListBatch(table, lines, odd_rows), line


def _odd_row(line: int, text: str) -> tuple[int, list[str]]:
    return line, next(csv.reader([text]), [])


def python_batches(
    source: TextIO, width: int, header_lines: int, rows: int
) -> Iterator[ListBatch]:
    """The list after its header, read by Python's csv module, which counts physical lines
    (quoted cells over several lines, blank lines); `rows` records at most a batch."""
    reader = csv.reader(source)
    names = column_names(width)
    records, lines, odd_rows = [], [], []
    previous_line = header_lines
    for cells in reader:
        first_line, previous_line = previous_line + 1, header_lines + reader.line_num
        if not cells:
            continue  # a blank line
        if len(cells) == width:
            records.append(cells)
            lines.append(first_line)
        else:
            odd_rows.append((first_line, cells))
        if len(records) + len(odd_rows) >= rows:
            yield _python_batch(names, records, lines, odd_rows)
            records, lines, odd_rows = [], [], []
    if records or odd_rows:
        yield _python_batch(names, records, lines, odd_rows)


def _python_batch(names, records, lines, odd_rows) -> ListBatch:
    columns = zip(*records, strict=True) if records else [[] for _ in names]
    table = pa.table({name: pa.array(list(cells), pa.string())
                      for name, cells in zip(names, columns, strict=True)})  # fmt: skip
    return ListBatch(table, np.asarray(lines, dtype=np.int64), odd_rows)


def header_line(cells: list[str]) -> bytes:
    """One CSV line of `cells`, quoted only where needed, as the csv module writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow(cells)
    return buffer.getvalue().encode("utf-8")


def write_table(sink: pa.NativeFile, table: pa.Table) -> None:
    """Append `table`'s rows to the output as CSV lines."""
    pa_csv.write_csv(table, sink, WRITE_OPTIONS)
