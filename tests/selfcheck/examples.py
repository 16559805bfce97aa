"""Answers as the session holds them, for tests (a plain factory, no requests)."""

from webapp.selfcheck.answers import QUESTIONS, age_answer


def complete_answers(**overrides) -> dict:
    """A complete set of answers: a woman of 65, 165 cm and 68 kg, no risk factors."""
    answers = {
        "age": age_answer(65, from_date_of_birth=False),
        "sex": "female",
        "height": {"cm": 165.0},
        "weight": {"kg": 68.0},
        "ethnicity": "1",
        "smoking": "0",
        "alcohol": "0",
        "broken_bones": "no",
        "parent_hip_fracture": "no",
        "falls": "no",
        "steroids": "no",
        "diabetes": "no",
        "conditions": ["none"],
        "medicines": ["none"],
        "other_risk_factors": ["none"],
    }
    if "age" in overrides and isinstance(overrides["age"], int):
        overrides["age"] = age_answer(overrides["age"], from_date_of_birth=False)
    answers.update(overrides)
    return answers


def answers_before(question: str, **overrides) -> dict:
    """Every answer that comes before `question`, so that `question` is the one to ask."""
    complete = complete_answers(**overrides)
    return {name: complete[name] for name in QUESTIONS[: QUESTIONS.index(question)]}
