"""A person's answers, as the QFracture-2012 equations take them, and the checks on them.

Categories are kept as named mappings keyed by the published codes (ethnicity starts at
1, smoking and alcohol at 0), never as positions in a list: an off-by-one between a
list position and a category code is a known bug in other ports of these equations.
"""

import itertools
import operator
from dataclasses import dataclass, fields

from webapp.risk.errors import RiskInputError

SEXES = ("female", "male")

# The published input ranges. The reference tools refuse anything outside them.
YOUNGEST_AGE = 30
OLDEST_AGE = 100
LOWEST_BMI = 20.0
HIGHEST_BMI = 40.0
SHORTEST_HORIZON_YEARS = 1
LONGEST_HORIZON_YEARS = 18

# Code 1 also covers "not stated" and "prefer not to say", as ClinRisk codes it.
ETHNICITY = {
    1: "White or not stated",
    2: "Indian",
    3: "Pakistani",
    4: "Bangladeshi",
    5: "Other Asian",
    6: "Black Caribbean",
    7: "Black African",
    8: "Chinese",
    9: "Other ethnic group",
}

SMOKING = {
    0: "Non-smoker",
    1: "Ex-smoker",
    2: "Light smoker (1 to 9 a day)",
    3: "Moderate smoker (10 to 19 a day)",
    4: "Heavy smoker (20 or more a day)",
}

ALCOHOL = {
    0: "None",
    1: "Less than 1 unit a day",
    2: "1 to 2 units a day",
    3: "3 to 6 units a day",
    4: "7 to 9 units a day",
    5: "More than 9 units a day",
}


@dataclass(frozen=True)
class RiskProfile:
    """One person's answers to the QFracture-2012 questions.

    A profile is only a record of answers; `estimate_fracture_risk` checks it before
    use, so a form can build one from whatever the person typed and get a clear
    `RiskInputError` back. Every yes/no answer defaults to no.
    """

    sex: str
    age: int
    bmi: float
    ethnicity: int
    smoking: int
    alcohol: int
    previous_fracture: bool = False
    parent_hip_fracture_or_osteoporosis: bool = False
    falls: bool = False
    steroid_tablets: bool = False
    antidepressants: bool = False
    rheumatoid_arthritis_or_lupus: bool = False
    type1_diabetes: bool = False
    type2_diabetes: bool = False
    asthma_or_copd: bool = False
    cardiovascular_disease: bool = False
    cancer: bool = False
    dementia: bool = False
    epilepsy_or_anticonvulsants: bool = False
    liver_disease: bool = False
    kidney_disease: bool = False
    malabsorption: bool = False
    parkinsons: bool = False
    endocrine_problems: bool = False
    oestrogen_only_hrt: bool = False
    care_home: bool = False


# The one place that ties each yes/no answer to its name in the published equations.
COEFFICIENT_KEYS = {
    "previous_fracture": "b_fracture4",
    "parent_hip_fracture_or_osteoporosis": "fh_osteoporosis",
    "falls": "b_falls",
    "steroid_tablets": "b_corticosteroids",
    "antidepressants": "b_antidepressant",
    "rheumatoid_arthritis_or_lupus": "b_ra_sle",
    "type1_diabetes": "b_type1",
    "type2_diabetes": "b_type2",
    "asthma_or_copd": "b_asthmacopd",
    "cardiovascular_disease": "b_cvd",
    "cancer": "b_anycancer",
    "dementia": "b_dementia",
    "epilepsy_or_anticonvulsants": "b_epilepsy2",
    "liver_disease": "b_liver",
    "kidney_disease": "b_renal",
    "malabsorption": "b_malabsorption",
    "parkinsons": "b_parkinsons",
    "endocrine_problems": "b_endocrine",
    "oestrogen_only_hrt": "b_hrt_oest",
    "care_home": "b_carehome",
}

YES_NO_ANSWERS = tuple(COEFFICIENT_KEYS)
_yes_no_values = operator.attrgetter(*YES_NO_ANSWERS)
_ONLY_BOOL = {bool}
_BMI_TYPES = (float, int)


def _check_every_answer_is_mapped() -> None:
    """Fail at import if a yes/no field were added to RiskProfile but not to the mapping."""
    flag_fields = {field.name for field in fields(RiskProfile) if field.type in (bool, "bool")}
    if flag_fields != set(YES_NO_ANSWERS):
        raise RuntimeError(f"COEFFICIENT_KEYS does not match RiskProfile: {flag_fields}")


_check_every_answer_is_mapped()


def yes_answers(profile: RiskProfile) -> tuple[str, ...]:
    """Names of the yes/no questions answered yes, in the order RiskProfile lists them."""
    return tuple(itertools.compress(YES_NO_ANSWERS, _yes_no_values(profile)))


def check_profile(profile: RiskProfile) -> None:
    """Raise RiskInputError unless every answer is one the published equations accept."""
    # One strict expression settles the usual, valid case quickly. A profile that fails
    # it goes through the named checks, which have the last word and name the problem.
    if _is_valid(profile):
        return
    if profile.sex not in SEXES:
        raise RiskInputError("sex", f"sex must be 'female' or 'male'; got {profile.sex!r}.")
    check_whole_number("age", profile.age, YOUNGEST_AGE, OLDEST_AGE, unit=" years")
    check_bmi_in_range(profile.bmi)
    check_category("ethnicity", profile.ethnicity, ETHNICITY)
    check_category("smoking", profile.smoking, SMOKING)
    check_category("alcohol", profile.alcohol, ALCOHOL)
    _check_yes_no_answers(profile)
    if profile.type1_diabetes and profile.type2_diabetes:
        raise RiskInputError(
            "diabetes", "diabetes can be type 1 or type 2, not both: answer one of them."
        )


def _is_valid(profile: RiskProfile) -> bool:
    age, bmi = profile.age, profile.bmi
    return (
        profile.sex in SEXES
        and type(age) is int
        and YOUNGEST_AGE <= age <= OLDEST_AGE
        and type(bmi) in _BMI_TYPES
        and LOWEST_BMI <= bmi <= HIGHEST_BMI
        and type(profile.ethnicity) is int
        and profile.ethnicity in ETHNICITY
        and type(profile.smoking) is int
        and profile.smoking in SMOKING
        and type(profile.alcohol) is int
        and profile.alcohol in ALCOHOL
        and set(map(type, _yes_no_values(profile))) == _ONLY_BOOL
        and not (profile.type1_diabetes and profile.type2_diabetes)
    )


def check_whole_number(
    field: str, value: object, lowest: int, highest: int, unit: str = ""
) -> None:
    """Raise RiskInputError unless `value` is an int from `lowest` to `highest` inclusive.

    True and False are refused: they are ints to Python but never a count of years.
    """
    if type(value) is not int or not lowest <= value <= highest:
        raise RiskInputError(
            field,
            f"{field} must be a whole number from {lowest} to {highest}{unit}; got {value!r}.",
        )


def check_bmi_in_range(bmi: object) -> None:
    """Raise RiskInputError unless `bmi` is a number from 20.0 to 40.0 kg/m² inclusive."""
    is_number = isinstance(bmi, int | float) and not isinstance(bmi, bool)
    # NaN and infinity fail the comparison, so they are refused here too.
    if not is_number or not LOWEST_BMI <= bmi <= HIGHEST_BMI:
        raise RiskInputError(
            "bmi",
            f"bmi must be a number from {LOWEST_BMI} to {HIGHEST_BMI} kg/m² inclusive; "
            f"got {bmi!r}.",
        )


def check_category(field: str, value: object, categories: dict[int, str]) -> None:
    """Raise RiskInputError unless `value` is one of the category codes in `categories`."""
    if type(value) is not int or value not in categories:
        lowest, highest = min(categories), max(categories)
        raise RiskInputError(
            field,
            f"{field} must be a whole number from {lowest} to {highest}; got {value!r}.",
        )


def _check_yes_no_answers(profile: RiskProfile) -> None:
    """Raise RiskInputError naming the first yes/no answer that is not True or False.

    A value such as 1 or 2 is refused, as the reference tools refuse yes_no = 2: a
    mistyped answer must not be read as yes.
    """
    values = _yes_no_values(profile)
    if set(map(type, values)) == _ONLY_BOOL:
        return
    for name, value in zip(YES_NO_ANSWERS, values, strict=True):
        if type(value) is not bool:
            raise RiskInputError(name, f"{name} must be True or False; got {value!r}.")
