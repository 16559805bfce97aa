"""Case-finding: score a GP practice list (CSV) with the published QFracture-2012 equations.

The output is the input, every column in order, plus the 10-year risks, the BMI used,
notes on anything assumed or bounded, and the reason a row could not be scored. One bad
row never stops the rest: it keeps its line, with blank risks and the reason in `error`.
Only a list that cannot be read at all raises PracticeListError. The output is written
to a temporary file beside the destination and renamed at the end, so a failure never
leaves a half-written list that someone could mistake for a complete one.

Format, outputs and the NICE CG146 counting rules: docs/clinical/case-finding.md.
"""

import collections
import concurrent.futures
import contextlib
import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from webapp.risk.batches import (
    RESULT_COLUMNS,
    Batch,
    ScoredBatch,
    Submit,
    batch_scorer,
    read_batches,
    workers_for,
)
from webapp.risk.csv_lines import LINE_END, QuotedRecords, cells_of, is_plain
from webapp.risk.errors import PracticeListError
from webapp.risk.practice_list import CATEGORY_COLUMNS, PracticeListColumns

RefusedRowHandler = Callable[[int, str], None]
ProgressHandler = Callable[[int], None]


@dataclass(frozen=True)
class RiskSpread:
    """How 10-year risks (percent) spread across the scored rows."""

    lowest: float
    median: float
    centile_90: float
    highest: float


@dataclass(frozen=True)
class CaseFindingSummary:
    """What a scored practice list holds, for the lines printed at the end of a run."""

    rows_read: int
    rows_scored: int
    rows_refused: int
    meeting_nice_cg146: int
    previous_fracture: int
    major_osteoporotic: RiskSpread | None
    hip: RiskSpread | None
    assumptions: tuple[str, ...]


def score_practice_list(
    input_path: Path,
    output_path: Path,
    *,
    on_refused: RefusedRowHandler | None = None,
    on_progress: ProgressHandler | None = None,
    workers: int | None = None,
) -> CaseFindingSummary:
    """Score every row of the practice list at `input_path` into `output_path`.

    `on_refused(line_number, reason)` hears about each row that could not be scored (the
    physical line in the file, the header being line 1), in file order; `on_progress(rows)`
    is called as batches of rows are finished. `workers` is how many processes score
    (default: one for a small list, one per CPU up to four for a large one); the output
    is the same whatever it is. Raises PracticeListError when the list itself cannot be
    read (missing, not UTF-8, required columns absent) or the output cannot be written.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise PracticeListError("The output file must not be the input file.")
    with _open_practice_list(input_path) as source, _reading_errors_explained(source):
        header_text, header_lines = _header(source, input_path)
        header = cells_of(header_text)
        columns = PracticeListColumns.from_header(header)
        if workers is None:
            workers = workers_for(os.fstat(source.fileno()).st_size)
        with (
            _written_atomically(output_path) as destination,
            batch_scorer(columns, workers) as submit,
        ):
            destination.write(f"{header_text},{','.join(RESULT_COLUMNS)}{LINE_END}")
            tally = _Tally(destination.write, on_refused, on_progress)
            _score_in_order(read_batches(source, header_lines), submit, workers, tally)
    return tally.summary(_assumptions(columns))


@contextlib.contextmanager
def _open_practice_list(path: Path) -> Iterator[TextIO]:
    try:
        # utf-8-sig accepts the byte-order mark that Excel's "CSV UTF-8" adds.
        source = open(path, encoding="utf-8-sig", newline="")
    except OSError as problem:
        raise PracticeListError(f"Cannot read {path}: {problem.strerror}.") from problem
    with source:
        yield source


@contextlib.contextmanager
def _reading_errors_explained(source: TextIO) -> Iterator[None]:
    """Turn decoding and CSV errors, wherever they surface, into one clear message."""
    try:
        yield
    except UnicodeDecodeError as problem:
        raise PracticeListError(
            f"{source.name} is not UTF-8 text; save it as 'CSV UTF-8' and try again."
        ) from problem
    except csv.Error as problem:
        raise PracticeListError(
            f"{source.name} is not a readable CSV file: {problem}."
        ) from problem


@contextlib.contextmanager
def _written_atomically(path: Path) -> Iterator[TextIO]:
    """A file that becomes `path` only if the block finishes; otherwise it is removed."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as problem:
        raise PracticeListError(f"Cannot write {path}: {problem.strerror}.") from problem
    try:
        with open(handle, "w", encoding="utf-8", newline="") as destination:
            yield destination
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _header(source: TextIO, path: Path) -> tuple[str, int]:
    """The header's text and how many lines it takes (more than one only if a quoted
    column name holds a line break)."""
    line, lines = next(source, ""), 1
    if not is_plain(line):
        line, _, continuation_lines = QuotedRecords(source).read(line)
        lines += continuation_lines
    text = line.rstrip("\r\n")
    if not text:
        raise PracticeListError(f"{path} has no header row: its first line is empty.")
    return text, lines


def _score_in_order(
    batches: Iterator[Batch], submit: Submit, workers: int, tally: "_Tally"
) -> None:
    """Score the batches, taking each result back in the order the batches were read."""
    pending: collections.deque[concurrent.futures.Future[ScoredBatch]] = collections.deque()
    for batch in batches:
        pending.append(submit(batch))
        # A few batches in hand keep every worker busy without reading the whole list in.
        if len(pending) > 2 * workers:
            tally.add(pending.popleft().result())
    while pending:
        tally.add(pending.popleft().result())


class _Tally:
    """Writes scored batches in order and gathers what the summary needs from them."""

    def __init__(
        self,
        write: Callable[[str], object],
        on_refused: RefusedRowHandler | None,
        on_progress: ProgressHandler | None,
    ) -> None:
        self._write, self._on_refused, self._on_progress = write, on_refused, on_progress
        self.rows_read = self.refused = self.meeting_nice_cg146 = self.previous_fracture = 0
        self.major_osteoporotic: list[float] = []
        self.hip: list[float] = []

    def add(self, batch: ScoredBatch) -> None:
        self._write(batch.output)
        self.major_osteoporotic += batch.major_osteoporotic
        self.hip += batch.hip
        self.meeting_nice_cg146 += batch.meeting_nice_cg146
        self.previous_fracture += batch.previous_fracture
        self.refused += len(batch.refused)
        self.rows_read += len(batch.hip) + len(batch.refused)
        if self._on_refused is not None:
            for line_number, reason in batch.refused:
                self._on_refused(line_number, reason)
        if self._on_progress is not None:
            self._on_progress(self.rows_read)

    def summary(self, assumptions: tuple[str, ...]) -> CaseFindingSummary:
        return CaseFindingSummary(
            rows_read=self.rows_read,
            rows_scored=len(self.hip),
            rows_refused=self.refused,
            meeting_nice_cg146=self.meeting_nice_cg146,
            previous_fracture=self.previous_fracture,
            major_osteoporotic=spread_of(self.major_osteoporotic),
            hip=spread_of(self.hip),
            assumptions=assumptions,
        )


def spread_of(risks: list[float]) -> RiskSpread | None:
    """Lowest, median, 90th centile and highest of `risks` (None when there are none).

    Centiles interpolate linearly between the two nearest ranks (the method spreadsheets
    call PERCENTILE.INC), so the median of an even count is the mean of the middle two.
    """
    if not risks:
        return None
    ordered = sorted(risks)
    return RiskSpread(ordered[0], _centile(ordered, 0.5), _centile(ordered, 0.9), ordered[-1])


def _centile(ordered: list[float], fraction: float) -> float:
    position = (len(ordered) - 1) * fraction
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _assumptions(columns: PracticeListColumns) -> tuple[str, ...]:
    """One line for each category column the list lacks, so a run can say so once."""
    return tuple(
        f"No {name} column: every row {assumption}."
        for name, (_, _, assumption) in CATEGORY_COLUMNS.items()
        if name in columns.absent([name])
    )
