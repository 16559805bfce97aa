"""The self-check's questions answered by choosing: one question a form, checked on the server.

The questions answered by typing numbers (age, date of birth, height, weight) are in
`measures`; the base they all share is in `questions`.
"""

from flask_wtf import FlaskForm

from webapp.blueprints.selfcheck.questions import (
    YES_NO,
    Question,
    QuestionCheckboxes,
    QuestionRadios,
    choice_hints,
    radio_choices,
)
from webapp.selfcheck import advice, answers


# Sex ---------------------------------------------------------------------------------------
class SexForm(Question):
    question = "What is your sex?"
    sex = QuestionRadios(
        question,
        choices=[("female", "Female"), ("male", "Male")],
        description=advice.SEX_HINT,
        message="Select whether you are female or male",
    )

    @classmethod
    def initial(cls, answers_so_far):
        return {"sex": answers_so_far.get("sex")}

    def answer(self):
        return self.sex.data

    def render_question(self):
        return self.sex(heading=True)


# Choices -----------------------------------------------------------------------------------
class EthnicityForm(Question):
    question = "What is your ethnic group?"
    key = "ethnicity"
    ethnicity = QuestionRadios(
        question,
        choices=radio_choices(answers.ETHNICITY_CHOICES),
        description=advice.ETHNICITY_HINT,
        message="Select your ethnic group, or select 'Prefer not to say'",
    )


class SmokingForm(Question):
    question = "Do you smoke?"
    key = "smoking"
    smoking = QuestionRadios(
        question, choices=radio_choices(answers.SMOKING_CHOICES),
        message="Select whether you smoke",
    )


class AlcoholForm(Question):
    question = "How much alcohol do you usually drink?"
    key = "alcohol"
    alcohol = QuestionRadios(
        question,
        choices=radio_choices(answers.ALCOHOL_CHOICES),
        description=advice.ALCOHOL_HINT,
        message="Select how much alcohol you usually drink",
    )


class BrokenBonesForm(Question):
    question = "Have you broken a bone in your wrist, spine, hip or shoulder since you turned 50?"
    key = "broken_bones"
    broken_bones = QuestionRadios(
        question, choices=YES_NO, description=advice.BROKEN_BONES_HINT,
        message="Select yes if you have broken a bone in your wrist, spine, hip or shoulder",
    )

    def fit_to(self, answers_so_far):
        if not answers.is_50_or_over(answers_so_far):
            self.question = "Have you ever broken a bone in your wrist, spine, hip or shoulder?"


class ParentHipFractureForm(Question):
    question = "Did either of your parents break a hip or have osteoporosis?"
    key = "parent_hip_fracture"
    parent_hip_fracture = QuestionRadios(
        question, choices=YES_NO, description=advice.PARENT_HINT,
        message="Select yes if either of your parents broke a hip or had osteoporosis",
    )


class FallsForm(Question):
    question = "Have you had any falls?"
    key = "falls"
    falls = QuestionRadios(
        question, choices=YES_NO, description=advice.FALLS_HINT,
        message="Select yes if you have had a fall",
    )


class SteroidsForm(Question):
    question = "Do you take steroid tablets?"
    key = "steroids"
    steroids = QuestionRadios(
        question, choices=YES_NO, description=advice.STEROIDS_HINT,
        message="Select yes if you take steroid tablets",
    )


class DiabetesForm(Question):
    question = "Do you have diabetes?"
    key = "diabetes"
    diabetes = QuestionRadios(
        question, choices=radio_choices(answers.DIABETES_CHOICES),
        message="Select whether you have diabetes",
    )


class _ChecklistQuestion(Question):
    """A 'select all that apply' page whose choices depend on the person's sex."""

    def fit_to(self, answers_so_far):
        field = self[self.key]
        offered = answers.choices_for_sex(answers.CHOICES_FOR[self.key], answers_so_far.get("sex"))
        field.choices = [*radio_choices(offered), (answers.NONE_OF_THESE, "None of these")]
        field.choice_hints = choice_hints(offered)

    @classmethod
    def initial(cls, answers_so_far):
        # Asked again after a change of sex: the ticks that still apply stay ticked.
        _, kept = answers.asked_again_because(answers_so_far, cls.key)
        return {cls.key: answers_so_far.get(cls.key) or kept or []}

    def answer(self):
        return list(self[self.key].data)


class ConditionsForm(_ChecklistQuestion):
    question = "Do you have any of these conditions?"
    key = "conditions"
    conditions = QuestionCheckboxes(
        question, description="Select all that apply.",
        message="Select the conditions you have, or select 'None of these'",
        both_message="Select the conditions you have, or 'None of these', not both",
    )


class MedicinesForm(_ChecklistQuestion):
    question = "Do any of these apply to you?"
    key = "medicines"
    medicines = QuestionCheckboxes(
        question, description="Select all that apply.",
        message="Select the ones that apply to you, or select 'None of these'",
        both_message="Select the ones that apply to you, or 'None of these', not both",
    )


class OtherRiskFactorsForm(_ChecklistQuestion):
    question = "Do any of these other things apply to you?"
    key = "other_risk_factors"
    other_risk_factors = QuestionCheckboxes(
        question, description=f"{advice.OTHER_RISK_FACTORS_HINT} Select all that apply.",
        message="Select the ones that apply to you, or select 'None of these'",
        both_message="Select the ones that apply to you, or 'None of these', not both",
    )


class ConfirmForm(FlaskForm):
    """A form that is only a button (and its CSRF token): carry on, or confirm the answers."""
