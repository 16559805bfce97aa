"""Why rows were refused, grouped so a shareable report never quotes a patient's cell.

A refused row's reason, as `flask risk score` prints it and writes to the `error` column,
often ends by quoting the bad cell ("age must be a whole number from 30 to 100; got '29'.").
That is right for the practice's own scored list, which holds patients' details anyway, but
the report is meant to be shared: it may name the column and the kind of value (blank, a
number, text), never the value itself. Anything we do not recognise is counted under one
general heading rather than shown, so a new message can never leak a cell into the report.
"""

import re

# The columns a reason may name (practice-list columns and the equations' own fields).
_COLUMNS = frozenset(
    {
        "sex", "age", "bmi", "height_cm", "weight_kg", "ethnicity", "smoking", "alcohol",
        "diabetes", "previous_fracture", "parent_hip_fracture", "falls", "steroids",
        "antidepressants", "ra_or_sle", "asthma_or_copd", "cardiovascular_disease", "cancer",
        "dementia", "epilepsy", "liver_disease", "kidney_disease", "malabsorption",
        "parkinsons", "endocrine", "hrt_oestrogen", "care_home",
    }
)  # fmt: skip

WRONG_WIDTH = "The row has a different number of values from the header row"
NO_BMI = "No BMI, and no height_cm and weight_kg to work it out from"
IMPLAUSIBLE_BMI = (
    "bmi is not plausible for an adult (below 10 or above 100 kg/m²; usually a height in "
    "metres or a weight in stones)"
)
OTHER = "Another problem with the row (see the error column of the scored list)"

_WRONG_WIDTH = re.compile(r"This row has \d+ values but the header has \d+\.")
_IMPLAUSIBLE_BMI = re.compile(r"A BMI of .* is not plausible")
# "<column> must be <what>; got <value>." where <what> is our own text: words, small
# numbers, ranges and units, never a cell.
_MUST_BE = re.compile(
    r"(?P<column>[a-z_]+) must be (?P<rule>[A-Za-z0-9 ,/().²-]+); got (?P<got>.*)\."
)
_RANGES = re.compile(r"from \d+ to \d+|1/0")


def reason_group(reason: str) -> str:
    """The heading a refused row is counted under: its reason without the cell's value."""
    reason = reason.strip()
    if _WRONG_WIDTH.fullmatch(reason):
        return WRONG_WIDTH
    if reason.rstrip(".") == NO_BMI:
        return NO_BMI
    if _IMPLAUSIBLE_BMI.match(reason):
        return IMPLAUSIBLE_BMI
    found = _MUST_BE.fullmatch(reason)
    if found and found["column"] in _COLUMNS and _is_our_rule(found["rule"]):
        return f"{found['column']} must be {found['rule']} (got {_kind_of(found['got'])})"
    return OTHER


def _is_our_rule(rule: str) -> bool:
    """True when the only numbers in a rule are a range ("from 30 to 100") or "1/0"."""
    return not any(character.isdigit() for character in _RANGES.sub("", rule))


def _kind_of(quoted: str) -> str:
    """What sort of value a reason quoted, in words: never the value itself."""
    text = quoted.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    if not text.strip():
        return "a blank cell"
    try:
        float(text)
    except ValueError:
        return "text"
    return "a number"
