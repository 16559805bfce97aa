"""Case-finding: score a GP practice list (CSV) with the published QFracture-2012 equations.

The output is the input, every column in order, plus the 10-year risks, the BMI used,
notes on anything assumed or bounded, and the reason a row could not be scored. One bad
row never stops the rest: it keeps its line, with blank risks and the reason in `error`.
Only a list that cannot be read at all raises PracticeListError. The output is written
to a temporary file beside the destination and renamed at the end, so a failure never
leaves a half-written list that someone could mistake for a complete one.

Format, outputs and the NICE CG146 counting rules: docs/clinical/case-finding.md.
"""

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from webapp.risk.csv_lines import LINE_END, QuotedRecords, csv_cell, csv_line, is_plain
from webapp.risk.errors import PracticeListError, RiskInputError
from webapp.risk.practice_list import CATEGORY_COLUMNS, PracticeListColumns, RowScorer

RESULT_COLUMNS = ("mof_10y_percent", "hip_10y_percent", "bmi_used", "notes", "error")
PROGRESS_EVERY_ROWS = 8192

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
) -> CaseFindingSummary:
    """Score every row of the practice list at `input_path` into `output_path`.

    `on_refused(line_number, reason)` hears about each row that could not be scored (the
    physical line in the file, the header being line 1); `on_progress(rows_read)` is
    called every few thousand rows. Raises PracticeListError when the list itself cannot
    be read (missing, not UTF-8, not CSV, required columns absent) or written.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise PracticeListError("The output file must not be the input file.")
    with _open_practice_list(input_path) as source, _reading_errors_explained(source):
        quoted = QuotedRecords(source)
        header_text, header = _header(source, quoted, input_path)
        columns = PracticeListColumns.from_header(header)
        with _written_atomically(output_path) as destination:
            destination.write(f"{header_text},{','.join(RESULT_COLUMNS)}{LINE_END}")
            tally = _score_rows(
                source, quoted, destination.write, RowScorer(columns), on_refused, on_progress
            )
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


def _header(source: TextIO, quoted: QuotedRecords, path: Path) -> tuple[str, list[str]]:
    """The header line's text and its column names."""
    line = next(source, "")
    if is_plain(line):
        text = line.rstrip("\r\n")
        header = text.split(",")
    else:
        text, header, _ = quoted.read(line)
    if not text:
        raise PracticeListError(f"{path} has no header row: its first line is empty.")
    return text, header


class _Tally:
    """Counts and risks gathered while scoring, turned into a summary at the end."""

    def __init__(self) -> None:
        self.rows_read = 0
        self.refused = 0
        self.meeting_nice_cg146 = 0
        self.previous_fracture = 0
        self.major_osteoporotic: list[float] = []
        self.hip: list[float] = []

    def refuse(self, cells: list[str], reason: str, width: int) -> str:
        """The output line for a row that cannot be scored: blank risks, reason in `error`.

        The row is rebuilt from its cells, padded or cut to the header's width, so the
        result columns stay under their headings even when it has too many or too few
        values.
        """
        self.refused += 1
        fitted = cells[:width] + [""] * (width - len(cells))
        return csv_line([*fitted, "", "", "", "", reason])

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


def _score_rows(
    source: TextIO,
    quoted: QuotedRecords,
    write: Callable[[str], object],
    scorer: RowScorer,
    on_refused: RefusedRowHandler | None,
    on_progress: ProgressHandler | None,
) -> _Tally:
    """The hot loop: read, score, write and count each row (kept flat: it runs per person).

    A scored row is written as its original text with the results appended, so every
    input cell reaches the output exactly as it was.
    """
    tally = _Tally()
    score, add_mof, add_hip = scorer.score, tally.major_osteoporotic.append, tally.hip.append
    rows_read = meeting_nice_cg146 = previous_fracture = 0
    line_number = 1  # the header
    for line in source:
        line_number += 1
        first_line = line_number
        if '"' not in line:  # is_plain(line), inlined: it runs for every row
            text = line.rstrip("\r\n")
            cells = text.split(",")
        else:
            text, cells, continuation_lines = quoted.read(line)
            line_number += continuation_lines
        if not text:
            continue  # a blank line is not a person
        rows_read += 1
        try:
            mof, hip, bmi_used, notes, meets_criteria, had_fracture = score(cells)
        except RiskInputError as problem:
            write(tally.refuse(cells, str(problem), scorer.width))
            if on_refused is not None:
                on_refused(first_line, str(problem))
            continue
        add_mof(mof)
        add_hip(hip)
        meeting_nice_cg146 += meets_criteria
        previous_fracture += had_fracture
        write(f"{text},{mof:.6f},{hip:.6f},{bmi_used:.2f},{notes and csv_cell(notes)},{LINE_END}")
        if on_progress is not None and not rows_read % PROGRESS_EVERY_ROWS:
            on_progress(rows_read)
    tally.rows_read = rows_read
    tally.meeting_nice_cg146 = meeting_nice_cg146
    tally.previous_fracture = previous_fracture
    return tally


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
