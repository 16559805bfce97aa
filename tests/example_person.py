"""One typical completed self-check, shared by the browser journey and bench/selfcheck.py.

A woman of 72 who has broken her wrist and has had falls. Answers are keyed by
the form field's name, so a walk can answer whichever question the service asks.
"""

ANSWERS: dict[str, str | list[str]] = {
    "age": "72",
    "sex": "female",
    "height": "160",
    "weight": "58",
    "ethnicity": "1",
    "smoking": "1",
    "alcohol": "1",
    "broken_bones": "yes",
    "parent_hip_fracture": "no",
    "falls": "yes",
    "steroids": "no",
    "diabetes": "no",
    "conditions": ["asthma_or_copd"],
    "medicines": ["none"],
    "other_risk_factors": ["height_loss"],
}
