"""Properties every QFracture-2012 estimate must have, for any valid set of answers.

Which answers each equation leaves out is written here from the published description
(docs/clinical/qfracture-2012.md), not read from the coefficients, so a wrong or missing
coefficient key would show up as a failure rather than be copied into the expectation.
"""

import csv
import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from webapp.risk import (
    ALCOHOL,
    ETHNICITY,
    SMOKING,
    Effect,
    RiskProfile,
    estimate_fracture_risk,
    meets_nice_cg146_assessment_criteria,
    nice_cg146_assessment_reasons,
    risk_factors_used,
)
from webapp.risk.profile import YES_NO_ANSWERS

NOT_IN_EQUATION = {
    ("female", "major_osteoporotic"): {"care_home"},
    ("female", "hip"): {"care_home", "malabsorption", "parent_hip_fracture_or_osteoporosis"},
    ("male", "major_osteoporotic"): {"oestrogen_only_hrt", "endocrine_problems"},
    ("male", "hip"): {"oestrogen_only_hrt", "endocrine_problems", "malabsorption"},
}
LOWERS_RISK = {"oestrogen_only_hrt"}
DIABETES = ("type1_diabetes", "type2_diabetes")
OUTCOMES = ("major_osteoporotic", "hip")
# Above this a risk is so close to 100% that a change may not show in a float.
SATURATED = 99.0
# The men's MOF risk is lowest at BMI 36.94 (where sqrt(BMI / 10) = 18.179 / 9.458, the
# two BMI terms' slopes cancelling); a little either side, it falls before and rises after.
MENS_MOF_FALLS_UP_TO_BMI = 36.9


def risk_of(profile: RiskProfile, outcome: str, years: int = 10) -> float:
    return getattr(estimate_fracture_risk(profile, years), f"{outcome}_percent")


@st.composite
def profiles(draw, youngest=30, oldest=100, sexes=("female", "male")):
    """Any profile the equations accept: one diabetes answer at most."""
    answers = {name: draw(st.booleans()) for name in YES_NO_ANSWERS if name not in DIABETES}
    diabetes = draw(st.sampled_from([None, *DIABETES]))
    answers |= {name: name == diabetes for name in DIABETES}
    return RiskProfile(
        sex=draw(st.sampled_from(sexes)),
        age=draw(st.integers(youngest, oldest)),
        bmi=draw(st.floats(20.0, 40.0)),
        ethnicity=draw(st.sampled_from(list(ETHNICITY))),
        smoking=draw(st.sampled_from(list(SMOKING))),
        alcohol=draw(st.sampled_from(list(ALCOHOL))),
        **answers,
    )


def with_answer(profile: RiskProfile, answer: str, yes: bool) -> RiskProfile:
    """The profile with one answer set; the other diabetes answer off, yes or no."""
    changes = {answer: yes}
    if answer in DIABETES:
        changes |= {other: False for other in DIABETES if other != answer}
    return dataclasses.replace(profile, **changes)


@given(profiles(), st.integers(1, 18))
def test_every_estimate_is_a_percentage(profile, years):
    risk = estimate_fracture_risk(profile, years)

    assert 0.0 <= risk.major_osteoporotic_percent <= 100.0
    assert 0.0 <= risk.hip_percent <= 100.0


@given(profiles(youngest=36, oldest=99), st.sampled_from(OUTCOMES))
def test_risk_rises_with_age_from_36_in_every_equation(profile, outcome):
    younger = risk_of(profile, outcome)
    older = risk_of(dataclasses.replace(profile, age=profile.age + 1), outcome)

    assert older >= younger
    if younger < SATURATED:
        assert older > younger


@given(profiles(), st.sampled_from(OUTCOMES), st.integers(1, 17))
def test_risk_rises_with_the_horizon(profile, outcome, years):
    sooner, later = risk_of(profile, outcome, years), risk_of(profile, outcome, years + 1)

    assert later >= sooner
    if sooner < SATURATED:
        assert later > sooner


def risks_at_two_bmis(profile, bmi, other, outcome) -> tuple[float, float, float, float]:
    """(lower BMI, higher BMI, risk at the lower, risk at the higher)."""
    lower, higher = sorted((bmi, other))
    at_lower = risk_of(dataclasses.replace(profile, bmi=lower), outcome)
    at_higher = risk_of(dataclasses.replace(profile, bmi=higher), outcome)
    return lower, higher, at_lower, at_higher


@given(profiles(), st.floats(20.0, 40.0), st.floats(20.0, 40.0), st.sampled_from(OUTCOMES))
def test_risk_falls_as_bmi_rises_except_mens_mof_near_40(profile, bmi, other, outcome):
    lower, higher, at_lower, at_higher = risks_at_two_bmis(profile, bmi, other, outcome)
    mens_mof = (profile.sex, outcome) == ("male", "major_osteoporotic")

    if not mens_mof or higher <= MENS_MOF_FALLS_UP_TO_BMI:
        assert at_higher <= at_lower
        if higher - lower >= 0.1 and at_higher < SATURATED:
            assert at_higher < at_lower


@given(profiles(sexes=("male",)), st.floats(37.0, 40.0), st.floats(37.0, 40.0))
def test_mens_mof_risk_turns_up_above_bmi_37(profile, bmi, other):
    lower, higher, at_lower, at_higher = risks_at_two_bmis(
        profile, bmi, other, "major_osteoporotic"
    )

    assert at_higher >= at_lower
    if higher - lower >= 0.1 and at_lower < SATURATED:
        assert at_higher > at_lower


@given(profiles(), st.sampled_from(YES_NO_ANSWERS), st.sampled_from(OUTCOMES))
def test_each_listed_yes_answer_raises_the_risk_and_hrt_lowers_it(profile, answer, outcome):
    no = risk_of(with_answer(profile, answer, False), outcome)
    yes = risk_of(with_answer(profile, answer, True), outcome)

    if answer in NOT_IN_EQUATION[profile.sex, outcome]:
        assert yes == no
    elif answer in LOWERS_RISK:
        assert yes <= no
        assert yes < no or no == 0.0
    else:
        assert yes >= no
        if no < SATURATED:
            assert yes > no


@given(profiles())
def test_risk_factors_used_tells_the_truth_about_each_yes_answer(profile):
    for answer, use in risk_factors_used(profile).items():
        for outcome in OUTCOMES:
            effect = getattr(use, outcome)
            in_equation = answer not in NOT_IN_EQUATION[profile.sex, outcome]
            assert (effect is not Effect.NOT_USED) == in_equation
            if in_equation:
                expected = Effect.LOWERS if answer in LOWERS_RISK else Effect.RAISES
                assert effect is expected
    assert set(risk_factors_used(profile)) == {a for a in YES_NO_ANSWERS if getattr(profile, a)}


@given(
    sex=st.sampled_from(("female", "male")),
    age=st.integers(30, 100),
    bmi=st.floats(10.0, 60.0),
    smoking=st.sampled_from(list(SMOKING)),
    alcohol=st.sampled_from(list(ALCOHOL)),
    yes_answers=st.frozensets(st.sampled_from(YES_NO_ANSWERS)),
)
def test_nice_cg146_yes_no_agrees_with_its_reasons(sex, age, bmi, smoking, alcohol, yes_answers):
    answers = dict(sex=sex, age=age, bmi=bmi, smoking=smoking, alcohol=alcohol)

    reasons = nice_cg146_assessment_reasons(**answers, yes_answers=yes_answers)

    assert meets_nice_cg146_assessment_criteria(**answers, yes_answers=yes_answers) == bool(reasons)


# A line the fast path reads by splitting on commas: anything but quotes and line breaks.
# (A blank line is skipped before it is split, as csv.reader skips it.)
plain_lines = st.text(st.characters(blacklist_characters='"\r\n'), min_size=1, max_size=60)


@given(plain_lines, st.sampled_from(["\n", "\r\n", ""]))
def test_splitting_a_plain_line_reads_it_as_the_csv_module_does(text, line_end):
    assert text.split(",") == next(csv.reader([text + line_end]))
