"""Scoring a practice list in batches of rows, in this process or spread over the CPUs.

Reading a list is quick; scoring it is most of the work. So the reading process cuts
the list into batches of whole records (with their physical line numbers) and each batch
is scored into its output text by `score_batch`, in this process for a small list, or
in worker processes for a large one, so a two-core machine scores a half-million-row
list in about half the time. Either way the same function scores every row, and results
are taken back in the order the batches were read, so the output does not depend on how
many processes did the work.
"""

import concurrent.futures
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from webapp.risk.csv_lines import LINE_END, QuotedRecords, cells_of, csv_cell, csv_line
from webapp.risk.errors import RiskInputError
from webapp.risk.practice_list import PracticeListColumns, RowScorer

BATCH_ROWS = 16_384
# Below this size a list is scored in this process: starting workers would cost more.
IN_PARALLEL_FROM_BYTES = 4 * 1024 * 1024
MOST_WORKERS = 4
RESULT_COLUMNS = ("mof_10y_percent", "hip_10y_percent", "bmi_used", "notes", "error")


@dataclass
class Batch:
    """Records read from the list: their text and the physical line each starts on."""

    first_lines: list[int] = field(default_factory=list)
    records: list[str] = field(default_factory=list)


@dataclass
class ScoredBatch:
    """A batch's output lines, and what the run's summary needs from it."""

    output: str
    major_osteoporotic: list[float]  # in ascending order, not the rows' order
    hip: list[float]
    meeting_nice_cg146: int
    previous_fracture: int
    refused: list[tuple[int, str]]


def read_batches(lines: Iterator[str], header_lines: int = 1) -> Iterator[Batch]:
    """Whole records from `lines`, after a header `header_lines` long, BATCH_ROWS at a time.

    Blank lines are skipped; a record whose quoted cell runs over several lines is kept
    whole, and later records keep their true physical line numbers.
    """
    quoted = QuotedRecords(lines)
    batch = Batch()
    line_number = header_lines
    for line in lines:
        line_number += 1
        first_line = line_number
        if '"' not in line:  # is_plain(line), inlined: it runs for every row
            record = line.rstrip("\r\n")
        else:
            record, _, continuation_lines = quoted.read(line)
            line_number += continuation_lines
        if record:
            batch.first_lines.append(first_line)
            batch.records.append(record)
            if len(batch.records) == BATCH_ROWS:
                yield batch
                batch = Batch()
    if batch.records:
        yield batch


def score_batch(scorer: RowScorer, batch: Batch) -> ScoredBatch:
    """Score every record of `batch`: the hot loop, kept flat because it runs per person.

    A scored record is written as its original text with the results appended, so every
    input cell reaches the output exactly as it was; a refused one is rebuilt from its
    cells, padded or cut to the header's width so the results stay under their headings.
    """
    output, mof_risks, hip_risks, refused = [], [], [], []
    write, score, width = output.append, scorer.score, scorer.width
    meeting_nice_cg146 = previous_fracture = 0
    for first_line, record in zip(batch.first_lines, batch.records, strict=True):
        cells = record.split(",") if '"' not in record else cells_of(record)
        try:
            mof, hip, bmi_used, notes, meets_criteria, had_fracture = score(cells)
        except RiskInputError as problem:
            fitted = cells[:width] + [""] * (width - len(cells))
            write(csv_line([*fitted, *[""] * (len(RESULT_COLUMNS) - 1), str(problem)]))
            refused.append((first_line, str(problem)))
            continue
        mof_risks.append(mof)
        hip_risks.append(hip)
        meeting_nice_cg146 += meets_criteria
        previous_fracture += had_fracture
        write(f"{record},{mof:.6f},{hip:.6f},{bmi_used:.2f},{notes and csv_cell(notes)},{LINE_END}")
    # Sorted here, in parallel, so sorting the whole list's risks for the summary only
    # has to merge these runs.
    mof_risks.sort()
    hip_risks.sort()
    return ScoredBatch(
        "".join(output), mof_risks, hip_risks, meeting_nice_cg146, previous_fracture, refused
    )


def workers_for(size_in_bytes: int) -> int:
    """How many processes to score a list of this size with (1: this process only)."""
    if size_in_bytes < IN_PARALLEL_FROM_BYTES:
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return max(1, min(available or os.cpu_count() or 1, MOST_WORKERS))


Submit = Callable[[Batch], "concurrent.futures.Future[ScoredBatch]"]


@contextlib.contextmanager
def batch_scorer(columns: PracticeListColumns, workers: int) -> Iterator[Submit]:
    """A function that starts scoring a batch and returns a future of its ScoredBatch."""
    if workers <= 1:
        scorer = RowScorer(columns)
        yield lambda batch: _done(score_batch(scorer, batch))
        return
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_process_context(),
        initializer=_start_worker,
        initargs=(columns,),
    ) as executor:
        try:
            yield lambda batch: executor.submit(_score_in_worker, batch)
        except BaseException:
            executor.shutdown(cancel_futures=True)
            raise


def _done(result: ScoredBatch) -> "concurrent.futures.Future[ScoredBatch]":
    future: concurrent.futures.Future[ScoredBatch] = concurrent.futures.Future()
    future.set_result(result)
    return future


def _process_context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds with the equations already loaded; where it
    # does not exist (Windows, macOS default) spawn works, only slower to start.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# Each worker process scores with its own RowScorer (and its own caches).
_worker_scorer: RowScorer | None = None


def _start_worker(columns: PracticeListColumns) -> None:
    global _worker_scorer
    _worker_scorer = RowScorer(columns)


def _score_in_worker(batch: Batch) -> ScoredBatch:
    assert _worker_scorer is not None, "the pool's initializer sets the scorer"
    return score_batch(_worker_scorer, batch)
