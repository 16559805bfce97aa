"""Who NICE CG146 says to consider for a fracture-risk assessment, from our questions.

Source: NICE clinical guideline CG146, "Osteoporosis: assessing the risk of fragility
fracture" (August 2012, updated February 2017), recommendations 1.1.1 to 1.1.3:

- consider assessing all women aged 65 and over and all men aged 75 and over;
- and younger women and men (50 and over) with a risk factor: previous fragility
  fracture, current or frequent recent oral or systemic glucocorticoids, a history of
  falls, a family history of hip fracture, other causes of secondary osteoporosis, BMI
  below 18.5, smoking, alcohol over 14 units a week;
- under 50, only with a major risk factor (glucocorticoids, untreated premature menopause,
  previous fragility fracture).

How our answers stand in for those factors (docs/clinical/case-finding.md says the same):

- parental history: our question merges a parent's hip fracture with a parent's
  osteoporosis (QFracture asks it that way), so it counts a few people CG146 would not;
- smoking: current smokers, categories 2 to 4 (light, moderate, heavy); ex-smokers do not
  count;
- alcohol over 14 units a week: categories 3 to 5 (3 or more units a day, about 21 or more
  a week). Category 2 (1 to 2 units a day) is 7 to 14 a week, so it does not count;
- secondary osteoporosis: the answers that name a cause listed in CG146's footnote
  (diabetes, endocrine problems, malabsorption, chronic liver disease, chronic kidney
  disease, rheumatoid arthritis; lupus shares the question). Asthma or COPD shares one
  question, and asthma is not a listed cause, so it does not count;
- untreated premature menopause is not a QFracture question, so it is not counted here.

The self-check reuses this to explain its advice; case-finding counts it in its summary.
"""

from collections.abc import Collection
from enum import StrEnum

from webapp.risk.errors import RiskInputError
from webapp.risk.profile import SEXES

WOMEN_ASSESSED_FROM_AGE = 65
MEN_ASSESSED_FROM_AGE = 75
RISK_FACTORS_COUNT_FROM_AGE = 50
LOW_BMI_BELOW = 18.5
CURRENT_SMOKER_CATEGORIES = frozenset({2, 3, 4})
OVER_14_UNITS_A_WEEK_CATEGORIES = frozenset({3, 4, 5})
SECONDARY_OSTEOPOROSIS_ANSWERS = frozenset(
    {
        "rheumatoid_arthritis_or_lupus",
        "type1_diabetes",
        "type2_diabetes",
        "endocrine_problems",
        "malabsorption",
        "liver_disease",
        "kidney_disease",
    }
)


class AssessmentReason(StrEnum):
    """One reason CG146 gives for considering a fracture-risk assessment, in plain words."""

    WOMAN_65_OR_OVER = "woman aged 65 or over"
    MAN_75_OR_OVER = "man aged 75 or over"
    PREVIOUS_FRACTURE = "previous fracture"
    STEROID_TABLETS = "steroid tablets"
    FALLS = "history of falls"
    PARENT_HIP_FRACTURE = "parent had a hip fracture or osteoporosis"
    SECONDARY_OSTEOPOROSIS = "a condition that can cause osteoporosis"
    LOW_BMI = "BMI below 18.5"
    SMOKING = "current smoker"
    ALCOHOL = "more than 14 units of alcohol a week"


_REASON_FOR_ANSWER = {
    "previous_fracture": AssessmentReason.PREVIOUS_FRACTURE,
    "steroid_tablets": AssessmentReason.STEROID_TABLETS,
    "falls": AssessmentReason.FALLS,
    "parent_hip_fracture_or_osteoporosis": AssessmentReason.PARENT_HIP_FRACTURE,
}
# Under 50, CG146 only counts major risk factors that we ask about.
_MAJOR_UNDER_50 = frozenset({AssessmentReason.PREVIOUS_FRACTURE, AssessmentReason.STEROID_TABLETS})
_MAJOR_UNDER_50_ANSWERS = frozenset(
    answer for answer, reason in _REASON_FOR_ANSWER.items() if reason in _MAJOR_UNDER_50
)
_RISK_FACTOR_ANSWERS = frozenset(_REASON_FOR_ANSWER) | SECONDARY_OSTEOPOROSIS_ANSWERS


def nice_cg146_assessment_reasons(
    *, sex: str, age: int, bmi: float, smoking: int, alcohol: int, yes_answers: Collection[str]
) -> tuple[AssessmentReason, ...]:
    """Every CG146 reason to consider this person for a fracture-risk assessment.

    `bmi` is the person's own BMI, before any bounding to 20 to 40 for the equations:
    a BMI below 18.5 is a reason in itself. `yes_answers` holds RiskProfile field names
    answered yes (see `yes_answers`). An empty tuple means CG146 does not suggest it.
    """
    reasons = []
    age_reason = _age_reason(sex, age)
    if age_reason is not None:
        reasons.append(age_reason)
    factors = _risk_factors(bmi, smoking, alcohol, yes_answers)
    if age < RISK_FACTORS_COUNT_FROM_AGE:
        factors = [reason for reason in factors if reason in _MAJOR_UNDER_50]
    return (*reasons, *factors)


def meets_nice_cg146_assessment_criteria(
    *, sex: str, age: int, bmi: float, smoking: int, alcohol: int, yes_answers: Collection[str]
) -> bool:
    """True when CG146 suggests considering a fracture-risk assessment for this person.

    Same arguments and rules as `nice_cg146_assessment_reasons` (the tests hold the two
    to the same answer), without building the list: case-finding asks this for every
    row of a practice list.
    """
    if _age_reason(sex, age) is not None:
        return True
    if age < RISK_FACTORS_COUNT_FROM_AGE:
        return not _MAJOR_UNDER_50_ANSWERS.isdisjoint(yes_answers)
    return (
        not _RISK_FACTOR_ANSWERS.isdisjoint(yes_answers)
        or bmi < LOW_BMI_BELOW
        or smoking in CURRENT_SMOKER_CATEGORIES
        or alcohol in OVER_14_UNITS_A_WEEK_CATEGORIES
    )


def _age_reason(sex: str, age: int) -> AssessmentReason | None:
    if sex not in SEXES:
        raise RiskInputError("sex", f"sex must be 'female' or 'male'; got {sex!r}.")
    if sex == "female" and age >= WOMEN_ASSESSED_FROM_AGE:
        return AssessmentReason.WOMAN_65_OR_OVER
    if sex == "male" and age >= MEN_ASSESSED_FROM_AGE:
        return AssessmentReason.MAN_75_OR_OVER
    return None


def _risk_factors(
    bmi: float, smoking: int, alcohol: int, yes_answers: Collection[str]
) -> list[AssessmentReason]:
    factors = [reason for answer, reason in _REASON_FOR_ANSWER.items() if answer in yes_answers]
    if not SECONDARY_OSTEOPOROSIS_ANSWERS.isdisjoint(yes_answers):
        factors.append(AssessmentReason.SECONDARY_OSTEOPOROSIS)
    if bmi < LOW_BMI_BELOW:
        factors.append(AssessmentReason.LOW_BMI)
    if smoking in CURRENT_SMOKER_CATEGORIES:
        factors.append(AssessmentReason.SMOKING)
    if alcohol in OVER_14_UNITS_A_WEEK_CATEGORIES:
        factors.append(AssessmentReason.ALCOHOL)
    return factors
