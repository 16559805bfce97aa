"""Scoring a batch of a practice list: the columnar engine over its columns, then each
output line: the record as it was written in the list, then the results (risks, BMI
used, notes, reason refused) as CSV cells after it.

Every row that the columnar engine cannot score, and every row with the wrong number of
cells, is given to the row engine, whose RiskInputError is the reason printed: one
wording and one order of checks for both engines. Risks are written with 6 decimals,
the BMI used with 2, exactly as Python's format() rounds them.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from webapp.risk.arrow_arrays import dictionary_encoded, joined, take, text_offsets
from webapp.risk.columnar import COLUMNS_READ, CodedColumn, ColumnarScores, score_columns
from webapp.risk.errors import RiskInputError
from webapp.risk.list_files import LINE_END, ListBatch, column_name, csv_cell, csv_line
from webapp.risk.practice_list import PracticeListColumns, RowScorer

BATCH_ROWS = 65_536
RESULT_COLUMNS = ("mof_10y_percent", "hip_10y_percent", "bmi_used", "notes", "error")
RISK_DECIMALS = 6
BMI_DECIMALS = 2
ON_BONE_TREATMENT = "on_bone_treatment"


@dataclass
class ScoredBatch:
    """A batch's output lines, in the list's order, and what the summary needs from it."""

    output: pa.Array  # text: each line ends with its line end
    major_osteoporotic: np.ndarray  # millionths of a percent, as written (int64)
    hip: np.ndarray
    meeting_nice_cg146: int
    previous_fracture: int
    refused: list[tuple[int, str]]
    scores: ColumnarScores | None = None  # for the report's tally, when there is one
    on_bone_treatment: np.ndarray | None = None  # int8 per row, when the list has it

    @property
    def rows(self) -> int:
        return len(self.hip) + len(self.refused)


class BatchScorer:
    """Scores the batches of one practice list (one per run: the row engine's caches)."""

    def __init__(self, columns: PracticeListColumns, *, for_report: bool = False) -> None:
        self.columns = columns
        self.row_scorer = RowScorer(columns)
        self.for_report = for_report
        positions = {
            name: position for name, position in columns.positions.items()
            if name in COLUMNS_READ or (for_report and name == ON_BONE_TREATMENT)
        }  # fmt: skip
        self.columns_read = sorted(positions.values())  # the positions the batches need
        self.coded_columns = {name: column_name(position) for name, position in positions.items()}

    def score(self, batch: ListBatch) -> ScoredBatch:
        """Score every row of `batch` into its output rows (odd rows at their own lines)."""
        table = batch.table
        cells = {name: coded(table.column(column)) for name, column in self.coded_columns.items()}
        scores = score_columns(self.columns, cells, table.num_rows)
        refused_at = np.flatnonzero(~scores.scored)
        reasons = [self._reason(cells) for cells in self._rows_cells(table, refused_at)]
        mof = fixed_decimals(scores.major_osteoporotic, RISK_DECIMALS, scores.scored)
        hip = fixed_decimals(scores.hip, RISK_DECIMALS, scores.scored)
        bmi = fixed_decimals(scores.bmi_used, BMI_DECIMALS, scores.scored)
        numbers = decimal_texts(
            [(mof, RISK_DECIMALS), (hip, RISK_DECIMALS), (bmi, BMI_DECIMALS)], scores.scored
        )
        output = joined([batch.texts, numbers, _last_cells(scores, refused_at, reasons)], ",")
        refused = list(zip(batch.lines[refused_at].tolist(), reasons, strict=True))
        return ScoredBatch(
            output=self._with_odd_rows(output, batch, refused),
            major_osteoporotic=mof[scores.scored],
            hip=hip[scores.scored],
            meeting_nice_cg146=int(np.count_nonzero(scores.meets_nice_cg146 & scores.scored)),
            previous_fracture=int(np.count_nonzero(scores.previous_fracture & scores.scored)),
            refused=sorted(refused),
            scores=scores if self.for_report else None,
            on_bone_treatment=self._treatment(cells),
        )

    def _rows_cells(self, table: pa.Table, indices: np.ndarray) -> list[list[str]]:
        """The cells of the rows at `indices` as the columnar engine read them, for the row
        engine: the columns neither engine reads are left blank (the table lacks them)."""
        if not len(indices):
            return []
        picked = table.select(list(self.coded_columns.values()))
        picked = take(picked, indices).to_pydict()
        rows = []
        for index in range(len(indices)):
            cells = [""] * self.columns.width
            for name, column in self.coded_columns.items():
                cells[self.columns.positions[name]] = picked[column][index] or ""
            rows.append(cells)
        return rows

    def _reason(self, cells: list[str]) -> str:
        try:
            self.row_scorer.score(cells)
        except RiskInputError as problem:
            return str(problem)
        raise AssertionError(f"the two engines disagree on a row: {cells!r}")

    def _with_odd_rows(
        self, output: pa.Array, batch: ListBatch, refused: list[tuple[int, str]]
    ) -> pa.Array:
        """`output` with each odd row written at its line, all in one array put in order by
        one `take`, so a list whose every row is odd costs what a scored one does. An odd
        row's cells are cut or padded to the header's width, so its reason lands under
        `error`, and written again as CSV."""
        if not batch.odd_rows:
            return output
        width, blanks = self.columns.width, [""] * (len(RESULT_COLUMNS) - 1)
        lines, odd_rows = [], []
        for line, cells in batch.odd_rows:
            reason = self._reason(cells)
            refused.append((line, reason))
            lines.append(line)
            padded = [*cells[:width], *[""] * (width - len(cells))]
            odd_rows.append(csv_line([*padded, *blanks, reason]))
        # Every record and odd row starts on a line of its own: by line is the list's order.
        all_lines = np.concatenate([batch.lines, np.asarray(lines, np.int64)])
        in_order = np.argsort(all_lines, kind="stable")
        every_row = pa.concat_arrays([output, pa.array(odd_rows, pa.string())])
        return take(every_row, in_order)

    def _treatment(self, cells: dict[str, CodedColumn]) -> np.ndarray | None:
        column = cells.get(ON_BONE_TREATMENT)
        if column is None:
            return None
        from webapp.risk.report import read_on_bone_treatment

        return read_on_bone_treatment(column.distinct)[column.codes]


# Coded from its bytes if no more than one cell in this many is not one character long.
MOSTLY_ONE_CHARACTER = 8


def coded(column: pa.ChunkedArray) -> CodedColumn:
    """A column of text as each row's index into its distinct texts (read once each).

    A column whose cells are one character each (a yes/no column of 0s and 1s, sex F/M,
    a category code), but for a few (a blank, a "yes", a mistyped value), is coded
    straight from its bytes, several times faster than hashing, and the few apart.
    """
    array = column.combine_chunks()
    if pa.types.is_dictionary(array.type):
        return _from_dictionary(array)
    if len(array) and array.null_count == 0:
        offsets = text_offsets(array)
        others = np.flatnonzero(np.diff(offsets) != 1)
        if len(others) * MOSTLY_ONE_CHARACTER <= len(array):
            return _coded_by_character(array, offsets, others)
    return _from_dictionary(dictionary_encoded(array, nulls_as_a_value=True))


def _coded_by_character(array: pa.Array, offsets: np.ndarray, others: np.ndarray) -> CodedColumn:
    """`coded` for a column whose cells are one character (one byte: UTF-8 that was checked)
    but for those at `others`: the one-character texts are every character from the lowest
    to the highest present (those not present are read too, harmlessly), and the other
    texts follow them."""
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)
    if not len(others):
        first = int(offsets[0])
        characters = present = data[first : first + len(array)]
    else:
        # Each cell's first byte (most cells are one byte, so there is data); a cell of
        # another length is coded apart below, and an empty last one may start at the end.
        characters = np.take(data, offsets[:-1], mode="clip")
        single = np.ones(len(array), dtype=bool)
        single[others] = False
        present = characters[single]
    lowest, highest = int(present.min()), int(present.max())
    distinct = [chr(character) for character in range(lowest, highest + 1)]
    codes = (characters - lowest).astype(np.intp)
    if len(others):
        texts = take(array, others).to_pylist()
        index = {text: len(distinct) + number for number, text in enumerate(dict.fromkeys(texts))}
        distinct += list(index)
        codes[others] = [index[text] for text in texts]
    return CodedColumn(codes, distinct)


def _from_dictionary(array: pa.DictionaryArray) -> CodedColumn:
    distinct = [text or "" for text in array.dictionary.to_pylist()]
    return CodedColumn(array.indices.to_numpy(zero_copy_only=False), distinct)


def fixed_decimals(values: np.ndarray, decimals: int, written: np.ndarray) -> np.ndarray:
    """`values` in units of their last decimal, as int64 (0 where not `written`), rounded
    exactly as f"{value:.{decimals}f}" rounds them."""
    scale = 10**decimals
    with np.errstate(invalid="ignore"):
        scaled = np.where(written, values, 0.0) * scale
    units = np.rint(scaled).astype(np.int64)
    # Multiplying by the scale can round a value that lies within a hair of a half up
    # or down; those few are rounded by Python itself, from the value.
    doubtful = np.flatnonzero(written & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6))
    for position, value in zip(doubtful.tolist(), values[doubtful].tolist(), strict=True):
        units[position] = int(f"{value:.{decimals}f}".replace(".", ""))
    if np.any(units[written] < 0) or np.any(units[written] >= MOST_WHOLE * 10**decimals):
        raise ValueError(f"a risk or BMI below 0 or of {MOST_WHOLE} or more cannot be written")
    return units


# Two digits as they lie in memory (the first in the low byte): "00" to "99"; and a digit
# with the decimal point after it. Numbers are laid out two characters at a time from these.
DIGIT_PAIRS = np.array([ord(f"{n:02d}"[0]) | ord(f"{n:02d}"[1]) << 8 for n in range(100)], "<u2")
DIGIT_AND_POINT = np.array([ord(str(n)) | ord(".") << 8 for n in range(10)], "<u2")
MOST_WHOLE = 1000  # three digits before the point: risks reach 100, a BMI used far less
COMMA_AND_NOTHING = ord(",")  # a comma, and a byte left out


def decimal_texts(numbers: list[tuple[np.ndarray, int]], written: np.ndarray) -> pa.Array:
    """Each row's numbers as CSV cells, "3.400000,0.970000,27.50": each (units, decimals)
    of `numbers` (whole numbers of the last decimal, each below MOST_WHOLE before it; an
    even number of decimals) written with its decimals, blank where not `written`.

    Every row is laid out in a grid, two characters at a time from a table (a number is
    its whole part in three places, the point, then its decimals), leading zeros and the
    blanks' digits marked as left out, and the grid read back without them: no number is
    formatted one by one.
    """
    rows = len(written)
    pairs = [2 + decimals // 2 for _, decimals in numbers]  # each number's pairs of places
    grid = np.empty((sum(pairs) + len(numbers) - 1, rows), dtype="<u2")
    kept = np.ones((2 * len(grid), rows), dtype=bool)
    lengths = np.full(rows, len(numbers) - 1, dtype=np.int32)  # the commas
    at = 0
    for (units, decimals), width in zip(numbers, pairs, strict=True):
        assert decimals % 2 == 0, "decimals are laid out two at a time"
        whole, fraction = np.divmod(units.astype(np.uint32), np.uint32(10**decimals))
        tens, ones = np.divmod(whole, np.uint32(10))
        np.take(DIGIT_PAIRS, tens, out=grid[at])  # hundreds and tens
        np.take(DIGIT_AND_POINT, ones, out=grid[at + 1])
        for place in range(at + width - 1, at + 1, -1):  # the decimals, last pair first
            fraction, two = np.divmod(fraction, np.uint32(100))
            np.take(DIGIT_PAIRS, two, out=grid[place])
        hundreds, tens_place = kept[2 * at], kept[2 * at + 1]
        np.greater_equal(whole, 100, out=hundreds)
        np.greater_equal(whole, 10, out=tens_place)
        lengths += written * (2 + decimals + hundreds.view(np.int8) + tens_place.view(np.int8))
        kept[2 * at : 2 * (at + width)] &= written
        at += width
        if at < len(grid):
            grid[at] = COMMA_AND_NOTHING
            kept[2 * at + 1] = False
            at += 1
    text = np.ascontiguousarray(grid.T).view(np.uint8)[np.ascontiguousarray(kept.T)]
    offsets = np.zeros(rows + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(text))


def _last_cells(scores: ColumnarScores, refused_at: np.ndarray, reasons: list[str]) -> pa.Array:
    """The last two cells of each output line, with its line end: the notes of a scored row
    (often none), the reason a refused one was refused. Few rows differ, so each distinct
    ending is written once and given to its rows."""
    endings = [f"{csv_cell(note) if note else ''},{LINE_END}" for note in scores.notes.distinct]
    codes = np.array(scores.notes.codes, dtype=np.int32)
    codes[refused_at] = np.arange(len(endings), len(endings) + len(reasons))
    endings += [f",{csv_cell(reason)}{LINE_END}" for reason in reasons]
    return take(pa.array(endings, pa.string()), codes)
