"""The QFracture-2012 equations over a whole batch of a practice list at once (NumPy).

The row engine (`practice_list.RowScorer`) scores one person at a time and stays the
reference the self-check uses. Here the same equations, with the same loaded
coefficients (`equations.EQUATIONS_BY_SEX`), run over arrays: each column's distinct
cell texts are read once with the row engine's own cell readers, so a cell means the
same to both engines, then every person's linear predictor is summed with array
arithmetic in the row engine's order. A row this engine cannot score is left to the
row engine, which says why in its own words (bad rows are rare, and that keeps one
wording and one order of checks). tests/risk/test_columnar.py holds the two engines
to 1e-9 percentage points.
"""

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from webapp.risk.arrow_arrays import arrow_array, dictionary_encoded
from webapp.risk.bmi import HIGHEST_PLAUSIBLE_BMI, LOWEST_PLAUSIBLE_BMI, bounded_bmi
from webapp.risk.equations import EQUATIONS_BY_SEX, Equation
from webapp.risk.errors import RiskInputError
from webapp.risk.guidance import (  # the rule's own sets, so it is written down once
    _MAJOR_UNDER_50_ANSWERS,
    _RISK_FACTOR_ANSWERS,
    CURRENT_SMOKER_CATEGORIES,
    LOW_BMI_BELOW,
    MEN_ASSESSED_FROM_AGE,
    OVER_14_UNITS_A_WEEK_CATEGORIES,
    RISK_FACTORS_COUNT_FROM_AGE,
    WOMEN_ASSESSED_FROM_AGE,
)
from webapp.risk.practice_list import (
    CATEGORY_COLUMNS,
    KNOWN_COLUMNS,
    YES_NO_COLUMNS,
    PracticeListColumns,
    bmi_note,
    category_note,
    read_age,
    read_answers,
    read_category,
    read_number,
    read_sex,
)
from webapp.risk.profile import (
    ALCOHOL,
    ETHNICITY,
    HIGHEST_BMI,
    LOWEST_BMI,
    OLDEST_AGE,
    SMOKING,
    YOUNGEST_AGE,
)

YEARS = 10
NUMBERS_KEPT = 1 << 16  # distinct BMI, height and weight cells kept once read, of each
ANSWERS_A_GROUP = 10  # yes answers looked up together: 2 ** 10 sums per sex for each group
SEX_ORDER = ("female", "male")  # row 0 and row 1 of every table below
DIABETES_ANSWERS = ("", "type1_diabetes", "type2_diabetes")
# The columns a person's risks are worked out from: every known one but the id, which only
# names the row (coding a column of distinct ids would cost more than the scoring).
COLUMNS_READ = tuple(name for name in KNOWN_COLUMNS if name != "id")


@dataclass(frozen=True)
class CodedColumn:
    """One column of a batch: each row's index into `distinct`, the column's distinct texts."""

    codes: np.ndarray
    distinct: Sequence[str]

    @classmethod
    def of(cls, texts: Sequence[str]) -> "CodedColumn":
        """Code a plain list of cell texts (the tests and the slower reading path)."""
        distinct, codes = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        return cls(codes.reshape(-1), list(distinct))

    def read(self, reader: Callable[[str], Any], refused: Any) -> tuple[np.ndarray, np.ndarray]:
        """(each row's value, each row's readability): `reader` runs once per distinct text.
        When every text is readable, the readability is a single True (no array to build)."""
        values, readable = [], []
        for text in self.distinct:
            try:
                values.append(reader(text))
                readable.append(True)
            except RiskInputError:
                values.append(refused)
                readable.append(False)
        if all(readable):
            return np.asarray(values)[self.codes], np.True_
        return np.asarray(values)[self.codes], np.asarray(readable, dtype=bool)[self.codes]


@dataclass
class ColumnarScores:
    """A batch's results, one entry per row. Rows with `scored` False hold no risks:
    the row engine gives their reason. `notes` is coded like a column."""

    scored: np.ndarray
    female: np.ndarray
    age: np.ndarray
    major_osteoporotic: np.ndarray
    hip: np.ndarray
    bmi_used: np.ndarray
    notes: CodedColumn
    meets_nice_cg146: np.ndarray
    previous_fracture: np.ndarray


class _Tables:
    """The equations' person-independent terms as arrays indexed [sex, ...]."""

    def __init__(self) -> None:
        equations = [EQUATIONS_BY_SEX[sex] for sex in SEX_ORDER]
        self.equations: list[tuple[Equation, Equation]] = equations
        self.category = [_category_table(pair) for pair in zip(*equations, strict=True)]
        self.age = [
            np.array([[eq.age_term(age) if age >= YOUNGEST_AGE else 0.0
                       for age in range(OLDEST_AGE + 1)]
                      for eq in pair]) for pair in zip(*equations, strict=True)
        ]  # fmt: skip
        self.survival = [
            np.array([eq.baseline_survival(YEARS) for eq in pair])
            for pair in zip(*equations, strict=True)
        ]
        self.answers = (*DIABETES_ANSWERS[1:], *YES_NO_COLUMNS.values())
        starts = range(0, len(self.answers), ANSWERS_A_GROUP)
        self.answer_groups = [self.answers[start : start + ANSWERS_A_GROUP] for start in starts]
        # For each outcome and group of answers: [sex, which of them are yes (a bit each)]
        # -> the sum of their coefficients (0 for an answer the equation does not list).
        self.yes_terms = [
            [_yes_sums([pair[outcome] for pair in self.equations], group)
             for group in self.answer_groups]
            for outcome in (0, 1)
        ]  # fmt: skip


def _yes_sums(equations: list[Equation], answers: Sequence[str]) -> np.ndarray:
    """[sex, pattern] -> the sum of the coefficients of the answers whose bits are set."""
    coefficients = np.array([[eq.yes_no_coefficients.get(answer, 0.0) for answer in answers]
                             for eq in equations])  # fmt: skip
    patterns = np.arange(1 << len(answers))
    bits = (patterns[:, None] >> np.arange(len(answers))) & 1
    return (bits[None, :, :] * coefficients[:, None, :]).sum(axis=2)


def _category_table(pair: tuple[Equation, Equation]) -> np.ndarray:
    table = np.zeros((2, max(ETHNICITY) + 1, max(SMOKING) + 1, max(ALCOHOL) + 1))
    for sex, equation in enumerate(pair):
        for ethnicity in ETHNICITY:
            for smoking in SMOKING:
                for alcohol in ALCOHOL:
                    term = equation.category_term(ethnicity, smoking, alcohol)
                    table[sex, ethnicity, smoking, alcohol] = term
    return table


_TABLES: _Tables | None = None


def _tables() -> _Tables:
    global _TABLES
    if _TABLES is None:
        _TABLES = _Tables()
    return _TABLES


def score_columns(
    columns: PracticeListColumns, cells: Mapping[str, CodedColumn], rows: int
) -> ColumnarScores:
    """Score `rows` people whose known columns are coded in `cells` (absent columns: blank)."""
    readable = np.ones(rows, dtype=bool)

    def read(name: str, reader: Callable[[str], Any], refused: Any) -> np.ndarray:
        nonlocal readable
        column = cells.get(name) or CodedColumn(np.zeros(rows, dtype=np.intp), [""])
        values, ok = column.read(reader, refused)
        if ok is not np.True_:
            readable &= ok
        return values

    male = read("sex", lambda text: SEX_ORDER.index(read_sex(text)), 0).astype(np.intp)
    categories, blank = {}, {}
    for name, (_, assumed, _) in CATEGORY_COLUMNS.items():
        codes = read(name, lambda text, name=name: _category_or_blank(name, text), 0)
        blank[name] = codes == -1
        categories[name] = np.where(blank[name], assumed, codes).astype(np.intp)
    answers = _read_answers(read, rows)
    age = read("age", read_age, YOUNGEST_AGE).astype(np.intp)
    raw_bmi, bmi_readable = _read_bmi(cells, rows)
    readable &= bmi_readable
    used = np.where(raw_bmi < LOWEST_BMI, LOWEST_BMI, np.where(raw_bmi > HIGHEST_BMI, HIGHEST_BMI,
                                                                 raw_bmi))  # fmt: skip
    risks = _risks(male, categories, answers, age, used)
    return ColumnarScores(
        scored=readable,
        female=male == 0,
        age=age,
        major_osteoporotic=risks[0],
        hip=risks[1],
        bmi_used=used,
        notes=_notes(blank, raw_bmi, readable),
        meets_nice_cg146=meets_nice_cg146_columns(male, age, raw_bmi, categories, answers),
        previous_fracture=answers["previous_fracture"],
    )


def _category_or_blank(column: str, text: str) -> int:
    code = read_category(column, text)
    return -1 if code is None else code


def _read_answers(read: Callable[[str, Callable[[str], Any], Any], np.ndarray], rows: int):
    """Each RiskProfile answer's yes per row, in the order the row engine adds them up."""
    diabetes = read("diabetes", lambda text: DIABETES_ANSWERS.index(
        (read_answers("diabetes", text) or ("",))[0]), 0)  # fmt: skip
    answers = {name: diabetes == code for code, name in enumerate(DIABETES_ANSWERS) if code}
    for column, answer in YES_NO_COLUMNS.items():
        answers[answer] = read(column, functools.partial(_said_yes, column), False).astype(bool)
    return answers


def _said_yes(column: str, text: str) -> bool:
    return bool(read_answers(column, text))


def _read_bmi(cells: Mapping[str, CodedColumn], rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(BMI before bounding, readable) per row: the bmi cell, else height and weight."""
    blank_column = CodedColumn(np.zeros(rows, dtype=np.intp), [""])
    given, given_readable = cells.get("bmi", blank_column).read(_bmi_cell, np.nan)
    height, height_readable = cells.get("height_cm", blank_column).read(_height_cell, np.nan)
    weight, weight_readable = cells.get("weight_kg", blank_column).read(_weight_cell, np.nan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        height_m = height / 100.0
        worked_out = weight / (height_m * height_m)  # as bmi_from_height_weight does
        worked_out_readable = (
            height_readable & weight_readable & (height > 0) & (weight > 0)
            & (worked_out >= LOWEST_PLAUSIBLE_BMI) & (worked_out <= HIGHEST_PLAUSIBLE_BMI)
        )  # fmt: skip
    blank = given_readable & np.isnan(given)
    return (
        np.where(blank, worked_out, given).astype(float),
        np.where(blank, worked_out_readable, given_readable),
    )


# A batch reads each distinct number once, and the batches of a list repeat the same few
# thousand BMIs, heights and weights: each is read once a run (a cell that cannot be read
# raises again each time, as it is not kept).
@functools.lru_cache(maxsize=NUMBERS_KEPT)
def _bmi_cell(text: str) -> float:
    """A bmi cell's BMI (refusing one that is not plausible); NaN when blank."""
    if not text.strip():
        return np.nan
    raw = read_number("bmi", text)
    bounded_bmi(raw)
    return raw


@functools.lru_cache(maxsize=NUMBERS_KEPT)
def _height_cell(text: str) -> float:
    return read_number("height_cm", text)


@functools.lru_cache(maxsize=NUMBERS_KEPT)
def _weight_cell(text: str) -> float:
    return read_number("weight_kg", text)


def _risks(male, categories, answers, age, bmi) -> list[np.ndarray]:
    """Each row's 10-year risks, [major osteoporotic, hip], for that row's sex."""
    tables = _tables()
    category_at = np.ravel_multi_index(
        (male, categories["ethnicity"], categories["smoking"], categories["alcohol"]),
        tables.category[0].shape,
    )
    age_at = male * (OLDEST_AGE + 1) + age
    yes_patterns = _yes_patterns(tables.answer_groups, male, answers)
    bmis, bmi_of_row = _distinct(bmi)
    bmi_at = male * len(bmis) + bmi_of_row
    risks = []
    for outcome in (0, 1):
        predictor = tables.category[outcome].ravel()[category_at]
        for sums, pattern in zip(tables.yes_terms[outcome], yes_patterns, strict=True):
            predictor += sums.ravel()[pattern]
        predictor += tables.age[outcome].ravel()[age_at]
        predictor += _bmi_terms(outcome, bmis)[bmi_at]
        # 100 * (1 - S0 ** exp(a)), as exp(exp(a) * ln S0): the same number to a few units
        # in the last place, without an array-to-array power.
        # Worked out in place: each step's result is as large as the batch.
        with np.errstate(invalid="ignore", over="ignore"):
            risk = np.exp(predictor, out=predictor)
            risk *= np.log(tables.survival[outcome])[male]
            np.expm1(risk, out=risk)
            risk *= -100.0
        risks.append(risk)
    return risks


def _yes_patterns(
    groups: Sequence[Sequence[str]], male: np.ndarray, answers: dict[str, np.ndarray]
) -> list[np.ndarray]:
    """Each row's yes answers in each group as a whole number, a bit an answer, with the
    row's sex in the bit above them: its index into that group's sums (`_yes_sums`)."""
    patterns = []
    for group in groups:
        pattern = male << len(group)
        for bit, answer in enumerate(group):
            pattern |= answers[answer].astype(np.intp) << bit
        patterns.append(pattern)
    return patterns


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct values, each row's index into them): np.unique's return_inverse,
    but by hashing (Arrow's dictionary encoding) rather than sorting, several times faster."""
    encoded = dictionary_encoded(arrow_array(values))
    return encoded.dictionary.to_numpy(zero_copy_only=False), encoded.indices.to_numpy()


def _bmi_terms(outcome: int, bmi: np.ndarray) -> np.ndarray:
    """The BMI terms' share of the linear predictor for each distinct BMI (`bmi`; a list
    holds a few hundred, or a few thousand), for women then for men."""
    shares = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for pair in _tables().equations:
            share = np.zeros(len(bmi))
            for term in pair[outcome].bmi_terms:
                x = bmi / term.scaled_by
                powered = x**term.power
                if term.times_log:
                    powered = powered * np.log(x)
                share = share + term.coefficient * (powered - term.centre)
            shares.append(share)
    return np.concatenate(shares)


def _notes(blank: dict[str, np.ndarray], raw_bmi: np.ndarray, readable: np.ndarray) -> CodedColumn:
    """Each row's notes (categories assumed, BMI bounded), coded by distinct text."""
    person = np.zeros(len(raw_bmi), dtype=np.intp)
    for bit, name in enumerate(CATEGORY_COLUMNS):
        person |= blank[name].astype(np.intp) << bit
    with np.errstate(invalid="ignore"):
        bounded = readable & ((raw_bmi < LOWEST_BMI) | (raw_bmi > HIGHEST_BMI))
    bmis, which = np.unique(raw_bmi[bounded], return_inverse=True)
    bmi_key = np.zeros(len(raw_bmi), dtype=np.intp)
    bmi_key[bounded] = which.reshape(-1) + 1
    combined = person + (bmi_key << len(CATEGORY_COLUMNS))
    keys = np.flatnonzero(np.bincount(combined))  # small whole numbers: no sort needed
    code_of = np.zeros(int(keys[-1]) + 1 if len(keys) else 1, dtype=np.intp)
    code_of[keys] = np.arange(len(keys))
    codes = code_of[combined]
    # Each distinct note is the one on its categories' blanks, then the one on its BMI.
    bmi_notes = ["", *(bmi_note(raw, bounded_bmi(raw)[1]) for raw in bmis.tolist())]
    category_bits = (1 << len(CATEGORY_COLUMNS)) - 1  # a key's low bits: its blank categories
    distinct = []
    for key in keys.tolist():
        category = _BLANK_CATEGORY_NOTES[key & category_bits]
        bmi = bmi_notes[key >> len(CATEGORY_COLUMNS)]
        distinct.append(f"{category}; {bmi}" if category and bmi else category or bmi)
    return CodedColumn(codes.reshape(-1), distinct)


# The note for each pattern of blank category cells (a bit a column, in CATEGORY_COLUMNS' order).
_BLANK_CATEGORY_NOTES = [
    "; ".join(category_note(name) for bit, name in enumerate(CATEGORY_COLUMNS) if blanks >> bit & 1)
    for blanks in range(1 << len(CATEGORY_COLUMNS))
]


def _among(codes: Collection[int], categories: Collection[int]) -> np.ndarray:
    """Whether each category code is one of `codes`, indexed by the code."""
    among = np.zeros(max(categories) + 1, dtype=bool)
    among[list(codes)] = True
    return among


_CURRENT_SMOKER = _among(CURRENT_SMOKER_CATEGORIES, SMOKING)
_OVER_14_UNITS_A_WEEK = _among(OVER_14_UNITS_A_WEEK_CATEGORIES, ALCOHOL)


def meets_nice_cg146_columns(male, age, raw_bmi, categories, answers) -> np.ndarray:
    """NICE CG146's suggestion of an assessment, per row: `meets_nice_cg146_assessment_criteria`
    over arrays, with the rule's own thresholds and sets from webapp/risk/guidance.py."""
    female = male == 0
    by_age = (female & (age >= WOMEN_ASSESSED_FROM_AGE)) | (
        ~female & (age >= MEN_ASSESSED_FROM_AGE)
    )
    none = np.zeros(len(age), dtype=bool)
    major = np.logical_or.reduce([answers[name] for name in _MAJOR_UNDER_50_ANSWERS] + [none])
    factors = np.logical_or.reduce([answers[name] for name in _RISK_FACTOR_ANSWERS] + [none])
    with np.errstate(invalid="ignore"):
        factors = (
            factors
            | (raw_bmi < LOW_BMI_BELOW)
            | _CURRENT_SMOKER[categories["smoking"]]
            | _OVER_14_UNITS_A_WEEK[categories["alcohol"]]
        )
    return by_age | np.where(age < RISK_FACTORS_COUNT_FROM_AGE, major, factors)
