"""The order of the questions, the age pages, and answers turned into a RiskProfile."""

import pytest

from tests.selfcheck.examples import answers_before, complete_answers
from webapp.selfcheck.answers import (
    OVER_100,
    QUESTIONS,
    UNDER_50,
    WHY_ASKED_AGAIN,
    asked_again_because,
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


def test_a_new_sex_asks_again_only_the_pages_that_now_offer_new_choices():
    """Female to male: conditions offers nothing new (the thyroid choice is women's only), so
    its answer stays; medicines now offers 'care home' and other risk factors 'androgen
    deprivation', so both are asked again, with the ticks that still apply."""
    answers = complete_answers(conditions=["cancer"], medicines=["antidepressants"],
                               other_risk_factors=["height_loss", "premature_menopause"])
    changed = with_answer(answers, "sex", "male")
    assert changed["conditions"] == ["cancer"]
    assert next_step(changed) == "medicines"
    assert asked_again_because(changed, "medicines") == (WHY_ASKED_AGAIN["sex"],
                                                         ["antidepressants"])
    assert asked_again_because(changed, "other_risk_factors")[1] == ["height_loss"]


def test_a_tick_only_the_old_sex_was_offered_is_dropped():
    answers = complete_answers(conditions=["endocrine_problems", "cancer"])
    assert with_answer(answers, "sex", "male")["conditions"] == ["cancer"]


def test_answering_a_page_asked_again_settles_it():
    changed = with_answer(complete_answers(), "sex", "male")
    settled = with_answer(changed, "medicines", ["care_home"])
    assert asked_again_because(settled, "medicines") == (None, None)


def test_changing_sex_and_back_keeps_the_ticks():
    answers = complete_answers(medicines=["antidepressants"])
    there_and_back = with_answer(with_answer(answers, "sex", "male"), "sex", "female")
    assert asked_again_because(there_and_back, "medicines")[1] == ["antidepressants"]


def test_the_same_sex_again_forgets_nothing():
    answers = complete_answers()
    assert with_answer(answers, "sex", "female") == answers


def _age(years):
    return {"years": years, "from_date_of_birth": False}


def test_an_age_that_crosses_50_asks_a_broken_bones_answer_that_may_no_longer_hold_again():
    """A break 'ever' (under 50) is not always a break 'since you turned 50'."""
    answers = {**complete_answers(age=45, broken_bones="yes"), "continue_under_50": True}
    changed = with_answer(answers, "age", _age(67))
    assert next_step(changed) == "broken_bones"
    assert asked_again_because(changed, "broken_bones") == (WHY_ASKED_AGAIN["age"], None)


@pytest.mark.parametrize("before, after, answer", [(74, 49, "yes"), (45, 67, "no")])
def test_a_broken_bones_answer_that_still_holds_across_50_is_kept(before, after, answer):
    """Yes since 50 means yes ever; no ever means no since 50."""
    answers = {**complete_answers(age=before, broken_bones=answer), "continue_under_50": True}
    assert with_answer(answers, "age", _age(after))["broken_bones"] == answer


def test_changing_age_74_to_49_and_back_keeps_the_broken_bone_answer():
    answers = complete_answers(age=74, broken_bones="no")
    at_49 = with_answer(answers, "age", _age(49))
    assert "broken_bones" not in at_49  # 'no' since 50 says nothing about before 50
    back = with_answer(at_49, "age", _age(74))
    assert back["broken_bones"] == "no" and is_complete(back)
    assert asked_again_because(back, "broken_bones") == (None, None)


def test_a_newer_broken_bones_answer_wins_over_one_kept_aside():
    answers = complete_answers(age=74, broken_bones="yes")
    at_49 = with_answer(with_answer(answers, "age", _age(49)), "broken_bones", "no")
    assert with_answer(at_49, "age", _age(74))["broken_bones"] == "no"


def test_what_is_kept_aside_does_not_change_the_fingerprint():
    answers = complete_answers(age=74, broken_bones="no")
    round_trip = with_answer(with_answer(answers, "age", _age(49)), "age", _age(74))
    assert fingerprint(round_trip) == fingerprint(answers)


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
