"""What every self-check question form shares.

Every form offers the views three things: `build(answers, formdata, today)` (the form for
this person, with their earlier answer when asked again), `answer()` (what to keep in the
session once it is valid) and `render_question()` (the NHS.UK markup, with the question as
the page's h1).
"""

from datetime import date

from flask import current_app
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.validators import ValidationError

from webapp.forms.widgets import RadioField, SelectMultipleCheckboxField
from webapp.selfcheck import answers


class QuestionRadios(RadioField):
    """Radios whose one error message (nothing chosen, or a value we never offered) is ours."""

    def __init__(self, *args, message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if not any(checked for _, _, checked, _ in self.iter_choices()):
            raise ValidationError(self.message)


class QuestionCheckboxes(SelectMultipleCheckboxField):
    """'Select all that apply' with "None of these": something must be ticked, never both."""

    def __init__(self, *args, message: str, both_message: str, **kwargs):
        super().__init__(*args, exclusive=(answers.NONE_OF_THESE,), **kwargs)
        self.message = message
        self.both_message = both_message

    def pre_validate(self, form):
        offered = {value for value, _ in self.choices}
        chosen = self.data or []
        if not chosen or not set(chosen) <= offered:
            raise ValidationError(self.message)
        if answers.NONE_OF_THESE in chosen and len(chosen) > 1:
            raise ValidationError(self.both_message)


class Question(FlaskForm):
    """What every question form shares."""

    question = ""
    # The answers key this form fills, which is also its one field's name.
    key = ""

    today: date | None = None

    @classmethod
    def build(cls, answers_so_far: dict, formdata=None, today: date | None = None,
              carried: dict | None = None) -> "Question":
        """The form for this person: their submitted `formdata`, or what they typed before
        switching units (`carried`), or their earlier answer.

        A submission is read from `formdata` alone, so a field left out of a POST is
        missing, never quietly filled in with the earlier answer.
        """
        data = None if formdata is not None else (carried or cls.initial(answers_so_far))
        form = cls(formdata=formdata, data=data)
        form.today = today
        form.fit_to(answers_so_far)
        return form

    @classmethod
    def initial(cls, answers_so_far: dict) -> dict:
        return {cls.key: answers_so_far.get(cls.key)}

    def fit_to(self, answers_so_far: dict) -> None:
        """Adjust choices or wording to the person's earlier answers (sex, age)."""

    def validate(self, extra_validators=None) -> bool:
        """Each field's own checks, then the question's `problem()` if they pass."""
        if not super().validate(extra_validators):
            return False
        problem = self.problem()
        if problem is None:
            return True
        field, message = problem
        field.errors.append(message)
        return False

    def problem(self):
        """The field at fault and what to say, for checks that span fields; None if fine."""
        return None

    def answer(self):
        """What to keep in the session for this question."""
        return self[self.key].data

    def render_question(self) -> Markup:
        """The question's NHS.UK markup, its label or legend being the page's heading."""
        return self[self.key](heading=True, label=self.question)

    @property
    def title(self) -> str:
        return self.question


def radio_choices(choices) -> list[tuple[str, str]]:
    return [(choice.value, choice.label) for choice in choices]


def choice_hints(choices) -> dict[str, str]:
    return {choice.value: choice.hint for choice in choices if choice.hint}


YES_NO = [("yes", "Yes"), ("no", "No")]


def grouped_inputs(form, group_id: str, hint: str, items) -> Markup:
    """Several small inputs under one legend (a date, feet and inches, stones and pounds).

    One error message is shown for the group, and only the inputs at fault are outlined.
    """
    message = next((field.errors[0] for field, *_ in items if field.errors), None)
    params = {
        "id": group_id,
        "fieldset": {"legend": {"text": form.question, "isPageHeading": True, "size": "l"}},
        "hint": {"html": hint} if isinstance(hint, Markup) else {"text": hint},
        "items": [
            {
                "id": field.id,
                "name": field.name,
                "label": field.label.text,
                "value": field._value(),
                "width": width,
                "autocomplete": autocomplete,
                "inputmode": inputmode,
                # Outlined when it has the message, or is also at fault ("flagged").
                "error": bool(field.errors) or getattr(field, "flagged", False),
            }
            for field, width, autocomplete, inputmode in items
        ],
    }
    if message:
        params["errorMessage"] = {"text": message}
    module = current_app.jinja_env.get_template("nhsuk/components/date-input/macro.jinja").module
    return Markup(module.dateInput(params))
