"""The QFracture-2012 equations against ClinRisk's own tools, and the rules around them.

The expected numbers come from ClinRisk's unmodified command-line tools (see
docs/clinical/qfracture-2012.md); they print 6 decimals, so we must print the same
6 decimals, which means being within 5e-7 of the printed number.
"""

import ast
import json
import math
from pathlib import Path

import pytest

from webapp.risk import (
    COEFFICIENT_KEYS,
    Effect,
    RiskInputError,
    RiskProfile,
    bmi_from_height_weight,
    bounded_bmi,
    estimate_fracture_risk,
    risk_factors_used,
)
from webapp.risk.equations import COEFFICIENTS_FILE, EQUATIONS
from webapp.risk.profile import ALCOHOL, ETHNICITY, SMOKING, YES_NO_ANSWERS

VECTORS = json.loads(
    Path(__file__).with_name("qfracture_2012_test_vectors.json").read_text(encoding="utf-8")
)
ANSWER_FOR_KEY = {key: answer for answer, key in COEFFICIENT_KEYS.items()}
PRINTED_TO = 5e-7 + 1e-9  # half the last printed digit, plus float noise
RISK_PACKAGE = Path(__file__).resolve().parents[2] / "webapp" / "risk"


def profile_for(vector: dict, **changes) -> RiskProfile:
    """The RiskProfile for a reference vector (its names are the reference's)."""
    answers = dict(
        sex={"F": "female", "M": "male"}[vector["sex"]],
        age=vector["age"],
        bmi=vector["bmi"],
        ethnicity=vector["ethrisk"],
        smoking=vector["smoke_cat"],
        alcohol=vector["alcohol_cat6"],
        **{ANSWER_FOR_KEY[key]: True for key in vector["flags"]},
    )
    return RiskProfile(**(answers | changes))


def vector(vector_id: str) -> dict:
    return next(v for v in VECTORS["ten_year"] if v["id"] == vector_id)


def assert_printed_like_reference(got: float, printed: float) -> None:
    assert f"{got:.6f}" == f"{printed:.6f}"
    assert abs(got - printed) <= PRINTED_TO


@pytest.mark.parametrize("reference", VECTORS["ten_year"], ids=lambda v: v["id"])
def test_ten_year_risks_match_clinrisk(reference):
    risk = estimate_fracture_risk(profile_for(reference))

    assert_printed_like_reference(risk.major_osteoporotic_percent, reference["mof"])
    assert_printed_like_reference(risk.hip_percent, reference["hip"])
    assert risk.years == 10


HORIZONS = [
    (vector_id, outcome, int(years), printed)
    for vector_id, outcomes in VECTORS["horizons"].items()
    if not vector_id.startswith("_")
    for outcome, by_year in outcomes.items()
    for years, printed in by_year.items()
]


@pytest.mark.parametrize(("vector_id", "outcome", "years", "printed"), HORIZONS)
def test_other_horizons_match_clinrisk(vector_id, outcome, years, printed):
    risk = estimate_fracture_risk(profile_for(vector(vector_id)), years=years)

    got = risk.major_osteoporotic_percent if outcome == "mof" else risk.hip_percent
    assert_printed_like_reference(got, printed)
    assert risk.years == years


def test_worked_example_in_the_readme():
    equation = EQUATIONS["female_mof"]
    linear_predictor = (
        equation.age_term(50) + equation.bmi_term(25.0) + equation.category_term(1, 0, 0)
    )

    assert linear_predictor == pytest.approx(-0.06432442, abs=5e-9)
    assert_printed_like_reference(equation.risk_percent(linear_predictor), 1.559543)


@pytest.mark.parametrize("vector_id", ["V04", "V08", "V11", "V13"])
def test_hip_risk_above_major_osteoporotic_is_reproduced_not_corrected(vector_id):
    risk = estimate_fracture_risk(profile_for(vector(vector_id)))

    assert risk.hip_percent > risk.major_osteoporotic_percent


def test_mens_major_osteoporotic_risk_dips_from_30_to_35_then_rises():
    def risk_at(age):
        return estimate_fracture_risk(profile_for(vector("V03"), age=age))

    at = {age: risk_at(age).major_osteoporotic_percent for age in (30, 35, 36)}
    assert at[30] > at[35] < at[36]


# The reference refuses these; our names for the reference's fields.
OUR_FIELD = {
    "age": "age",
    "bmi": "bmi",
    "alcohol_cat6": "alcohol",
    "ethrisk": "ethnicity",
    "smoke_cat": "smoking",
}
REFUSED = [
    (OUR_FIELD[field], value)
    for field, values in VECTORS["rejected_by_reference"].items()
    if field in OUR_FIELD
    for value in values
]


@pytest.mark.parametrize(("field", "value"), REFUSED)
def test_inputs_the_reference_refuses_are_refused_naming_the_field(field, value):
    with pytest.raises(RiskInputError) as refused:
        estimate_fracture_risk(profile_for(vector("V06"), **{field: value}))

    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field} must be")
    assert repr(value) in str(refused.value)


@pytest.mark.parametrize("answer", YES_NO_ANSWERS)
@pytest.mark.parametrize("value", VECTORS["rejected_by_reference"]["yes_no"] + [1, 0, "yes"])
def test_yes_no_answers_must_be_true_or_false(answer, value):
    with pytest.raises(RiskInputError, match=f"{answer} must be True or False") as refused:
        estimate_fracture_risk(profile_for(vector("V06"), **{answer: value}))

    assert refused.value.field == answer


@pytest.mark.parametrize("years", VECTORS["rejected_by_reference"]["surv"] + [10.0, True])
def test_horizon_outside_1_to_18_years_is_refused(years):
    with pytest.raises(RiskInputError, match="from 1 to 18") as refused:
        estimate_fracture_risk(profile_for(vector("V06")), years=years)

    assert refused.value.field == "years"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", 30),
        ("age", 100),
        ("bmi", 20.0),
        ("bmi", 40.0),
        ("bmi", 20),
        ("ethnicity", 1),
        ("ethnicity", 9),
        ("smoking", 0),
        ("smoking", 4),
        ("alcohol", 0),
        ("alcohol", 5),
    ],
)
def test_boundary_values_are_accepted(field, value):
    risk = estimate_fracture_risk(profile_for(vector("V01"), **{field: value}))

    assert 0 < risk.hip_percent < 100
    assert 0 < risk.major_osteoporotic_percent < 100


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sex", "Female"),
        ("sex", "X"),
        ("age", 65.0),
        ("age", True),
        ("age", "65"),
        ("bmi", "25"),
        ("bmi", math.nan),
        ("bmi", math.inf),
        ("bmi", True),
        ("ethnicity", 1.0),
        ("smoking", None),
        ("alcohol", -1),
    ],
)
def test_wrong_types_are_refused_not_coerced(field, value):
    with pytest.raises(RiskInputError) as refused:
        estimate_fracture_risk(profile_for(vector("V01"), **{field: value}))

    assert refused.value.field == field


def test_both_types_of_diabetes_are_refused():
    profile = profile_for(vector("V01"), type1_diabetes=True, type2_diabetes=True)

    with pytest.raises(RiskInputError, match="not both") as refused:
        estimate_fracture_risk(profile)

    assert refused.value.field == "diabetes"


def test_risk_input_error_is_a_value_error_with_a_readable_message():
    with pytest.raises(ValueError, match=r"^age must be a whole number from 30 to 100 years; "):
        estimate_fracture_risk(profile_for(vector("V01"), age=29))


def test_answers_each_equation_ignores_are_reported_as_not_used():
    woman = profile_for(
        vector("V06"),
        falls=True,
        oestrogen_only_hrt=True,
        care_home=True,
        malabsorption=True,
        parent_hip_fracture_or_osteoporosis=True,
    )

    used = risk_factors_used(woman)

    assert list(used) == [
        "parent_hip_fracture_or_osteoporosis",
        "falls",
        "malabsorption",
        "oestrogen_only_hrt",
        "care_home",
    ]
    assert (used["falls"].major_osteoporotic, used["falls"].hip) == (Effect.RAISES, Effect.RAISES)
    assert used["parent_hip_fracture_or_osteoporosis"].hip is Effect.NOT_USED
    assert used["malabsorption"].hip is Effect.NOT_USED
    assert used["malabsorption"].raises_risk
    assert used["oestrogen_only_hrt"].lowers_risk and not used["oestrogen_only_hrt"].raises_risk
    assert not used["care_home"].in_estimate


def test_men_are_never_told_hrt_or_endocrine_answers_changed_their_risk():
    man = profile_for(
        vector("V03"), oestrogen_only_hrt=True, endocrine_problems=True, care_home=True
    )

    used = risk_factors_used(man)

    assert not used["oestrogen_only_hrt"].in_estimate
    assert not used["endocrine_problems"].in_estimate
    assert (used["care_home"].major_osteoporotic, used["care_home"].hip) == (
        Effect.RAISES,
        Effect.RAISES,
    )
    assert set(used) == {
        "type2_diabetes",
        "asthma_or_copd",
        "cardiovascular_disease",
        "oestrogen_only_hrt",
        "endocrine_problems",
        "care_home",
    }


def test_risk_factors_used_checks_the_profile_first():
    with pytest.raises(RiskInputError):
        risk_factors_used(profile_for(vector("V01"), falls=2))


@pytest.mark.parametrize(
    ("bmi", "expected"),
    [
        (19.99, (20.0, "Your BMI is below 20; the estimate uses 20, so your risk may be higher "
                       "than shown.")),
        (16, (20.0, "Your BMI is below 20; the estimate uses 20, so your risk may be higher "
                    "than shown.")),
        (40.01, (40.0, "Your BMI is above 40; the estimate uses 40, so your risk may differ "
                       "from what is shown.")),
        (20.0, (20.0, None)),
        (31.2, (31.2, None)),
        (40, (40.0, None)),
    ],
)  # fmt: skip
def test_bounded_bmi_says_whenever_it_bounds(bmi, expected):
    assert bounded_bmi(bmi) == expected


@pytest.mark.parametrize("bmi", [9.9, 100.1, math.nan, math.inf, -25.0, "25", True])
def test_bounded_bmi_refuses_what_cannot_be_a_persons_bmi(bmi):
    with pytest.raises(RiskInputError, match="centimetres") as refused:
        bounded_bmi(bmi)

    assert refused.value.field == "bmi"


def test_bmi_from_height_and_weight():
    assert bmi_from_height_weight(160, 64) == pytest.approx(25.0)
    assert bmi_from_height_weight(182.5, 79.3) == pytest.approx(79.3 / 1.825**2)


@pytest.mark.parametrize(
    ("height_cm", "weight_kg", "field"),
    [
        (0, 60, "height_cm"),
        (-170, 60, "height_cm"),
        (170, 0, "weight_kg"),
        (170, math.nan, "weight_kg"),
    ],
)
def test_bmi_from_height_and_weight_refuses_non_positive_numbers(height_cm, weight_kg, field):
    with pytest.raises(RiskInputError) as refused:
        bmi_from_height_weight(height_cm, weight_kg)

    assert refused.value.field == field


def test_packaged_coefficients_name_their_source():
    published = json.loads((RISK_PACKAGE / COEFFICIENTS_FILE).read_text(encoding="utf-8"))

    assert "BMJ 2012;344:e3427" in published["_about"]
    assert "LGPL" in published["_about"]
    assert set(published["equations"]) == {"female_mof", "female_hip", "male_mof", "male_hip"}


def test_categories_are_the_published_codes_not_positions():
    published = json.loads((RISK_PACKAGE / COEFFICIENTS_FILE).read_text(encoding="utf-8"))

    for equation in published["equations"].values():
        assert {int(code) for code in equation["ethnicity"]} == set(ETHNICITY) == set(range(1, 10))
        assert {int(code) for code in equation["smoking"]} == set(SMOKING) == set(range(5))
        assert {int(code) for code in equation["alcohol"]} == set(ALCOHOL) == set(range(6))
        assert set(equation["yes_no"]) <= set(COEFFICIENT_KEYS.values())


def test_risk_package_imports_nothing_from_flask_or_the_rest_of_webapp():
    imported = set()
    for source in RISK_PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")

    outside = {
        name
        for name in imported
        if name.split(".")[0] in {"flask", "werkzeug", "click"}
        or (name.startswith("webapp") and not name.startswith("webapp.risk"))
    }
    assert imported, "the check found no imports at all"
    assert outside == set()
