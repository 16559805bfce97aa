"""The self-check's questions, their order, and what the answers mean to the risk equations.

Answers live only in the person's signed session cookie, as a plain dict keyed by question
name (see QUESTIONS). Nothing here knows about Flask: the views pass the dict in and store
what comes back.
"""

import hashlib
import json
from dataclasses import dataclass

from webapp.risk import ALCOHOL, ETHNICITY, RiskProfile, bmi_from_height_weight
from webapp.risk import bounded_bmi as bound_bmi_for_equations
from webapp.risk.profile import OLDEST_AGE, YOUNGEST_AGE

SEXES = ("female", "male")

# The order people are asked in. Age first: it decides whether the check fits them at all.
QUESTIONS = (
    "age",
    "sex",
    "height",
    "weight",
    "ethnicity",
    "smoking",
    "alcohol",
    "broken_bones",
    "parent_hip_fracture",
    "falls",
    "steroids",
    "diabetes",
    "conditions",
    "medicines",
    "other_risk_factors",
)
UNDER_50 = "under_50"
OVER_100 = "over_100"
AGE_PAGES = (UNDER_50, OVER_100)
# The check and its advice are written for people aged 50 and over (NICE CG146, NOGG).
CHECK_DESIGNED_FROM_AGE = 50
YOUNGEST_FOR_ESTIMATE = YOUNGEST_AGE
OLDEST_FOR_ESTIMATE = OLDEST_AGE

# Yes/no questions and the RiskProfile answer each one gives.
YES_NO_QUESTIONS = {
    "broken_bones": "previous_fracture",
    "parent_hip_fracture": "parent_hip_fracture_or_osteoporosis",
    "falls": "falls",
    "steroids": "steroid_tablets",
}
NONE_OF_THESE = "none"
# Pages whose choices differ for women and men: asked again if the sex answer changes.
DEPENDS_ON_SEX = ("conditions", "medicines", "other_risk_factors")


@dataclass(frozen=True)
class Choice:
    """One answer a person can pick, with the sexes it is offered to."""

    value: str
    label: str
    hint: str | None = None
    sexes: tuple[str, ...] = SEXES


NOT_STATED = "not-stated"
ETHNICITY_CHOICES = (
    Choice("1", "White"),
    *(Choice(str(code), label) for code, label in ETHNICITY.items() if code != 1),
    Choice(NOT_STATED, "Prefer not to say"),
)
# ClinRisk codes "not stated" with White (code 1); we do the same.
ETHNICITY_CODE_FOR = {**{str(code): code for code in ETHNICITY}, NOT_STATED: 1}

SMOKING_CHOICES = (
    Choice("0", "I have never smoked"),
    Choice("1", "I used to smoke"),
    Choice("2", "I smoke 1 to 9 cigarettes a day"),
    Choice("3", "I smoke 10 to 19 cigarettes a day"),
    Choice("4", "I smoke 20 or more cigarettes a day"),
)
ALCOHOL_CHOICES = (
    Choice("0", "I do not drink alcohol"),
    *(Choice(str(code), label) for code, label in ALCOHOL.items() if code != 0),
)
DIABETES_CHOICES = (
    Choice("no", "No"),
    Choice("type1_diabetes", "Yes, type 1 diabetes"),
    Choice("type2_diabetes", "Yes, type 2 diabetes"),
)
CONDITION_CHOICES = (
    Choice("rheumatoid_arthritis_or_lupus", "Rheumatoid arthritis or lupus",
           "Lupus is also called systemic lupus erythematosus (SLE)"),
    Choice("asthma_or_copd", "Asthma or COPD (chronic obstructive pulmonary disease)"),
    Choice("cardiovascular_disease", "Heart disease, stroke or another disease of the heart "
           "or blood vessels"),
    Choice("cancer", "Cancer"),
    Choice("dementia", "Dementia"),
    Choice("epilepsy_or_anticonvulsants", "Epilepsy, or you take anticonvulsant medicine"),
    Choice("liver_disease", "Long-term (chronic) liver disease"),
    Choice("kidney_disease", "Long-term (chronic) kidney disease"),
    Choice("malabsorption", "A condition that stops your gut absorbing food properly",
           "Such as Crohn's disease, ulcerative colitis, coeliac disease, steatorrhoea or "
           "blind loop syndrome"),
    Choice("parkinsons", "Parkinson's disease"),
    Choice("endocrine_problems", "An overactive thyroid, overactive parathyroid glands or "
           "Cushing's syndrome", "Also called thyrotoxicosis or hyperparathyroidism",
           sexes=("female",)),
)
MEDICINE_CHOICES = (
    Choice("antidepressants", "You take antidepressants",
           "Select this if you have had at least 2 prescriptions for them in the last 6 months"),
    Choice("oestrogen_only_hrt", "You take oestrogen-only HRT (hormone replacement therapy)",
           sexes=("female",)),
    Choice("care_home", "You live in a nursing home or care home", sexes=("male",)),
)
# Reasons to be assessed that are not part of the risk equations (NOGG).
OTHER_RISK_FACTOR_CHOICES = (
    Choice("height_loss", "You have lost more than 4 cm (about 1.5 inches) in height"),
    Choice("premature_menopause", "You had an early (premature) menopause", sexes=("female",)),
    Choice("aromatase_inhibitors", "You take an aromatase inhibitor, a hormone treatment "
           "for cancer", sexes=("female",)),
    Choice("androgen_deprivation_therapy", "You are having androgen-deprivation therapy, a "
           "hormone treatment for cancer", sexes=("male",)),
)
CHOICES_FOR = {
    "conditions": CONDITION_CHOICES,
    "medicines": MEDICINE_CHOICES,
    "other_risk_factors": OTHER_RISK_FACTOR_CHOICES,
}


def choices_for_sex(choices: tuple[Choice, ...], sex: str | None) -> tuple[Choice, ...]:
    """The choices offered to a person of `sex` (everything shared if sex is not known)."""
    return tuple(choice for choice in choices if sex in choice.sexes or choice.sexes == SEXES)


def next_step(answers: dict) -> str | None:
    """The first page this person still needs: a question, an age page, or None when done."""
    age = answers.get("age")
    if age is None:
        return "age"
    years = age["years"]
    if years > OLDEST_FOR_ESTIMATE:
        return OVER_100
    if years < YOUNGEST_FOR_ESTIMATE:
        return UNDER_50
    if years < CHECK_DESIGNED_FROM_AGE and not answers.get("continue_under_50"):
        return UNDER_50
    return next((question for question in QUESTIONS if question not in answers), None)


def may_ask(answers: dict, question: str) -> bool:
    """True when every question before `question` has been answered (age can always be asked)."""
    step = next_step(answers)
    if question == "age" or step is None:
        return True
    if step in AGE_PAGES:
        return False
    return QUESTIONS.index(question) <= QUESTIONS.index(step)


def is_complete(answers: dict) -> bool:
    """True when every question has an answer and the age allows an estimate."""
    return next_step(answers) is None


# Answers put aside while a page is asked again, and why ("sex" or "age"); and the
# broken-bones answer given in each age band, so changing an age and back loses nothing.
ASKED_AGAIN = "_asked_again"
BROKEN_BONES_BY_BAND = "_broken_bones_by_band"
WHY_ASKED_AGAIN = {
    "sex": "You changed your answer about your sex, so the choices on this page have changed. "
           "Check your answer and continue.",
    "age": "You changed your age, so this question now asks about a different time. "
           "Answer it again.",
}


def with_answer(answers: dict, question: str, answer) -> dict:
    """A copy of `answers` with `question` answered, keeping every answer that still applies.

    A new sex changes the choices on some pages: the ticks that still apply are kept, and
    a page is asked again (with those ticks, and the reason) only if it now offers a
    choice the person has not seen. An age that crosses 50 changes what the broken-bones
    question asks: an answer that still holds is kept ("yes" since 50 is "yes" ever; "no"
    ever is "no" since 50), the answer given before in that age band comes back, and only
    otherwise is the question asked again.
    """
    updated = dict(answers)
    previous = answers.get(question)
    updated[question] = answer
    asked_again = dict(answers.get(ASKED_AGAIN) or {})
    asked_again.pop(question, None)
    if question == "broken_bones":
        updated.pop(BROKEN_BONES_BY_BAND, None)  # the newest answer wins over any kept aside
    if question == "sex" and previous is not None and previous != answer:
        _fit_choices_to_sex(updated, asked_again, previous, answer)
    if question == "age" and previous is not None and _band(previous) != _band(answer):
        _fit_broken_bones_to_age(updated, asked_again, _band(previous), _band(answer))
    updated.pop(ASKED_AGAIN, None)
    if asked_again:
        updated[ASKED_AGAIN] = asked_again
    return updated


def _fit_choices_to_sex(updated: dict, asked_again: dict, old_sex: str, new_sex: str) -> None:
    for question in DEPENDS_ON_SEX:
        given = updated.pop(question, None)
        if given is None:
            given = (asked_again.get(question) or {}).get("kept")
        if given is None:
            continue
        old = {choice.value for choice in choices_for_sex(CHOICES_FOR[question], old_sex)}
        new = {choice.value for choice in choices_for_sex(CHOICES_FOR[question], new_sex)}
        kept = [value for value in given if value in new or value == NONE_OF_THESE]
        if kept and not new - old and question not in asked_again:
            updated[question] = kept
        else:
            asked_again[question] = {"kept": kept, "because": "sex"}


def _fit_broken_bones_to_age(updated: dict, asked_again: dict, old: str, new: str) -> None:
    by_band = dict(updated.get(BROKEN_BONES_BY_BAND) or {})
    given = updated.pop("broken_bones", None)
    if given is not None:
        by_band[old] = given
        updated[BROKEN_BONES_BY_BAND] = by_band
    still_true = {("50_or_over", "yes"): "yes", ("under_50", "no"): "no"}.get((old, given))
    kept = by_band.get(new) or still_true
    if kept is not None:
        updated["broken_bones"] = kept
        asked_again.pop("broken_bones", None)
    elif given is not None or "broken_bones" in asked_again:
        asked_again["broken_bones"] = {"kept": None, "because": "age"}


def _band(age: dict) -> str:
    return "50_or_over" if _is_50_or_over(age) else "under_50"


def asked_again_because(answers: dict, question: str) -> tuple[str | None, list | None]:
    """Why `question` is being asked again, in words, and the ticks kept for it, if it is."""
    entry = (answers.get(ASKED_AGAIN) or {}).get(question)
    if entry is None:
        return None, None
    return WHY_ASKED_AGAIN[entry["because"]], entry["kept"]


def _is_50_or_over(age: dict) -> bool:
    return age["years"] >= CHECK_DESIGNED_FROM_AGE


def age_answer(years: int, *, from_date_of_birth: bool) -> dict:
    """How an age is kept: the years only, never the date of birth it may have come from."""
    return {"years": years, "from_date_of_birth": from_date_of_birth}


def is_50_or_over(answers: dict) -> bool:
    """True when the person's age is known and is 50 or over."""
    age = answers.get("age")
    return age is not None and _is_50_or_over(age)


def own_bmi(answers: dict) -> float:
    """The person's BMI from their height and weight, before any bounding for the equations."""
    return bmi_from_height_weight(answers["height"]["cm"], answers["weight"]["kg"])


def risk_profile(answers: dict) -> tuple[RiskProfile, str | None]:
    """The RiskProfile for a complete set of answers, and the note to show if BMI was bounded.

    A BMI outside 20 to 40 is estimated at the nearer bound and always said so (see
    webapp.risk.bounded_bmi). Raises RiskInputError if a height and weight together give
    a BMI no adult could have.
    """
    sex = answers["sex"]
    bmi, note = bound_bmi_for_equations(own_bmi(answers))
    flags = {field: answers[question] == "yes" for question, field in YES_NO_QUESTIONS.items()}
    if answers["diabetes"] != "no":
        flags[answers["diabetes"]] = True
    for question in ("conditions", "medicines"):
        offered = {choice.value for choice in choices_for_sex(CHOICES_FOR[question], sex)}
        flags.update({value: True for value in answers[question] if value in offered})
    profile = RiskProfile(
        sex=sex,
        age=answers["age"]["years"],
        bmi=bmi,
        ethnicity=ETHNICITY_CODE_FOR[answers["ethnicity"]],
        smoking=int(answers["smoking"]),
        alcohol=int(answers["alcohol"]),
        **flags,
    )
    return profile, note


def other_risk_factors(answers: dict) -> tuple[str, ...]:
    """The risk factors outside the equations this person said apply, as offered to their sex."""
    offered = choices_for_sex(OTHER_RISK_FACTOR_CHOICES, answers["sex"])
    offered = {choice.value for choice in offered}
    return tuple(value for value in answers.get("other_risk_factors", ()) if value in offered)


def fingerprint(answers: dict) -> str:
    """A short digest of a set of answers: the same answers always give the same digest.

    Used to count a completed check once, however often its result is reloaded.
    """
    # Only the answers themselves: what is kept aside while a page is asked again is not one.
    given = {key: value for key, value in answers.items() if not key.startswith("_")}
    text = json.dumps(given, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
