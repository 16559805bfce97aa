"""Body mass index: from height and weight, and bounded to the range the equations accept.

The equations were published for BMI 20 to 40 and the pure risk function refuses anything
else. Low BMI is itself a risk factor, so the self-check and case-finding must not turn a
thin person away: they estimate with the nearest bound and always say so.
"""

import math

from webapp.risk.errors import RiskInputError
from webapp.risk.profile import HIGHEST_BMI, LOWEST_BMI

# Outside this range a BMI is almost certainly a unit mistake (height in metres or
# inches, weight in stones or pounds), not a person: refuse it rather than bound it.
LOWEST_PLAUSIBLE_BMI = 10.0
HIGHEST_PLAUSIBLE_BMI = 100.0

BELOW_RANGE_NOTE = (
    f"Your BMI is below {LOWEST_BMI:g}; the estimate uses {LOWEST_BMI:g}, "
    "so your risk may be higher than shown."
)
# Above 40 the equations were not fitted: we cannot say which way the risk moves.
ABOVE_RANGE_NOTE = (
    f"Your BMI is above {HIGHEST_BMI:g}; the estimate uses {HIGHEST_BMI:g}, "
    "so your risk may differ from what is shown."
)


def bmi_from_height_weight(height_cm: float, weight_kg: float) -> float:
    """BMI in kg/m² from height in centimetres and weight in kilograms."""
    _check_positive("height_cm", height_cm, "centimetres")
    _check_positive("weight_kg", weight_kg, "kilograms")
    height_m = height_cm / 100.0
    return weight_kg / (height_m * height_m)


def bounded_bmi(bmi: float) -> tuple[float, str | None]:
    """The BMI to estimate with (bounded to 20 to 40) and a note for the person if bounded.

    Returns `(bmi, None)` when it is already in range. The note is never optional: show
    it next to the result whenever it is not None. Raises RiskInputError for a BMI that
    is not a number or is not plausible for a living adult (below 10 or above 100).
    """
    is_number = isinstance(bmi, int | float) and not isinstance(bmi, bool)
    if not is_number or not LOWEST_PLAUSIBLE_BMI <= bmi <= HIGHEST_PLAUSIBLE_BMI:
        raise RiskInputError(
            "bmi",
            f"A BMI of {bmi!r} is not plausible (expected {LOWEST_PLAUSIBLE_BMI:g} to "
            f"{HIGHEST_PLAUSIBLE_BMI:g} kg/m²): check the height is in centimetres and "
            "the weight in kilograms.",
        )
    if bmi < LOWEST_BMI:
        return LOWEST_BMI, BELOW_RANGE_NOTE
    if bmi > HIGHEST_BMI:
        return HIGHEST_BMI, ABOVE_RANGE_NOTE
    return float(bmi), None


def _check_positive(field: str, value: object, unit: str) -> None:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or value <= 0:
        raise RiskInputError(field, f"{field} must be a positive number of {unit}; got {value!r}.")
