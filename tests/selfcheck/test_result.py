"""The result: risks in words, the answers that changed them, and the reasons to see a GP."""

import pytest

from tests.selfcheck.examples import complete_answers
from webapp.risk import Effect, RiskProfile, estimate_fracture_risk
from webapp.selfcheck import advice
from webapp.selfcheck.result import people_affected, people_in_100, work_out_result


@pytest.mark.parametrize(
    "percent, words",
    [
        (4.6, "about 4.6 in 100"),
        (4.64, "about 4.6 in 100"),
        (4.65, "about 4.7 in 100"),
        (0.05, "about 0.1 in 100"),
        (0.049, "fewer than 1 in 1,000"),
        (1e-9, "fewer than 1 in 1,000"),
        (9.94, "about 9.9 in 100"),
        (9.96, "about 10 in 100"),
        (45.4, "about 45 in 100"),
        (45.5, "about 46 in 100"),
        (99.6, "more than 99 in 100"),
    ],
)
def test_risk_in_words(percent, words):
    assert people_in_100(percent) == words


@pytest.mark.parametrize("percent, figures", [(0.2, 0), (0.5, 1), (4.6, 5), (45.4, 45),
                                              (99.7, 100), (0.46, 1), (0.449, 0), (9.96, 10)])
def test_figures_coloured_in(percent, figures):
    assert people_affected(percent) == figures


def test_the_result_uses_the_engine_with_the_persons_answers():
    result = work_out_result(complete_answers())
    expected = estimate_fracture_risk(
        RiskProfile(sex="female", age=65, bmi=68 / 1.65**2, ethnicity=1, smoking=0, alcohol=0)
    )
    assert result.risk == expected


def _effects(result):
    return {
        factor.name: (factor.major_osteoporotic, factor.hip)
        for factor in (*result.raising, *result.lowering)
    }


def test_a_womans_parental_history_raises_only_the_major_fracture_risk():
    result = work_out_result(complete_answers(parent_hip_fracture="yes"))
    effects = _effects(result)
    assert effects["A parent who had a hip fracture or osteoporosis"] == (
        Effect.RAISES, Effect.NOT_USED
    )


def test_a_mans_parental_history_raises_both():
    result = work_out_result(complete_answers(sex="male", parent_hip_fracture="yes"))
    assert _effects(result)["A parent who had a hip fracture or osteoporosis"] == (
        Effect.RAISES, Effect.RAISES
    )


def test_malabsorption_is_not_part_of_the_hip_number():
    result = work_out_result(complete_answers(conditions=["malabsorption"]))
    (name,) = [factor.name for factor in result.raising]
    assert _effects(result)[name] == (Effect.RAISES, Effect.NOT_USED)


def test_hrt_is_listed_as_lowering_never_as_raising():
    result = work_out_result(complete_answers(medicines=["oestrogen_only_hrt"]))
    assert result.raising == ()
    assert [factor.name for factor in result.lowering] == ["Oestrogen-only HRT"]


def test_a_mans_answers_never_include_hrt_or_endocrine_problems():
    answers = complete_answers(
        sex="male", medicines=["oestrogen_only_hrt"], conditions=["endocrine_problems"]
    )
    result = work_out_result(answers)
    assert result.raising == () and result.lowering == ()


def test_a_woman_of_65_is_told_nice_suggests_an_assessment():
    assert advice.REASON_WOMAN_65_OR_OVER in work_out_result(complete_answers()).reasons


def test_a_man_of_60_with_no_risk_factor_has_no_reason():
    assert work_out_result(complete_answers(sex="male", age=60)).reasons == ()


def test_nogg_triggers_outside_the_equations_are_reasons_and_said_to_be_outside():
    answers = complete_answers(age=55, other_risk_factors=["height_loss", "premature_menopause"])
    result = work_out_result(answers)
    assert result.reasons == (advice.REASON_HEIGHT_LOSS, advice.REASON_PREMATURE_MENOPAUSE)
    assert result.reasons_outside_numbers


def test_nogg_conditions_outside_nices_list_are_reasons_from_50():
    answers = complete_answers(age=55, conditions=["cancer", "asthma_or_copd", "parkinsons"])
    assert work_out_result(answers).reasons == (
        advice.REASON_CANCER, advice.REASON_LUNG, advice.REASON_NEUROLOGICAL
    )


def test_under_50_only_major_risk_factors_count():
    answers = {
        **complete_answers(age=45, falls="yes", conditions=["cancer"],
                           other_risk_factors=["premature_menopause"]),
        "continue_under_50": True,
    }
    assert work_out_result(answers).reasons == (advice.REASON_PREMATURE_MENOPAUSE_UNDER_50,)


def test_a_low_bmi_is_a_reason_and_noted():
    result = work_out_result(complete_answers(weight={"kg": 48.0}))
    assert result.low_bmi
    assert advice.REASON_LOW_BMI in result.reasons
    assert result.bmi_note and "below 20" in result.bmi_note


def test_a_high_bmi_is_estimated_at_40_with_a_note():
    result = work_out_result(complete_answers(weight={"kg": 120.0}))
    assert result.bmi == pytest.approx(120 / 1.65**2)
    assert "above 40" in result.bmi_note
    assert not result.low_bmi


def test_a_broken_bone_after_50_leads_the_result():
    assert work_out_result(complete_answers(broken_bones="yes")).broken_bone_lead
    assert not work_out_result(complete_answers()).broken_bone_lead


@pytest.mark.parametrize("age, caution", [(80, False), (81, True)])
def test_over_80_the_10_year_risk_is_read_with_caution(age, caution):
    assert work_out_result(complete_answers(age=age)).over_80 is caution


def test_after_a_broken_bone_since_50_the_other_reasons_leave_out_the_broken_bone():
    """The broken-bone advice says it; the list under it does not say it again."""
    result = work_out_result(complete_answers(falls="yes", broken_bones="yes"))
    assert advice.REASON_PREVIOUS_FRACTURE in result.reasons  # the GP summary lists it
    assert result.reasons_besides_broken_bone == (
        advice.REASON_WOMAN_65_OR_OVER, advice.REASON_FALLS
    )


def test_without_the_broken_bone_advice_every_reason_is_listed():
    result = work_out_result(complete_answers(falls="yes"))
    assert result.reasons_besides_broken_bone == result.reasons == (
        advice.REASON_WOMAN_65_OR_OVER, advice.REASON_FALLS
    )


def test_under_50_a_broken_bone_stays_in_the_list_in_its_under_50_words():
    """Under 50 there is no broken-bone advice (it is written for 50 and over)."""
    answers = {**complete_answers(age=45, broken_bones="yes"), "continue_under_50": True}
    result = work_out_result(answers)
    assert not result.broken_bone_lead
    assert result.reasons_besides_broken_bone == (advice.REASON_PREVIOUS_FRACTURE_UNDER_50,)


# Things to do now: only what applies, each with its trusted page ---------------------------
def _texts(result) -> list[str]:
    return [thing.text for thing in result.things_to_do]


def test_everyone_is_told_about_exercise_calcium_and_vitamin_d_and_nothing_else_by_default():
    result = work_out_result(complete_answers())
    assert _texts(result) == [advice.DO_EXERCISE, advice.DO_CALCIUM, advice.DO_VITAMIN_D]


def test_no_falls_advice_after_no_to_falls():
    """Balance training and the falls service are for people who have fallen."""
    result = work_out_result(complete_answers(falls="no"))
    assert advice.DO_FALLS not in _texts(result)
    assert not any("fall" in thing.text.lower() for thing in result.things_to_do)
    assert advice.READ_NHS_FALLS not in [thing.read_more for thing in result.things_to_do]


def test_falls_advice_and_its_link_after_yes_to_falls():
    result = work_out_result(complete_answers(falls="yes"))
    (falls,) = [thing for thing in result.things_to_do if thing.text == advice.DO_FALLS]
    assert falls.read_more == advice.READ_NHS_FALLS


@pytest.mark.parametrize("smoking, told", [("0", False), ("1", False), ("2", True), ("3", True),
                                           ("4", True)])
def test_the_stop_smoking_advice_and_link_only_for_someone_who_smokes_now(smoking, told):
    result = work_out_result(complete_answers(smoking=smoking))
    links = [thing.read_more for thing in result.things_to_do]
    assert (advice.DO_SMOKING in _texts(result)) is told
    assert (advice.READ_NHS_QUIT_SMOKING in links) is told


@pytest.mark.parametrize("alcohol, told", [("0", False), ("1", False), ("2", False),
                                           ("3", True), ("5", True)])
def test_the_alcohol_limit_only_for_someone_who_drinks_more_than_14_units(alcohol, told):
    result = work_out_result(complete_answers(alcohol=alcohol))
    assert (advice.DO_ALCOHOL in _texts(result)) is told


def test_exercise_links_to_the_royal_osteoporosis_society():
    (exercise,) = [thing for thing in work_out_result(complete_answers()).things_to_do
                   if thing.text == advice.DO_EXERCISE]
    assert exercise.read_more == advice.READ_ROS_EXERCISE


def test_every_thing_to_do_is_said_once_and_every_link_is_https():
    answers = complete_answers(falls="yes", smoking="3", alcohol="5")
    things = work_out_result(answers).things_to_do
    assert len({thing.text for thing in things}) == len(things) == 6
    for thing in things:
        assert thing.read_more is None or thing.read_more.url.startswith("https://")
