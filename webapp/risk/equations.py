"""The four QFracture-2012 equations: women and men, major osteoporotic and hip fracture.

Hippisley-Cox J, Coupland C. BMJ 2012;344:e3427. The numbers are ClinRisk Ltd's LGPL v3
release, copied unchanged into `qfracture_2012.json` beside this module; the code is our
own, written from the published form of the model:

    A = age / 10, B = BMI / 10
    a = alcohol[category] + ethnicity[category] + smoking[category]
        + sum(coefficient * (x ** power [* ln x] - centre))   for each age or BMI term
        + sum(coefficient of each yes answer the equation lists)
    risk % at t years = 100 * (1 - S0(t) ** exp(a))

Everything that does not depend on the person (and the age terms, since age is a whole
number from 30 to 100) is worked out once at import, so one estimate costs a few
dictionary look-ups, two BMI powers and two exponentials per equation.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import NamedTuple

from webapp.risk.profile import (
    ALCOHOL,
    COEFFICIENT_KEYS,
    ETHNICITY,
    LONGEST_HORIZON_YEARS,
    OLDEST_AGE,
    SHORTEST_HORIZON_YEARS,
    SMOKING,
    YOUNGEST_AGE,
    RiskProfile,
    check_profile,
    check_whole_number,
    yes_answers,
)

COEFFICIENTS_FILE = "qfracture_2012.json"
_ANSWER_FOR_COEFFICIENT_KEY = {key: answer for answer, key in COEFFICIENT_KEYS.items()}
_HORIZONS = range(SHORTEST_HORIZON_YEARS, LONGEST_HORIZON_YEARS + 1)


class Effect(StrEnum):
    """What a yes answer does to one estimate."""

    RAISES = "raises"
    LOWERS = "lowers"
    NOT_USED = "not used"


class _ContinuousTerm(NamedTuple):
    """One fractional-polynomial term of age or BMI, as published."""

    variable: str
    scaled_by: float
    power: float
    times_log: bool
    centre: float
    coefficient: float

    def contribution(self, value: float) -> float:
        """This term's share of the linear predictor for an age or BMI of `value`."""
        x = value / self.scaled_by
        powered = x**self.power
        if self.times_log:
            powered *= math.log(x)
        return self.coefficient * (powered - self.centre)


class Equation:
    """One published Cox model, with the constants that do not depend on the person ready."""

    __slots__ = (
        "name",
        "yes_no_coefficients",
        "_age_terms",
        "_bmi_terms",
        "_alcohol",
        "_ethnicity",
        "_smoking",
        "_baseline_survival",
    )

    def __init__(self, name: str, published: dict) -> None:
        self.name = name
        self._baseline_survival = _by_code(name, "baseline_survival", published, _HORIZONS)
        self._alcohol = _by_code(name, "alcohol", published, ALCOHOL)
        self._ethnicity = _by_code(name, "ethnicity", published, ETHNICITY)
        self._smoking = _by_code(name, "smoking", published, SMOKING)
        terms = [
            _ContinuousTerm(**_term_fields(name, term)) for term in published["continuous_terms"]
        ]
        age_terms = [term for term in terms if term.variable == "age"]
        self._bmi_terms = tuple(term for term in terms if term.variable == "bmi")
        self._age_terms = {
            age: sum(term.contribution(age) for term in age_terms)
            for age in range(YOUNGEST_AGE, OLDEST_AGE + 1)
        }
        # Keyed by our answer names; an answer the equation does not list is absent.
        self.yes_no_coefficients = _yes_no_coefficients(name, published["yes_no"])

    @property
    def bmi_terms(self) -> tuple[_ContinuousTerm, ...]:
        """The published BMI terms, for code that works them out over many BMIs at once."""
        return self._bmi_terms

    def baseline_survival(self, years: int = 10) -> float:
        """S0(years), the published baseline survival at `years` (1 to 18)."""
        return self._baseline_survival[years]

    def age_term(self, age: int) -> float:
        """The age terms' share of the linear predictor (age a whole number, 30 to 100)."""
        return self._age_terms[age]

    def bmi_term(self, bmi: float) -> float:
        """The BMI terms' share of the linear predictor."""
        total = 0.0
        for term in self._bmi_terms:
            total += term.contribution(bmi)
        return total

    def category_term(self, ethnicity: int, smoking: int, alcohol: int) -> float:
        """The ethnicity, smoking and alcohol categories' share of the linear predictor."""
        return self._ethnicity[ethnicity] + self._smoking[smoking] + self._alcohol[alcohol]

    def yes_no_term(self, answers: Iterable[str]) -> float:
        """The yes answers' share: only the answers this equation lists count."""
        coefficients = self.yes_no_coefficients
        total = 0.0
        for answer in answers:
            total += coefficients.get(answer, 0.0)
        return total

    def effect_of(self, answer: str) -> Effect:
        """Whether a yes to `answer` raises, lowers or does not change this estimate."""
        coefficient = self.yes_no_coefficients.get(answer, 0.0)
        if coefficient > 0:
            return Effect.RAISES
        return Effect.LOWERS if coefficient < 0 else Effect.NOT_USED

    def risk_percent(self, linear_predictor: float, years: int = 10) -> float:
        """Risk in percent over `years` (1 to 18) for a person with this linear predictor."""
        return 100.0 * (1.0 - self._baseline_survival[years] ** math.exp(linear_predictor))


def _by_code(equation: str, part: str, published: dict, codes: Iterable[int]) -> dict[int, float]:
    """Published numbers keyed by their integer code, refusing any code we do not expect."""
    numbers = {int(code): float(value) for code, value in published[part].items()}
    if set(numbers) != set(codes):
        raise RuntimeError(f"{equation}.{part} has codes {sorted(numbers)}, not {sorted(codes)}")
    return numbers


def _term_fields(equation: str, term: dict) -> dict:
    """The fields of one published continuous term, checked to be an age or a BMI term."""
    if term["variable"] not in ("age", "bmi"):
        raise RuntimeError(f"{equation}: unexpected continuous term {term['name']!r}")
    names = _ContinuousTerm._fields
    return {name: term[name] for name in names}


def _yes_no_coefficients(equation: str, published: dict[str, float]) -> dict[str, float]:
    """The listed yes/no coefficients, keyed by our answer names."""
    unknown = set(published) - set(_ANSWER_FOR_COEFFICIENT_KEY)
    if unknown:
        raise RuntimeError(f"{equation} lists yes/no answers we do not ask: {sorted(unknown)}")
    return {_ANSWER_FOR_COEFFICIENT_KEY[key]: value for key, value in published.items()}


def _load_equations() -> dict[str, Equation]:
    """Read the published coefficients once, at import."""
    text = resources.files(__package__).joinpath(COEFFICIENTS_FILE).read_text(encoding="utf-8")
    published = json.loads(text)["equations"]
    return {name: Equation(name, numbers) for name, numbers in published.items()}


EQUATIONS = _load_equations()
# (major osteoporotic, hip) for each sex.
EQUATIONS_BY_SEX = {
    "female": (EQUATIONS["female_mof"], EQUATIONS["female_hip"]),
    "male": (EQUATIONS["male_mof"], EQUATIONS["male_hip"]),
}


@dataclass(frozen=True)
class FractureRisk:
    """Estimated risks, in percent, of a fracture within `years`.

    The two were fitted separately, so the hip risk can exceed the major osteoporotic
    one (which includes hip fractures). That is the published algorithm: never "fix" it.
    """

    major_osteoporotic_percent: float
    hip_percent: float
    years: int


def estimate_fracture_risk(profile: RiskProfile, years: int = 10) -> FractureRisk:
    """Estimate the risk of a major osteoporotic and of a hip fracture within `years`.

    Uses the published QFracture-2012 equations for the person's sex. Raises
    RiskInputError for any answer outside the published ranges (age 30 to 100, BMI 20 to
    40, years 1 to 18, ...) rather than clipping it; callers that want to estimate for a
    BMI outside 20 to 40 bound it first with `bounded_bmi`, which says so.
    """
    check_profile(profile)
    check_whole_number("years", years, SHORTEST_HORIZON_YEARS, LONGEST_HORIZON_YEARS, unit=" years")
    answers = yes_answers(profile)
    major_osteoporotic, hip = EQUATIONS_BY_SEX[profile.sex]
    return FractureRisk(
        major_osteoporotic_percent=_risk_percent(major_osteoporotic, profile, answers, years),
        hip_percent=_risk_percent(hip, profile, answers, years),
        years=years,
    )


def _risk_percent(
    equation: Equation, profile: RiskProfile, answers: tuple[str, ...], years: int
) -> float:
    linear_predictor = (
        equation.age_term(profile.age)
        + equation.bmi_term(profile.bmi)
        + equation.category_term(profile.ethnicity, profile.smoking, profile.alcohol)
        + equation.yes_no_term(answers)
    )
    return equation.risk_percent(linear_predictor, years)


@dataclass(frozen=True)
class RiskFactorUse:
    """What one yes answer does to this person's two estimates."""

    major_osteoporotic: Effect
    hip: Effect

    @property
    def raises_risk(self) -> bool:
        """True when the answer raises at least one of the two estimates."""
        return Effect.RAISES in (self.major_osteoporotic, self.hip)

    @property
    def lowers_risk(self) -> bool:
        """True when the answer lowers at least one estimate (oestrogen-only HRT)."""
        return Effect.LOWERS in (self.major_osteoporotic, self.hip)

    @property
    def in_estimate(self) -> bool:
        """False when neither equation for this sex uses the answer at all."""
        return self.raises_risk or self.lowers_risk


def risk_factors_used(profile: RiskProfile) -> dict[str, RiskFactorUse]:
    """For each yes answer, in question order, what it does to each of the two estimates.

    A result page must never say an answer changed a risk that it did not change: care
    home is only in the men's equations, HRT and endocrine problems only in the women's,
    parental history is not in the women's hip equation, malabsorption is in neither hip
    equation. List `raises_risk` answers as "the answers that raise your risk", say
    separately that oestrogen-only HRT (`lowers_risk`) lowers it, and, if the page
    mentions the others, say they are not part of the estimate (`in_estimate` False).
    The effects are read from the signs of the published coefficients.
    """
    check_profile(profile)
    major_osteoporotic, hip = EQUATIONS_BY_SEX[profile.sex]
    return {
        answer: RiskFactorUse(major_osteoporotic.effect_of(answer), hip.effect_of(answer))
        for answer in yes_answers(profile)
    }
