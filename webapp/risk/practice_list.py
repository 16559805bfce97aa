"""Reading one row of a GP practice list into the QFracture-2012 equations.

A practice list repeats itself: the same few hundred combinations of sex, ethnicity,
smoking and alcohol, the same few thousand combinations of yes/no answers, the same BMIs
to one decimal place, the same ages. So each distinct combination of cells is parsed,
checked and turned into its share of the linear predictor once, and every later row
with the same cells is a dictionary look-up. That is what lets a list of half a million
people be scored in seconds in pure Python; the arithmetic is still the equations' own
(`Equation` methods), so there is one implementation of the model.
"""

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from webapp.risk.bmi import bmi_from_height_weight, bounded_bmi
from webapp.risk.equations import EQUATIONS_BY_SEX, Equation
from webapp.risk.errors import PracticeListError, RiskInputError
from webapp.risk.guidance import meets_nice_cg146_assessment_criteria
from webapp.risk.profile import (
    ALCOHOL,
    ETHNICITY,
    OLDEST_AGE,
    SEXES,
    SMOKING,
    YOUNGEST_AGE,
    check_category,
    check_whole_number,
)

# Practice-list column: RiskProfile answer. Blank cells and absent columns mean no.
YES_NO_COLUMNS = {
    "previous_fracture": "previous_fracture",
    "parent_hip_fracture": "parent_hip_fracture_or_osteoporosis",
    "falls": "falls",
    "steroids": "steroid_tablets",
    "antidepressants": "antidepressants",
    "ra_or_sle": "rheumatoid_arthritis_or_lupus",
    "asthma_or_copd": "asthma_or_copd",
    "cardiovascular_disease": "cardiovascular_disease",
    "cancer": "cancer",
    "dementia": "dementia",
    "epilepsy": "epilepsy_or_anticonvulsants",
    "liver_disease": "liver_disease",
    "kidney_disease": "kidney_disease",
    "malabsorption": "malabsorption",
    "parkinsons": "parkinsons",
    "endocrine": "endocrine_problems",
    "hrt_oestrogen": "oestrogen_only_hrt",
    "care_home": "care_home",
}
YES_NO_VALUES = {
    "": False, "0": False, "no": False, "n": False, "false": False,
    "1": True, "yes": True, "y": True, "true": True,
}  # fmt: skip
SEX_VALUES = {"f": "female", "female": "female", "m": "male", "male": "male"}
DIABETES_VALUES = {"": (), "none": (), "type1": ("type1_diabetes",), "type2": ("type2_diabetes",)}
# Category columns: (categories, code used when blank or absent, what that assumes).
# Code 1 is how QFracture records "ethnicity not stated", but we still say so.
CATEGORY_COLUMNS = {
    "ethnicity": (ETHNICITY, 1, "estimated as 1 (White or not stated)"),
    "smoking": (SMOKING, 0, "estimated as a non-smoker"),
    "alcohol": (ALCOHOL, 0, "estimated as drinking no alcohol"),
}
OTHER_COLUMNS = ("id", "sex", "age", "bmi", "height_cm", "weight_kg", "diabetes")
KNOWN_COLUMNS = (*OTHER_COLUMNS, *CATEGORY_COLUMNS, *YES_NO_COLUMNS)
_HEIGHT_WEIGHT = ("height_cm", "weight_kg")
NO_BMI = "No BMI, and no height_cm and weight_kg to work it out from."


@dataclass(frozen=True)
class PracticeListColumns:
    """Where each column sits in the list's header, by lower-case name, and how many there are."""

    width: int
    positions: dict[str, int]

    @classmethod
    def from_header(cls, header: Sequence[str]) -> "PracticeListColumns":
        """Find our columns by name (any order, any case); refuse a list we cannot score."""
        positions: dict[str, int] = {}
        for position, name in enumerate(header):
            name = name.strip().lower()
            if name in KNOWN_COLUMNS and name in positions:
                raise PracticeListError(f"The column {name!r} appears twice in the header row.")
            positions.setdefault(name, position)
        missing = [name for name in ("sex", "age") if name not in positions]
        if "bmi" not in positions and not {"height_cm", "weight_kg"} <= set(positions):
            missing.append("bmi (or both height_cm and weight_kg)")
        if missing:
            raise PracticeListError(
                "The header row lacks the required column(s): " + ", ".join(missing) + "."
            )
        return cls(width=len(header), positions=positions)

    def absent(self, names: Sequence[str]) -> list[str]:
        """Which of `names` the list does not have."""
        return [name for name in names if name not in self.positions]


# What RowScorer.score returns for a person: (major osteoporotic %, hip %, BMI used,
# notes, meets NICE CG146 assessment criteria, previous fracture). A plain tuple: it is
# built half a million times a run, and a named tuple would cost a tenth of the time.
ScoredRow = tuple[float, float, float, str, bool, bool]


class _Person(NamedTuple):
    """What a row's sex and category cells settle, with the caches for that sex."""

    sex: str
    smoking: int
    alcohol: int
    major_osteoporotic: Equation
    hip: Equation
    major_osteoporotic_term: float  # ethnicity, smoking and alcohol terms
    hip_term: float
    notes: str
    answers: dict[tuple[str, ...], tuple[frozenset[str], float, float]]
    ages: dict[str, tuple[int, float, float]]
    bmis: dict[str, tuple[float, float, str | None, float, float]]


def _tuple_getter(positions: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """Like operator.itemgetter, but always a tuple, whatever the number of positions."""
    if len(positions) > 1:
        return operator.itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda row: (row[only],)
    return lambda row: ()


class RowScorer:
    """Scores rows of one practice list; caches each distinct combination of cells.

    Caches by sex hold, for each distinct cell text, the parsed value and its terms in
    that sex's two equations: yes/no answers (names, MOF term, hip term), age (age, MOF
    term, hip term) and BMI (raw, used, note, MOF term, hip term).
    """

    def __init__(self, columns: PracticeListColumns) -> None:
        positions = columns.positions
        self.width = columns.width
        self._positions = positions
        self._person_columns = [name for name in ("sex", *CATEGORY_COLUMNS) if name in positions]
        self._answer_columns = [name for name in ("diabetes", *YES_NO_COLUMNS) if name in positions]
        self._person_key = _tuple_getter([positions[name] for name in self._person_columns])
        self._answers_key = _tuple_getter([positions[name] for name in self._answer_columns])
        self._age_position = positions["age"]
        bmi_position = positions.get("bmi")
        self._bmi_text = (
            (lambda row: "") if bmi_position is None else operator.itemgetter(bmi_position)
        )
        self._people: dict[tuple[str, ...], _Person] = {}
        self._caches_by_sex = {sex: ({}, {}, {}) for sex in SEXES}

    def score(self, row: list[str]) -> ScoredRow:
        """Both 10-year risks for one row; RiskInputError names the cell that stops it."""
        if len(row) != self.width:
            raise RiskInputError(
                "row", f"This row has {len(row)} values but the header has {self.width}."
            )
        key = self._person_key(row)
        person = self._people.get(key) or self._read_person(key)
        sex, smoking, alcohol, mof, hip, mof_term, hip_term, notes, *seen = person
        answers_seen, ages_seen, bmis_seen = seen
        key = self._answers_key(row)
        answers, answers_mof, answers_hip = answers_seen.get(key) or self._read_answers(person, key)
        text = row[self._age_position]
        age, age_mof, age_hip = ages_seen.get(text) or _read_age(person, text)
        text = self._bmi_text(row)
        raw_bmi, bmi_used, bmi_note, bmi_mof, bmi_hip = bmis_seen.get(text) or self._read_bmi(
            person, row, text
        )
        return (
            mof.risk_percent(mof_term + answers_mof + age_mof + bmi_mof),
            hip.risk_percent(hip_term + answers_hip + age_hip + bmi_hip),
            bmi_used,
            _join_notes(notes, bmi_note) if bmi_note else notes,
            meets_nice_cg146_assessment_criteria(
                sex=sex,
                age=age,
                bmi=raw_bmi,
                smoking=smoking,
                alcohol=alcohol,
                yes_answers=answers,
            ),
            "previous_fracture" in answers,
        )

    def _read_person(self, key: tuple[str, ...]) -> _Person:
        cells = dict(zip(self._person_columns, key, strict=True))
        sex = read_sex(cells["sex"])
        codes, notes = {}, []
        for column, (_, assumed_code, _) in CATEGORY_COLUMNS.items():
            code = read_category(column, cells.get(column, ""))
            if code is None:
                code = assumed_code
                notes.append(category_note(column))
            codes[column] = code
        mof, hip = EQUATIONS_BY_SEX[sex]
        categories = (codes["ethnicity"], codes["smoking"], codes["alcohol"])
        person = _Person(
            sex,
            codes["smoking"],
            codes["alcohol"],
            mof,
            hip,
            mof.category_term(*categories),
            hip.category_term(*categories),
            "; ".join(notes),
            *self._caches_by_sex[sex],
        )
        self._people[key] = person
        return person

    def _read_answers(
        self, person: _Person, key: tuple[str, ...]
    ) -> tuple[frozenset[str], float, float]:
        names: list[str] = []
        for column, text in zip(self._answer_columns, key, strict=True):
            names.extend(read_answers(column, text))
        entry = (
            frozenset(names),
            person.major_osteoporotic.yes_no_term(names),
            person.hip.yes_no_term(names),
        )
        person.answers[key] = entry
        return entry

    def _read_bmi(
        self, person: _Person, row: list[str], text: str
    ) -> tuple[float, float, str | None, float, float]:
        """BMI from the bmi cell (cached by its text) or else from height and weight."""
        if text.strip():
            person.bmis[text] = entry = _bmi_entry(person, read_number("bmi", text))
            return entry
        cells = [
            row[self._positions[name]] if name in self._positions else "" for name in _HEIGHT_WEIGHT
        ]
        if not all(cell.strip() for cell in cells):
            raise RiskInputError("bmi", NO_BMI)
        height, weight = cells
        bmi = bmi_from_height_weight(
            read_number("height_cm", height), read_number("weight_kg", weight)
        )
        return _bmi_entry(person, bmi)


def _read_age(person: _Person, text: str) -> tuple[int, float, float]:
    age = read_age(text)
    person.ages[text] = entry = (
        age,
        person.major_osteoporotic.age_term(age),
        person.hip.age_term(age),
    )
    return entry


def _bmi_entry(person: _Person, raw: float) -> tuple[float, float, str | None, float, float]:
    used, note = bounded_bmi(raw)
    return (
        raw,
        used,
        note and bmi_note(raw, note),
        person.major_osteoporotic.bmi_term(used),
        person.hip.bmi_term(used),
    )


def _join_notes(*notes: str) -> str:
    return "; ".join(note for note in notes if note)


def bmi_note(raw: float, note: str) -> str:
    """The note on a row whose BMI was bounded to 20 to 40: the BMI given, then why."""
    return f"BMI {raw:.1f}: {note}"


# Cell readers: what one cell of a practice list means, or a RiskInputError naming it.
# The row engine and the columnar engine (webapp/risk/columnar.py) both read cells here,
# so a cell means the same to both and a refused row gets the same reason.


def read_sex(text: str) -> str:
    """"female" or "male" from a sex cell (F, M, female, male, any case)."""
    sex = SEX_VALUES.get(text.strip().lower())
    if sex is None:
        raise RiskInputError("sex", f"sex must be F or M (female or male); got {text!r}.")
    return sex


def read_category(column: str, text: str) -> int | None:
    """The category code in an ethnicity, smoking or alcohol cell; None when it is blank."""
    text = text.strip()
    if not text:
        return None
    code = _whole_number(text)
    check_category(column, code, CATEGORY_COLUMNS[column][0])
    return code


def category_note(column: str) -> str:
    """The note on a row whose category cell is blank or whose list lacks the column."""
    return f"{column} not recorded: {CATEGORY_COLUMNS[column][2]}"


def read_answers(column: str, text: str) -> tuple[str, ...]:
    """The RiskProfile answers a diabetes or yes/no cell says yes to (none for a no)."""
    if column == "diabetes":
        return _diabetes(text)
    return (YES_NO_COLUMNS[column],) if _yes_no(column, text) else ()


def read_age(text: str) -> int:
    """Age in whole years, 30 to 100, as the equations take it."""
    age = _whole_number(text.strip())
    check_whole_number("age", age, YOUNGEST_AGE, OLDEST_AGE, unit=" years")
    return age


def read_number(column: str, text: str) -> float:
    """A finite number from a bmi, height_cm or weight_kg cell."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RiskInputError(column, f"{column} must be a number; got {text!r}.")
    return value


def _whole_number(text: str) -> int | str:
    """The int written in `text`, or `text` itself so the range check can quote it."""
    return int(text) if text.isdecimal() else text


def _yes_no(column: str, text: str) -> bool:
    answer = YES_NO_VALUES.get(text.strip().lower())
    if answer is None:
        raise RiskInputError(
            column, f"{column} must be yes or no (1/0, yes/no, y/n, true/false); got {text!r}."
        )
    return answer


def _diabetes(text: str) -> tuple[str, ...]:
    answer = DIABETES_VALUES.get(text.strip().lower())
    if answer is None:
        raise RiskInputError(
            "diabetes", f"diabetes must be none, type1 or type2 (blank means none); got {text!r}."
        )
    return answer
