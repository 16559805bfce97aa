"""A completed check's result: both risks in words, what changed them, and why to see a GP.

Everything here is worked out again from the answers each time the result is shown; the
answers are never stored on the server.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from webapp.risk import (
    AssessmentReason,
    Effect,
    FractureRisk,
    estimate_fracture_risk,
    nice_cg146_assessment_reasons,
    risk_factors_used,
    yes_answers,
)
from webapp.risk.guidance import CURRENT_SMOKER_CATEGORIES, OVER_14_UNITS_A_WEEK_CATEGORIES
from webapp.selfcheck import advice
from webapp.selfcheck.answers import (
    CHECK_DESIGNED_FROM_AGE,
    CONDITION_CHOICES,
    other_risk_factors,
    own_bmi,
    risk_profile,
)

# CG146 asks for caution when interpreting a 10-year risk over this age.
CAUTION_OVER_AGE = 80

# Plain names for each yes answer, as the result lists them.
ANSWER_NAMES = {
    "previous_fracture": "A broken wrist, spine, hip or shoulder bone",
    "parent_hip_fracture_or_osteoporosis": "A parent who had a hip fracture or osteoporosis",
    "falls": "Falls",
    "steroid_tablets": "Steroid tablets",
    "type1_diabetes": "Type 1 diabetes",
    "type2_diabetes": "Type 2 diabetes",
    **{choice.value: choice.label for choice in CONDITION_CHOICES},
    "antidepressants": "Antidepressants",
    "oestrogen_only_hrt": "Oestrogen-only HRT",
    "care_home": "Living in a nursing home or care home",
}

_NICE_REASON_TEXT = {
    AssessmentReason.WOMAN_65_OR_OVER: advice.REASON_WOMAN_65_OR_OVER,
    AssessmentReason.MAN_75_OR_OVER: advice.REASON_MAN_75_OR_OVER,
    AssessmentReason.PREVIOUS_FRACTURE: advice.REASON_PREVIOUS_FRACTURE,
    AssessmentReason.STEROID_TABLETS: advice.REASON_STEROID_TABLETS,
    AssessmentReason.FALLS: advice.REASON_FALLS,
    AssessmentReason.PARENT_HIP_FRACTURE: advice.REASON_PARENT,
    AssessmentReason.SECONDARY_OSTEOPOROSIS: advice.REASON_SECONDARY_OSTEOPOROSIS,
    AssessmentReason.LOW_BMI: advice.REASON_LOW_BMI,
    AssessmentReason.SMOKING: advice.REASON_SMOKING,
    AssessmentReason.ALCOHOL: advice.REASON_ALCOHOL,
}
# NOGG triggers (for people 50 and over) that CG146's list does not already cover.
_NOGG_ANSWER_REASONS = (
    (("cancer",), advice.REASON_CANCER),
    (("asthma_or_copd",), advice.REASON_LUNG),
    (("dementia", "epilepsy_or_anticonvulsants", "parkinsons"), advice.REASON_NEUROLOGICAL),
)
_NOGG_OTHER_REASONS = {
    "height_loss": advice.REASON_HEIGHT_LOSS,
    "premature_menopause": advice.REASON_PREMATURE_MENOPAUSE,
    "aromatase_inhibitors": advice.REASON_AROMATASE_INHIBITORS,
    "androgen_deprivation_therapy": advice.REASON_ANDROGEN_DEPRIVATION,
}


def people_in_100(percent: float) -> str:
    """A risk in words: "about 4.6 in 100", "about 45 in 100", "fewer than 1 in 1,000".

    One decimal below 10, whole numbers from 10. A risk above 0 that would round to 0.0
    must not read as no risk at all, so it is "fewer than 1 in 1,000".
    """
    tenths = Decimal(repr(percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if tenths <= 0:
        return "fewer than 1 in 1,000"
    if tenths < 10:
        return f"about {tenths} in 100"
    whole = tenths.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if whole >= 100:
        return "more than 99 in 100"
    return f"about {whole} in 100"


def people_affected(percent: float) -> int:
    """How many of 100 figures to colour in for a risk: the nearest whole number, 0 to 100.

    Rounded from the tenths the words show, so the picture keeps the rule its key
    states: 0.46 reads "about 0.5 in 100" and colours 1 in, not 0.
    """
    tenths = Decimal(repr(percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole = tenths.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(0, min(100, int(whole)))


@dataclass(frozen=True)
class FactorEffect:
    """One yes answer and what it does to each of the two risks."""

    name: str
    major_osteoporotic: Effect
    hip: Effect


@dataclass(frozen=True)
class ThingToDo:
    """One piece of advice, with the trusted page to read more where there is one."""

    text: str
    read_more: advice.Link | None = None


@dataclass(frozen=True)
class CheckResult:
    """Everything the result page and the GP summary show."""

    sex: str
    age: int
    bmi: float
    bmi_note: str | None
    risk: FractureRisk
    raising: tuple[FactorEffect, ...]
    lowering: tuple[FactorEffect, ...]
    reasons: tuple[str, ...]
    reasons_outside_numbers: bool
    broken_bone_lead: bool
    low_bmi: bool
    # "Things you can do now": only the advice that applies to this person, each said once.
    things_to_do: tuple[ThingToDo, ...] = ()

    @property
    def major_osteoporotic_words(self) -> str:
        return people_in_100(self.risk.major_osteoporotic_percent)

    @property
    def hip_words(self) -> str:
        return people_in_100(self.risk.hip_percent)

    @property
    def reasons_besides_broken_bone(self) -> tuple[str, ...]:
        """The reasons to list under the broken-bone advice, which already says that one.

        Without the broken-bone advice (no break, or under 50) every reason is listed.
        """
        if not self.broken_bone_lead:
            return self.reasons
        return tuple(reason for reason in self.reasons if reason != advice.REASON_PREVIOUS_FRACTURE)

    @property
    def over_80(self) -> bool:
        return self.age > CAUTION_OVER_AGE

    @property
    def under_50(self) -> bool:
        return self.age < CHECK_DESIGNED_FROM_AGE


def work_out_result(answers: dict) -> CheckResult:
    """The result for a complete set of answers (see answers.is_complete).

    Raises RiskInputError if the height and weight give a BMI no adult could have.
    """
    profile, bmi_note = risk_profile(answers)
    bmi = own_bmi(answers)
    answered_yes = yes_answers(profile)
    others = other_risk_factors(answers)
    effects = [
        FactorEffect(ANSWER_NAMES[answer], use.major_osteoporotic, use.hip)
        for answer, use in risk_factors_used(profile).items()
    ]
    nice_reasons = nice_cg146_assessment_reasons(
        sex=profile.sex,
        age=profile.age,
        bmi=bmi,
        smoking=profile.smoking,
        alcohol=profile.alcohol,
        yes_answers=answered_yes,
    )
    return CheckResult(
        sex=profile.sex,
        age=profile.age,
        bmi=bmi,
        bmi_note=bmi_note,
        risk=estimate_fracture_risk(profile),
        raising=tuple(effect for effect in effects if Effect.RAISES in _both(effect)),
        lowering=tuple(effect for effect in effects if Effect.LOWERS in _both(effect)),
        reasons=reasons_to_be_assessed(nice_reasons, profile.age, answered_yes, others),
        reasons_outside_numbers=bool(others),
        broken_bone_lead=profile.previous_fracture and profile.age >= CHECK_DESIGNED_FROM_AGE,
        low_bmi=AssessmentReason.LOW_BMI in nice_reasons,
        things_to_do=things_to_do(profile),
    )


def things_to_do(profile) -> tuple[ThingToDo, ...]:
    """What this person can do now, each said once.

    Advice about falls, smoking or drinking is left out for a person whose answers say it
    does not apply to them: balance training and the falls service only after a yes to
    falls, the NHS's support to stop only for someone who smokes now.
    """
    applies = (
        (ThingToDo(advice.DO_EXERCISE, advice.READ_ROS_EXERCISE), True),
        (ThingToDo(advice.DO_FALLS, advice.READ_NHS_FALLS), profile.falls),
        (ThingToDo(advice.DO_CALCIUM), True),
        (ThingToDo(advice.DO_VITAMIN_D), True),
        (ThingToDo(advice.DO_SMOKING, advice.READ_NHS_QUIT_SMOKING),
         profile.smoking in CURRENT_SMOKER_CATEGORIES),
        (ThingToDo(advice.DO_ALCOHOL), profile.alcohol in OVER_14_UNITS_A_WEEK_CATEGORIES),
    )
    return tuple(thing for thing, applies_here in applies if applies_here)


def _both(effect: FactorEffect) -> tuple[Effect, Effect]:
    return effect.major_osteoporotic, effect.hip


def reasons_to_be_assessed(
    nice_reasons, age: int, answered_yes: tuple[str, ...], others: tuple[str, ...]
) -> tuple[str, ...]:
    """Each reason NICE CG146 or NOGG gives for a fracture-risk assessment, in plain words.

    NICE's reasons come from webapp.risk (which already keeps only the major ones under
    50). NOGG's extra triggers apply to people aged 50 and over; under 50, an untreated
    premature menopause is one of NICE's major risk factors, so it is listed with NICE's
    wording instead.
    """
    reasons = [_nice_reason_text(reason, age) for reason in nice_reasons]
    if age < CHECK_DESIGNED_FROM_AGE:
        if "premature_menopause" in others:
            reasons.append(advice.REASON_PREMATURE_MENOPAUSE_UNDER_50)
        return tuple(reasons)
    for answers, text in _NOGG_ANSWER_REASONS:
        if any(answer in answered_yes for answer in answers):
            reasons.append(text)
    reasons.extend(_NOGG_OTHER_REASONS[other] for other in others)
    return tuple(reasons)


def _nice_reason_text(reason: AssessmentReason, age: int) -> str:
    if reason is AssessmentReason.PREVIOUS_FRACTURE and age < CHECK_DESIGNED_FROM_AGE:
        return advice.REASON_PREVIOUS_FRACTURE_UNDER_50
    return _NICE_REASON_TEXT[reason]
