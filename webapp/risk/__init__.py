"""Fracture risk estimated with the published QFracture-2012 equations.

Pure Python: nothing here imports Flask or any other part of webapp, so the self-check,
case-finding and the tests all call the same plain functions.

    from webapp.risk import RiskProfile, estimate_fracture_risk
    risk = estimate_fracture_risk(RiskProfile(sex="female", age=65, bmi=25.0,
                                              ethnicity=1, smoking=0, alcohol=0))
    risk.major_osteoporotic_percent, risk.hip_percent

Say "estimated with the published QFracture-2012 equations (Hippisley-Cox & Coupland,
BMJ 2012)" wherever a number is shown; see docs/clinical/qfracture-2012.md.
"""

from webapp.risk.bmi import bmi_from_height_weight, bounded_bmi
from webapp.risk.equations import (
    Effect,
    FractureRisk,
    RiskFactorUse,
    estimate_fracture_risk,
    risk_factors_used,
)
from webapp.risk.errors import PracticeListError, RiskInputError
from webapp.risk.guidance import (
    AssessmentReason,
    meets_nice_cg146_assessment_criteria,
    nice_cg146_assessment_reasons,
)
from webapp.risk.profile import (
    ALCOHOL,
    COEFFICIENT_KEYS,
    ETHNICITY,
    SMOKING,
    RiskProfile,
    yes_answers,
)

__all__ = [
    "ALCOHOL",
    "COEFFICIENT_KEYS",
    "ETHNICITY",
    "SMOKING",
    "AssessmentReason",
    "Effect",
    "FractureRisk",
    "PracticeListError",
    "RiskFactorUse",
    "RiskInputError",
    "RiskProfile",
    "bmi_from_height_weight",
    "bounded_bmi",
    "estimate_fracture_risk",
    "meets_nice_cg146_assessment_criteria",
    "nice_cg146_assessment_reasons",
    "risk_factors_used",
    "yes_answers",
]
