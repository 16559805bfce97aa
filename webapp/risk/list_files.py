"""Reading a practice list's CSV with pyarrow a block at a time, and writing the scored lines.

pyarrow's CSV reader parses a block of the file into columns in C++, every cell kept as
text ("007" stays "007"). The file is read here in blocks of whole lines, each parsed on
its own (two at once with two workers), so a list of any length is read in a memory
bounded by the block size. Each record is also kept as the text it was in the list, so
the output copies its cells through exactly as they were written, quotes and all, with
the results appended: nothing is quoted or formatted again.

The one thing the fast reader cannot tell us is where a record starts when one record
takes several physical lines (a quoted cell with a line break) or blank lines come
between records. A refused row must be reported by its physical line, so each block's
records are counted against its lines (a cheap count of line feeds): from the first
block where they differ, the rest of the list is read by Python's csv module instead,
which counts physical lines, and goes through the same scoring and writing.
"""

import concurrent.futures
import csv
import io
import re
from collections import deque
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from webapp.risk.arrow_arrays import kept, text_offsets, without_trailing

LINE_END = "\r\n"  # RFC 4180, as the list was always written
BLOCK_BYTES = 4 << 20  # read and parsed as one batch: some 45,000 rows of a list
NEEDS_QUOTES = re.compile(r'[,"\r\n]')  # what makes the csv module quote a cell
PARSE_BYTES = 1 << 20  # pyarrow parses a batch in pieces this size: half the work of one piece
NEWLINE = ord("\n")
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class ListBatch:
    """Consecutive records of the list: those with the header's width as columns of text
    (`table`, with each one's physical line in `lines` and its text as written in the list,
    without its line end, in `texts`), and the rest as (line, cells)."""

    table: pa.Table
    lines: np.ndarray
    texts: pa.Array
    odd_rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.table.num_rows + len(self.odd_rows)


@dataclass
class _Block:
    """One block of whole lines: where it starts, and pyarrow's reading of it (None when
    its records are not one a line, or pyarrow could not read it)."""

    offset: int
    table: pa.Table | None = None
    texts: pa.Array | None = None  # each record of `table` as written
    odd_rows: list[tuple[int, str]] = field(default_factory=list)  # (line in block, text)


def read_header(source: TextIO) -> tuple[list[str], int]:
    """The header's cells and how many physical lines it takes; ([], 0) for an empty file."""
    reader = csv.reader(source)
    header = next(reader, [])
    return header, reader.line_num


def column_name(position: int) -> str:
    """A name for the list's column by position: a header may repeat a name we do not use."""
    return f"column {position + 1}"


def column_names(width: int) -> list[str]:
    return [column_name(position) for position in range(width)]


def arrow_batches(
    path: Path,
    width: int,
    header_lines: int,
    rows: int,
    parsers: int,
    columns_read: Collection[int] | None,
    then: Callable[[ListBatch], T],
) -> Iterator[T]:
    """The list after its header, `rows` records at most a batch, parsed by pyarrow, each
    batch handed to `then` and what it gives back yielded, in the list's order.

    Each record's physical line follows from its place in the file while every line is
    one record; from the first block where that fails, the csv module reads the rest
    (`python_batches`). A record with the wrong number of cells is handed back as an odd
    row, at its own line. Only the columns at the positions `columns_read` (every one
    when None) are made into the table's columns: the others are only in each record's
    text, and a list may have many (names, addresses) that nothing reads.

    With more than one parser, blocks are parsed side by side, and each thread hands the
    batches it parsed to `then` straight away (pyarrow parses, and NumPy computes, without
    holding the interpreter): a batch is worked on while it is still in that core's
    cache, and never passed from thread to thread.
    """
    names = column_names(width)
    read = names if columns_read is None else [names[position] for position in sorted(columns_read)]

    def work(
        offset: int, text: bytearray, first_line: int, line_ends: np.ndarray
    ) -> list[T] | None:
        block = _parse(offset, text, line_ends, names, read)
        if block.table is None:
            return None  # the csv module reads on from this block
        return [then(batch) for batch in _block_batches(block, first_line, rows, read)]

    with open(path, "rb") as stream:
        for _ in range(header_lines):
            stream.readline()
        blocks = _numbered_blocks(stream, header_lines + 1)
        for (offset, _, first_line, _), done in in_order(work, blocks, parsers, "read-list"):
            if done is None:
                with _text_from(path, offset) as rest:
                    yield from map(then, python_batches(rest, width, first_line - 1, rows))
                return
            yield from done


def _numbered_blocks(
    stream: BinaryIO, first_line: int
) -> Iterator[tuple[int, bytearray, int, np.ndarray]]:
    """(byte offset, text, the number of its first line, where each of its line feeds is)
    for each block of whole lines. The line feeds are found here, once: the next block's
    first line is numbered from them, and the block's records are cut at them."""
    for offset, text in _line_blocks(stream):
        line_ends = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == NEWLINE)
        yield offset, text, first_line, line_ends
        first_line += len(line_ends)


def in_order(
    work: Callable[..., R], jobs: Iterator[tuple], workers: int, name: str
) -> Iterator[tuple[tuple, R]]:
    """(job, work(*job)) for each job, in the jobs' order: one at a time with one worker,
    else in `workers` threads, at most `workers` + 1 jobs ahead of the one handed back (so
    memory stays bounded). Jobs not yet started are dropped if the caller stops early or
    is interrupted."""
    if workers <= 1:
        yield from ((job, work(*job)) for job in jobs)
        return
    pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix=name)
    try:
        pending: deque[tuple[tuple, concurrent.futures.Future[R]]] = deque()
        for job in jobs:
            pending.append((job, pool.submit(work, *job)))
            if len(pending) > workers + 1:
                job, future = pending.popleft()
                yield job, future.result()
        while pending:
            job, future = pending.popleft()
            yield job, future.result()
    finally:
        pool.shutdown(cancel_futures=True)


def _block_batches(
    block: "_Block", first_line: int, rows: int, read: list[str]
) -> Iterator[ListBatch]:
    """A block pyarrow read, as batches of at most `rows` records, each record and odd row
    at its physical line (the block's first line being `first_line`)."""
    table, texts = block.table, block.texts
    assert table is not None and texts is not None, "a block pyarrow read"
    odd = deque((first_line + number - 1, text) for number, text in block.odd_rows)
    next_line = first_line
    for start in range(0, table.num_rows, rows):
        records = table.slice(start, rows), texts.slice(start, rows)
        batch, next_line = _place(*records, odd, next_line)
        yield batch
    if odd:
        yield _odd_only(read, odd)


def _odd_only(names: list[str], odd: deque[tuple[int, str]]) -> ListBatch:
    rows = [_odd_row(*odd.popleft()) for _ in range(len(odd))]
    empty = pa.table({name: pa.array([], pa.string()) for name in names})
    return ListBatch(empty, np.empty(0, dtype=np.int64), pa.array([], pa.string()), rows)


def _text_from(path: Path, offset: int) -> TextIO:
    """The list as text from byte `offset` (the start of a line) to its end."""
    raw = open(path, "rb")  # closed with the text wrapper, when the reading is done
    raw.seek(offset)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def _line_blocks(stream: BinaryIO) -> Iterator[tuple[int, bytearray]]:
    """(byte offset, text) for the rest of the file in blocks of whole lines (the last may
    lack its line end). Each block is read straight into its own buffer after the line
    carried over from the one before, so no block is copied on the way."""
    offset, tail = stream.tell(), b""
    while True:
        # One size for every block, so the allocator reuses the memory of blocks done
        # with rather than mapping fresh pages each time (at least half of it is read).
        text = bytearray(max(BLOCK_BYTES, 2 * len(tail)))
        text[: len(tail)] = tail
        read = stream.readinto(memoryview(text)[len(tail) :])
        if not read:
            break
        del text[len(tail) + read :]  # the last block, shorter
        cut = text.rfind(b"\n") + 1
        tail = bytes(text[cut:])
        del text[cut:]
        if text:
            yield offset, text
            offset += len(text)
    if tail:
        yield offset, bytearray(tail)


def _parse(
    offset: int, text: bytearray, line_ends: np.ndarray, names: list[str], read: list[str]
) -> _Block:
    """One block's records, if every line of it is one record (its line feeds are at
    `line_ends`): of its columns `names`, those in `read` only."""
    block = _Block(offset)

    def keep_odd_row(row: pa_csv.InvalidRow) -> str:
        block.odd_rows.append((row.number, row.text))
        return "skip"

    try:
        # Python's own check of the whole block is several times faster than pyarrow's of
        # each cell (which is turned off): an ASCII block is checked at memory speed.
        text.decode("utf-8")
    except UnicodeDecodeError:
        return _Block(offset)  # the csv module will say what is wrong
    try:
        table = _read_csv(text, names, read, None)
    except pa.ArrowInvalid:
        # Nearly always a row with the wrong number of cells: read the block again, each
        # such row kept with its line (a handler from the start would slow every block).
        try:
            table = _read_csv(text, names, read, keep_odd_row)
        except pa.ArrowInvalid:
            return _Block(offset)  # the csv module will say what is wrong, by line
    line_starts = line_ends + 1
    lines = len(line_starts) + (not text.endswith(b"\n"))
    # A quoted cell that runs on past the block: on two lines or more of it, pyarrow finds
    # fewer records than lines; on its last line alone, that line has an open quote.
    last_line = text[text.rfind(b"\n", 0, len(text) - 1) + 1 :]
    if table.num_rows + len(block.odd_rows) == lines and not last_line.count(b'"') % 2:
        block.table = table
        odd_lines = [number for number, _ in block.odd_rows]
        block.texts = _record_texts(text, line_starts, odd_lines)
    return block


def _read_csv(text: bytearray, names: list[str], read: list[str], on_odd_row) -> pa.Table:
    return pa_csv.read_csv(
        pa.BufferReader(text),
        read_options=pa_csv.ReadOptions(
            use_threads=False,  # the only way pyarrow numbers an odd row by its line
            block_size=PARSE_BYTES,
            column_names=names,
        ),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=on_odd_row),
        convert_options=pa_csv.ConvertOptions(
            include_columns=read,
            column_types=dict.fromkeys(read, pa.string()),
            quoted_strings_can_be_null=False,
            check_utf8=False,  # checked already, in _parse
        ),
    )


def _record_texts(text: bytearray, line_starts: np.ndarray, odd_lines: list[int]) -> pa.Array:
    """Each line of `text` (after the first, they start at `line_starts`) without its line
    end, but for the lines numbered (from 1) in `odd_lines`: the records of a block whose
    every line is one record, in order."""
    ends = [] if text.endswith(b"\n") else [len(text)]
    offsets = np.concatenate([[0], line_starts, ends]).astype(np.int32)
    lines = pa.StringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(text)
    )
    # Every line is one record here, so a CR can only be part of its CRLF line end.
    lines = without_trailing(lines, "\r\n")
    if not odd_lines:
        return lines
    records = np.ones(len(lines), dtype=bool)
    records[np.asarray(odd_lines) - 1] = False
    return kept(lines, records)


def _place(
    table: pa.Table, texts: pa.Array, odd: deque[tuple[int, str]], next_line: int
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
    return ListBatch(table, lines, texts, odd_rows), line


def _odd_row(line: int, text: str) -> tuple[int, list[str]]:
    return line, next(csv.reader([text]), [])


def python_batches(
    source: TextIO, width: int, lines_before: int, rows: int
) -> Iterator[ListBatch]:
    """The list from where `source` stands (after `lines_before` physical lines), read by
    Python's csv module, which counts physical lines (quoted cells over several lines,
    blank lines); `rows` records at most a batch."""
    read_lines = _LinesKept(source)
    reader = csv.reader(read_lines)
    names = column_names(width)
    records, lines, texts, odd_rows = [], [], [], []
    previous_line = lines_before
    for cells in reader:
        first_line, previous_line = previous_line + 1, lines_before + reader.line_num
        text = read_lines.take()
        if not cells:
            continue  # a blank line
        if len(cells) == width:
            records.append(cells)
            lines.append(first_line)
            texts.append(_without_line_end(text))
        else:
            odd_rows.append((first_line, cells))
        if len(records) + len(odd_rows) >= rows:
            yield _python_batch(names, records, lines, texts, odd_rows)
            records, lines, texts, odd_rows = [], [], [], []
    if records or odd_rows:
        yield _python_batch(names, records, lines, texts, odd_rows)


class _LinesKept:
    """The lines of `source`, each also kept until `take` hands back those of one record:
    the csv module asks for a record's lines one by one, and for no more."""

    def __init__(self, source: TextIO) -> None:
        self._source, self._kept = source, []

    def __iter__(self) -> "_LinesKept":
        return self

    def __next__(self) -> str:
        line = next(self._source)
        self._kept.append(line)
        return line

    def take(self) -> str:
        text = "".join(self._kept)
        self._kept.clear()
        return text


def _without_line_end(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith(("\n", "\r")) else text


def _python_batch(names, records, lines, texts, odd_rows) -> ListBatch:
    columns = zip(*records, strict=True) if records else [[] for _ in names]
    table = pa.table({name: pa.array(list(cells), pa.string())
                      for name, cells in zip(names, columns, strict=True)})  # fmt: skip
    return ListBatch(table, np.asarray(lines, dtype=np.int64), pa.array(texts, pa.string()),
                     odd_rows)  # fmt: skip


def csv_line(cells: list[str]) -> str:
    """One CSV line of `cells`, quoted only where needed, as the csv module writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow(cells)
    return buffer.getvalue()


def csv_cell(text: str) -> str:
    """`text` (not empty) as one CSV cell, quoted only where needed, as csv_line quotes it:
    in double quotes, each one inside doubled."""
    if not NEEDS_QUOTES.search(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def header_line(cells: list[str]) -> bytes:
    return csv_line(cells).encode("utf-8")


def write_lines(sink: BinaryIO, lines: pa.Array) -> None:
    """Append `lines` (text that ends each with its line end) to the output: their bytes
    lie end to end in the array's data, so they are written as one piece."""
    if not len(lines):
        return
    offsets = text_offsets(lines)
    start, end = int(offsets[0]), int(offsets[-1])
    sink.write(lines.buffers()[2][start:end])
