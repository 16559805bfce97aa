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
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

import numpy as np
import pyarrow as pa

from webapp.risk import batches
from webapp.risk.batches import RESULT_COLUMNS, BatchScorer, ScoredBatch
from webapp.risk.errors import PracticeListError
from webapp.risk.list_files import (
    arrow_batches,
    header_line,
    in_order,
    python_batches,
    read_header,
    write_lines,
)
from webapp.risk.practice_list import CATEGORY_COLUMNS, PracticeListColumns

if TYPE_CHECKING:
    from webapp.risk.report import ReportTally

__all__ = ["RESULT_COLUMNS", "CaseFindingSummary", "RiskSpread", "score_practice_list"]
# False reads every list with the csv module (the tests hold the two ways to one output).
READ_WITH_PYARROW = True
# Below this size a list is read and scored in one thread: a second would cost more.
IN_TWO_THREADS_FROM_BYTES = 4 * 1024 * 1024

RefusedRowHandler = Callable[[int, str], None]
WriteLines = Callable[[pa.Array], None]
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
    report: "ReportTally | None" = None,
) -> CaseFindingSummary:
    """Score every row of the practice list at `input_path` into `output_path`.

    `on_refused(line_number, reason)` hears about each row that could not be scored (the
    physical line in the file, the header being line 1), in file order; `on_progress(rows)`
    is called as batches of rows are finished. `workers` is how many threads read and score
    blocks of the list at once (default: one for a small list, two for a large one); the
    output is the same whatever it is. `report`, when given, is a ReportTally that every
    batch's people and refusals are added to. Raises PracticeListError when the list
    itself cannot be read (missing, not UTF-8, required columns absent) or the output
    cannot be written.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise PracticeListError("The output file must not be the input file.")
    with _open_practice_list(input_path) as source, _reading_errors_explained(source):
        header, header_lines = read_header(source)
        if not header:
            raise PracticeListError(f"{input_path} has no header row: its first line is empty.")
        columns = PracticeListColumns.from_header(header)
        if workers is None:
            workers = workers_for(os.fstat(source.fileno()).st_size)
        scorer = BatchScorer(columns, for_report=report is not None)
        scored_batches = _scored_batches(input_path, source, header_lines, scorer, workers)
        with (
            _written_atomically(output_path) as destination,
            _lines_writer(destination, workers) as write,
        ):
            destination.write(header_line([*header, *RESULT_COLUMNS]))
            tally = _Tally(write, on_refused, on_progress, report)
            for scored in scored_batches:
                tally.add(scored)
    return tally.summary(_assumptions(columns))


def workers_for(size_in_bytes: int) -> int:
    """How many threads to score a list of this size with."""
    return 1 if size_in_bytes < IN_TWO_THREADS_FROM_BYTES else 2


def _scored_batches(
    path: Path, source: TextIO, header_lines: int, scorer: BatchScorer, workers: int
) -> Iterator[ScoredBatch]:
    """The list's records scored, batch by batch, in the list's order: read by pyarrow
    while each line is one record (nearly every list), each batch scored by the thread
    that parsed it; else by the csv module, which keeps count of physical lines, with
    `workers` threads scoring its batches."""
    width = scorer.columns.width
    if header_lines == 1 and READ_WITH_PYARROW:
        return arrow_batches(path, width, header_lines, batches.BATCH_ROWS, workers,
                             scorer.columns_read, then=scorer.score)  # fmt: skip
    read = python_batches(source, width, header_lines, batches.BATCH_ROWS)
    jobs = ((batch,) for batch in read)
    return (scored for _, scored in in_order(scorer.score, jobs, workers, "score-list"))


@contextlib.contextmanager
def _lines_writer(destination: BinaryIO, workers: int) -> Iterator[WriteLines]:
    """A function that writes scored lines to `destination` in the order given: at once
    with one worker, else in a thread of its own (a file write does not hold the
    interpreter), at most two batches behind, so memory stays bounded."""
    if workers <= 1:
        yield lambda lines: write_lines(destination, lines)
        return
    pending: collections.deque[concurrent.futures.Future[None]] = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="write-list") as writer:

        def write(lines: pa.Array) -> None:
            pending.append(writer.submit(write_lines, destination, lines))
            while len(pending) > 2 or (pending and pending[0].done()):
                pending.popleft().result()

        try:
            yield write
            while pending:
                pending.popleft().result()
        except BaseException:
            writer.shutdown(cancel_futures=True)
            raise


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
        raise PracticeListError(_not_utf8(source.name)) from problem
    except pa.ArrowInvalid as problem:
        if "UTF8" in str(problem):
            raise PracticeListError(_not_utf8(source.name)) from problem
        raise PracticeListError(_not_csv(source.name, problem)) from problem
    except csv.Error as problem:
        raise PracticeListError(_not_csv(source.name, problem)) from problem


def _not_csv(name: str, problem: Exception) -> str:
    return f"{name} is not a readable CSV file: {problem}."


def _not_utf8(name: str) -> str:
    return f"{name} is not UTF-8 text; save it as 'CSV UTF-8' and try again."


@contextlib.contextmanager
def _written_atomically(path: Path) -> Iterator[BinaryIO]:
    """A file that becomes `path` only if the block finishes; otherwise it is removed.

    It is created readable by its owner only (it holds patients' details), and the
    block's exceptions include KeyboardInterrupt and the signals the CLI turns into one.
    """
    # The name is chosen before the file is made, and the file made inside the `try`: a
    # signal can land the moment after it appears, before any name would be handed back.
    temporary: Path | None = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        try:
            made = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as problem:
            if isinstance(problem, FileExistsError):
                temporary = None  # another run's, not ours to remove
            raise PracticeListError(f"Cannot write {path}: {problem.strerror}.") from problem
        # Written through the descriptor that made it: a file opened again to be written
        # is truncated, and ext4 writes out a file truncated that way when it is closed,
        # there and then (30 ms of a 55 MB scored list), rather than in its own time.
        with open(made, "wb") as destination:
            yield destination
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` by way of a temporary file beside it, so a reader
    never sees half of it; raises PracticeListError when it cannot be written."""
    with _written_atomically(path) as destination:
        destination.write(text.encode("utf-8"))


class _Tally:
    """Writes scored batches in order and gathers what the summary needs from them."""

    def __init__(
        self,
        write: WriteLines,
        on_refused: RefusedRowHandler | None,
        on_progress: ProgressHandler | None,
        report: "ReportTally | None",
    ) -> None:
        self._write, self._report = write, report
        self._on_refused, self._on_progress = on_refused, on_progress
        self.rows_read = self.refused = self.meeting_nice_cg146 = self.previous_fracture = 0
        # Risks as written, in millionths of a percent: 8 bytes a person for the centiles.
        self.major_osteoporotic: list[np.ndarray] = []
        self.hip: list[np.ndarray] = []

    def add(self, batch: ScoredBatch) -> None:
        self._write(batch.output)
        self.major_osteoporotic.append(batch.major_osteoporotic.astype(np.int32))
        self.hip.append(batch.hip.astype(np.int32))
        self.meeting_nice_cg146 += batch.meeting_nice_cg146
        self.previous_fracture += batch.previous_fracture
        self.refused += len(batch.refused)
        self.rows_read += batch.rows
        if self._report is not None:
            _add_to_report(self._report, batch)
        if self._on_refused is not None:
            for line_number, reason in batch.refused:
                self._on_refused(line_number, reason)
        if self._on_progress is not None:
            self._on_progress(self.rows_read)

    def summary(self, assumptions: tuple[str, ...]) -> CaseFindingSummary:
        scale = 10**batches.RISK_DECIMALS
        scored = sum(len(risks) for risks in self.hip)
        # The two spreads are found side by side: NumPy partitions without holding the
        # interpreter, and each takes some 10 ms of a half-million-row list.
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="spread") as helper:
            hip = helper.submit(_spread_of_batches, self.hip, scale)
            major_osteoporotic = _spread_of_batches(self.major_osteoporotic, scale)
            return CaseFindingSummary(
                rows_read=self.rows_read,
                rows_scored=scored,
                rows_refused=self.refused,
                meeting_nice_cg146=self.meeting_nice_cg146,
                previous_fracture=self.previous_fracture,
                major_osteoporotic=major_osteoporotic,
                hip=hip.result(),
                assumptions=assumptions,
            )


def _spread_of_batches(risks: list[np.ndarray], scale: int) -> RiskSpread | None:
    """The spread of the batches' risks, which are let go of as they are joined (a
    16-million-row list's are 64 MiB for each risk)."""
    joined = np.concatenate([np.empty(0, np.int32), *risks])
    risks.clear()
    return _spread_in_place(joined, scale)


def _add_to_report(report: "ReportTally", batch: ScoredBatch) -> None:
    """The batch's scored people and refusals, added to the report's counts."""
    from webapp.risk.report import ScoredColumns

    scores = batch.scores
    assert scores is not None, "a batch scored for a report keeps its scores"
    scored = scores.scored
    treatment = batch.on_bone_treatment
    report.add_scored(
        ScoredColumns(
            female=scores.female[scored],
            age=scores.age[scored],
            major_osteoporotic=scores.major_osteoporotic[scored],
            hip=scores.hip[scored],
            meets_nice_cg146=scores.meets_nice_cg146[scored],
            previous_fracture=scores.previous_fracture[scored],
            on_bone_treatment=None if treatment is None else treatment[scored],
        )
    )
    report.add_refused(reason for _, reason in batch.refused)


def spread_of(risks: Sequence[float] | np.ndarray, scale: int = 1) -> RiskSpread | None:
    """Lowest, median, 90th centile and highest of `risks` (None when there are none);
    `scale` says what they are in (10**6: millionths of a percent).

    Centiles interpolate linearly between the two nearest ranks (the method spreadsheets
    call PERCENTILE.INC), so the median of an even count is the mean of the middle two.
    """
    return _spread_in_place(np.array(risks), scale)


def _spread_in_place(values: np.ndarray, scale: int) -> RiskSpread | None:
    """spread_of, reordering `values` itself: only the ranks needed are put in place (a
    partition, not a sort, and no copy)."""
    if not len(values):
        return None
    last = len(values) - 1
    ranks = {0, last}
    for fraction in (0.5, 0.9):
        below = int(last * fraction)
        ranks |= {below, min(below + 1, last)}
    values.partition(sorted(ranks))

    def centile(fraction: float) -> float:
        position = last * fraction
        below = int(position)
        low, high = values[below] / scale, values[min(below + 1, last)] / scale
        return float(low + (high - low) * (position - below))

    return RiskSpread(
        float(values[0] / scale), centile(0.5), centile(0.9), float(values[last] / scale)
    )


def _assumptions(columns: PracticeListColumns) -> tuple[str, ...]:
    """One line for each category column the list lacks, so a run can say so once."""
    return tuple(
        f"No {name} column: every row {assumption}."
        for name, (_, _, assumption) in CATEGORY_COLUMNS.items()
        if name in columns.absent([name])
    )
