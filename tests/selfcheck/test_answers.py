"""The order of the questions, the age pages, and answers turned into a RiskProfile."""

import pytest

from tests.selfcheck.examples import answers_before, complete_answers
from webapp.selfcheck.answers import (
    OVER_100,
    QUESTIONS,
    UNDER_50,
    fingerprint,
    is_complete,
    may_ask,
    next_step,
    risk_profile,
    with_answer,
)


def test_age_comes_first_and_nothing_else_can_be_asked_before_it():
    assert next_step({}) == "age"
    assert may_ask({}, "age")
    assert not may_ask({}, "sex")


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_follows_the_ones_before_it(question):
    answers = answers_before(question)
    assert next_step(answers) == question
    assert may_ask(answers, question)
    later = QUESTIONS[QUESTIONS.index(question) + 1 :]
    assert not any(may_ask(answers, other) for other in later)


@pytest.mark.parametrize("age, step", [(18, UNDER_50), (29, UNDER_50), (30, UNDER_50),
                                       (49, UNDER_50), (50, None), (100, None), (101, OVER_100)])
def test_age_decides_whether_the_check_fits(age, step):
    assert next_step(complete_answers(age=age)) == step


def test_from_30_to_49_a_person_may_choose_to_carry_on():
    answers = {**complete_answers(age=45), "continue_under_50": True}
    assert is_complete(answers)


def test_under_30_carrying_on_is_not_possible():
    answers = {**complete_answers(age=29), "continue_under_50": True}
    assert next_step(answers) == UNDER_50
    assert not may_ask(answers, "sex")


def test_a_new_sex_asks_the_pages_whose_choices_differ_again():
    answers = complete_answers(medicines=["oestrogen_only_hrt"])
    changed = with_answer(answers, "sex", "male")
    assert next_step(changed) == "conditions"
    assert "medicines" not in changed and "other_risk_factors" not in changed


def test_the_same_sex_again_forgets_nothing():
    answers = complete_answers()
    assert with_answer(answers, "sex", "female") == answers


def test_an_age_that_crosses_50_asks_the_broken_bones_question_again():
    answers = {**complete_answers(age=45), "continue_under_50": True}
    changed = with_answer(answers, "age", {"years": 67, "from_date_of_birth": False})
    assert next_step(changed) == "broken_bones"


def test_answers_become_the_profile_the_equations_take():
    answers = complete_answers(
        diabetes="type2_diabetes",
        conditions=["malabsorption", "cancer"],
        medicines=["oestrogen_only_hrt"],
        ethnicity="not-stated",
        smoking="3",
        alcohol="2",
        falls="yes",
    )
    profile, note = risk_profile(answers)
    assert note is None
    assert profile.age == 65 and profile.sex == "female"
    assert profile.bmi == pytest.approx(68 / 1.65**2)
    assert profile.ethnicity == 1  # prefer not to say is coded as 1, as ClinRisk does
    assert (profile.smoking, profile.alcohol) == (3, 2)
    assert profile.type2_diabetes and not profile.type1_diabetes
    assert profile.malabsorption and profile.cancer and profile.oestrogen_only_hrt
    assert profile.falls and not profile.previous_fracture


def test_a_choice_not_offered_to_this_sex_never_reaches_the_equations():
    answers = complete_answers(sex="male", medicines=["oestrogen_only_hrt", "care_home"])
    profile, _ = risk_profile(answers)
    assert profile.care_home and not profile.oestrogen_only_hrt


def test_a_low_bmi_is_estimated_at_20_with_a_note():
    profile, note = risk_profile(complete_answers(weight={"kg": 45.0}))
    assert profile.bmi == 20.0
    assert "below 20" in note


def test_the_fingerprint_changes_with_any_answer_and_only_then():
    answers = complete_answers()
    assert fingerprint(answers) == fingerprint(dict(reversed(list(answers.items()))))
    assert fingerprint(answers) != fingerprint(complete_answers(falls="yes"))
