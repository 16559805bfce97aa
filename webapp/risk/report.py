"""The case-finding report: one self-contained HTML page of counts from a scored list.

`flask risk score INPUT --output OUTPUT --report REPORT.html` builds a `ReportTally` for
the run and writes `render_report(...)` to REPORT.html. How the engine uses it:

- `ReportTally(cut_offs)` once per run (only when a report is asked for);
- `add_scored(ScoredColumns(...))` once per batch, in the worker that scored it, with
  that batch's scored people only (refused rows are not in the arrays); when the list has
  an `on_bone_treatment` column (ON_BONE_TREATMENT_COLUMN, matched like the others in any
  case), `read_on_bone_treatment(cells)` turns its cells into the int8 codes, so a bad
  value there never refuses a row;
- `add_refused(reasons)` with each refused row's reason exactly as the CLI prints it
  (the tally groups them and drops any quoted cell: see webapp/risk/refusals.py);
- each worker returns its tally with the batch; the parent `merge`s them (merging is
  plain addition of counts, so the order does not matter and the page is the same
  whatever the number of workers);
- `render_report(tally, list_name=..., generated_at=...)` for the page, written
  atomically as the scored list is (`list_name`: what the page is about, e.g. the input
  file's name; it is escaped, never markup);
- `--cut-off` values go through `cut_offs_from(texts)` (defaults DEFAULT_CUT_OFFS), whose
  ValueError message is written for the person typing the command.

A tally holds only counts, per-band totals and two sums of risks: nothing about any one
person, so it is small to pickle between processes and safe to share. The figures,
sources and choices behind the page are in docs/clinical/impact.md.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from webapp.risk.practice_list import YES_NO_VALUES
from webapp.risk.refusals import reason_group


@dataclass(frozen=True)
class CutOffs:
    """Cut-offs on QFracture-2012 10-year risks, in percent (not NOGG's FRAX thresholds)."""

    major_osteoporotic: float
    hip: float


# Why these defaults: docs/clinical/impact.md, "Default cut-offs".
DEFAULT_CUT_OFFS = CutOffs(major_osteoporotic=10.0, hip=5.0)
_CUT_OFF_NAMES = {"mof": "major_osteoporotic", "major_osteoporotic": "major_osteoporotic",
                  "hip": "hip"}  # fmt: skip


def parse_cut_off(text: str) -> tuple[str, float]:
    """Read one `--cut-off` value ("mof=10", "hip=3") as (CutOffs field name, percent).

    Raises ValueError with a message for the person typing the command.
    """
    name, equals, value = text.partition("=")
    field = _CUT_OFF_NAMES.get(name.strip().lower())
    if not equals or field is None:
        raise ValueError(
            f"A cut-off is written mof=PERCENT or hip=PERCENT (for example mof=10); got {text!r}."
        )
    try:
        percent = float(value)
    except ValueError:
        percent = float("nan")
    if not 0 < percent < 100:
        raise ValueError(
            f"The {name.strip().lower()} cut-off must be a 10-year risk in percent, more than 0 "
            f"and less than 100; got {value.strip()!r}."
        )
    return field, percent


def cut_offs_from(texts: Iterable[str], defaults: CutOffs = DEFAULT_CUT_OFFS) -> CutOffs:
    """The defaults with each `--cut-off` given applied in turn (a later one wins)."""
    values = {"major_osteoporotic": defaults.major_osteoporotic, "hip": defaults.hip}
    for text in texts:
        field, percent = parse_cut_off(text)
        values[field] = percent
    return CutOffs(**values)


@dataclass
class ScoredColumns:
    """One batch's scored people (refused rows not included); numpy arrays of equal length.

    `on_bone_treatment` is int8: 1 yes, 0 no, -1 blank or unreadable (read with the list's
    yes/no vocabulary; a bad value does not refuse the row); None when the list has no
    such column.
    """

    female: np.ndarray  # bool
    age: np.ndarray  # int, whole years as scored
    major_osteoporotic: np.ndarray  # float, percent
    hip: np.ndarray  # float, percent
    meets_nice_cg146: np.ndarray  # bool
    previous_fracture: np.ndarray  # bool
    on_bone_treatment: np.ndarray | None = None  # int8: 1, 0, -1


ON_BONE_TREATMENT_COLUMN = "on_bone_treatment"
# The practice list's yes/no vocabulary, but a blank cell is "not recorded" here, not
# "no": nobody is counted untreated by omission.
_TREATMENT_CODES = {text: int(answer) for text, answer in YES_NO_VALUES.items() if text}


def read_on_bone_treatment(cells: Iterable[str]) -> np.ndarray:
    """The on_bone_treatment column's cells as ScoredColumns wants them (int8 1, 0 or -1).

    Yes and no are read as in every other yes/no column (any case, spaces ignored);
    blank or anything else is -1, blank or unreadable. Never refuses a row. For a column
    held as codes into its distinct texts, read the texts once and index:
    `read_on_bone_treatment(column.distinct)[column.codes]`.
    """
    codes = [_TREATMENT_CODES.get(cell.strip().lower(), -1) for cell in cells]
    return np.array(codes, dtype=np.int8)


# Age bands split where CG146's rules change (50, women 65, men 75), then 85 and over.
AGE_BAND_STARTS = (30, 50, 65, 75, 85)
# Each whole age's band, looked up rather than searched: a batch is tens of thousands of rows.
_OLDEST_BAND_AGE = 120
_AGE_BAND_OF_AGE = np.clip(
    np.searchsorted(AGE_BAND_STARTS, np.arange(_OLDEST_BAND_AGE + 1), side="right") - 1,
    0,
    len(AGE_BAND_STARTS) - 1,
)
SEXES = ("female", "male")  # row 0 and row 1 of every by-sex count
# Histogram bins: equal widths from 0, the last bin open ("30 and over"). The default
# cut-offs sit on bin edges, so the bars split exactly where the cut-off does.
MOF_BIN_WIDTH, MOF_BINS = 2.5, 13
HIP_BIN_WIDTH, HIP_BINS = 0.5, 21
# Treatment answers, as indexes into the treatment counts.
TREATED, NOT_TREATED, TREATMENT_UNKNOWN = 0, 1, 2
# Indexed by the answer + 1 (-1 unknown, 0 no, 1 yes).
_TREATMENT_INDEX_OF_ANSWER = np.array([TREATMENT_UNKNOWN, NOT_TREATED, TREATED], dtype=np.int8)


class ReportTally:
    """Counts for the report, built per batch and merged; small and picklable.

    by sex (row) and age band (column): `people`, `meeting_nice_cg146`;
    by sex: `at_or_above` columns (major osteoporotic cut-off, hip cut-off, either);
    `mof_bins`, `hip_bins`: how many people's risk falls in each histogram bin;
    `previous_fracture` (all scored) and `previous_fracture_at_or_above`;
    treatment counts (treated, not treated, unknown) for those at or above either cut-off
    and for those with a previous fracture, when the list has `on_bone_treatment`;
    `estimate_people`, `hip_risk_sum`, `other_major_risk_sum` (percent): those at or above
    a cut-off and not already treated, and the sum of their own 10-year risks.
    """

    def __init__(self, cut_offs: CutOffs) -> None:
        self.cut_offs = cut_offs
        self.refused: Counter[str] = Counter()
        bands = len(AGE_BAND_STARTS)
        self.people = np.zeros((2, bands), dtype=np.int64)
        self.meeting_nice_cg146 = np.zeros((2, bands), dtype=np.int64)
        self.at_or_above = np.zeros((2, 3), dtype=np.int64)
        self.mof_bins = np.zeros(MOF_BINS, dtype=np.int64)
        self.hip_bins = np.zeros(HIP_BINS, dtype=np.int64)
        self.previous_fracture = 0
        self.previous_fracture_at_or_above = 0
        self.has_treatment_column = False
        self.treatment_at_or_above = np.zeros(3, dtype=np.int64)
        self.treatment_previous_fracture = np.zeros(3, dtype=np.int64)
        self.treatment_unknown = 0
        self.estimate_people = 0
        self.hip_risk_sum = 0.0
        self.other_major_risk_sum = 0.0

    @property
    def rows_scored(self) -> int:
        """How many people were scored."""
        return int(self.people.sum())

    @property
    def rows_refused(self) -> int:
        """How many rows could not be scored."""
        return sum(self.refused.values())

    @property
    def rows_read(self) -> int:
        """Every data row read: scored plus refused."""
        return self.rows_scored + self.rows_refused

    def add_scored(self, columns: ScoredColumns) -> None:
        """Count one batch's scored people into the tally.

        Each group of counts is one `bincount` over a small code made from several yes/no
        columns, rather than a pass per count: a batch is tens of thousands of people.
        """
        sex = (~np.asarray(columns.female, dtype=bool)).view(np.int8)  # 0 female, 1 male
        age = np.clip(np.asarray(columns.age), 0, _OLDEST_BAND_AGE)
        meets = np.asarray(columns.meets_nice_cg146, dtype=bool).view(np.int8)
        cells = sex * len(AGE_BAND_STARTS) + _AGE_BAND_OF_AGE[age]
        by_cell = np.bincount(cells + meets * self.people.size, minlength=2 * self.people.size)
        self.people += (by_cell[: self.people.size] + by_cell[self.people.size :]).reshape(2, -1)
        self.meeting_nice_cg146 += by_cell[self.people.size :].reshape(2, -1)
        mof = np.asarray(columns.major_osteoporotic, dtype=float)
        hip = np.asarray(columns.hip, dtype=float)
        self.mof_bins += _histogram(mof, MOF_BIN_WIDTH, MOF_BINS)
        self.hip_bins += _histogram(hip, HIP_BIN_WIDTH, HIP_BINS)
        above_mof = mof >= self.cut_offs.major_osteoporotic
        above_hip = hip >= self.cut_offs.hip
        self._add_at_or_above(sex, above_mof, above_hip)
        above = above_mof | above_hip
        previous = np.asarray(columns.previous_fracture, dtype=bool)
        self.previous_fracture += int(np.count_nonzero(previous))
        self.previous_fracture_at_or_above += int(np.count_nonzero(previous & above))
        untreated = self._add_treatment(columns.on_bone_treatment, above, previous)
        to_treat = above & untreated
        self.estimate_people += int(np.count_nonzero(to_treat))
        # Sums of the chosen, not dot products: those would start BLAS's spinning threads.
        self.hip_risk_sum += float(hip[to_treat].sum())
        self.other_major_risk_sum += float(np.maximum(mof - hip, 0.0)[to_treat].sum())

    def _add_at_or_above(
        self, sex: np.ndarray, above_mof: np.ndarray, above_hip: np.ndarray
    ) -> None:
        """By sex: at or above the MOF cut-off, the hip cut-off, either."""
        code = sex + 2 * above_mof.view(np.int8) + 4 * above_hip.view(np.int8)
        counts = np.bincount(code, minlength=8).reshape(2, 2, 2)  # [hip, mof, sex]
        self.at_or_above[:, 0] += counts[:, 1, :].sum(axis=0)
        self.at_or_above[:, 1] += counts[1, :, :].sum(axis=0)
        self.at_or_above[:, 2] += counts.sum(axis=(0, 1)) - counts[0, 0, :]

    def _add_treatment(
        self, treatment: np.ndarray | None, above: np.ndarray, previous: np.ndarray
    ) -> np.ndarray:
        """Count the treatment answers; return who is not known to be on treatment."""
        if treatment is None:
            return np.ones(above.shape, dtype=bool)
        self.has_treatment_column = True
        answers = np.asarray(treatment, dtype=np.int8)
        # Code: answer index (treated 0, not 1, unknown 2) + 3 x above + 6 x previous.
        index = _TREATMENT_INDEX_OF_ANSWER[answers + 1]
        code = index + 3 * above.view(np.int8) + 6 * previous.view(np.int8)
        counts = np.bincount(code, minlength=12).reshape(2, 2, 3)  # [previous, above, answer]
        self.treatment_at_or_above += counts[:, 1, :].sum(axis=0)
        self.treatment_previous_fracture += counts[1, :, :].sum(axis=0)
        self.treatment_unknown += int(counts[:, :, TREATMENT_UNKNOWN].sum())
        return answers != 1

    def add_refused(self, reasons: Iterable[str]) -> None:
        """Count refused rows by their reason, grouped without any quoted cell."""
        self.refused.update(reason_group(reason) for reason in reasons)

    def merge(self, other: "ReportTally") -> None:
        """Add another tally's counts to this one (both must use the same cut-offs)."""
        if other.cut_offs != self.cut_offs:
            raise ValueError("Tallies with different cut-offs cannot be merged.")
        self.refused.update(other.refused)
        for name in _ADDED_UP:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.has_treatment_column = self.has_treatment_column or other.has_treatment_column


_ADDED_UP = (
    "people", "meeting_nice_cg146", "at_or_above", "mof_bins", "hip_bins",
    "previous_fracture", "previous_fracture_at_or_above", "treatment_at_or_above",
    "treatment_previous_fracture", "treatment_unknown", "estimate_people", "hip_risk_sum",
    "other_major_risk_sum",
)  # fmt: skip


def _histogram(risks: np.ndarray, width: float, bins: int) -> np.ndarray:
    """Counts per bin [k*width, (k+1)*width), the last bin open-ended.

    Risks are never negative, so truncating the quotient is taking its floor.
    """
    index = np.minimum((risks / width).astype(np.int64), bins - 1)
    return np.bincount(index, minlength=bins)


def render_report(tally: ReportTally, *, list_name: str, generated_at: datetime) -> str:
    """One self-contained HTML page of the tally's counts (no scripts, no network)."""
    from webapp.risk.report_page import render_page  # jinja2 only when a page is asked for

    return render_page(tally, list_name=list_name, generated_at=generated_at)
