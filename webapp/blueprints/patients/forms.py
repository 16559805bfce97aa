"""Forms for the patient pages. Checking beyond "was it answered" is webapp.patients.details'
job, shared with the CSV import, so a patient is checked the same way however they arrive."""

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Length

from webapp.forms.widgets import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    as_select_choices,
)
from webapp.numbers import read_record_id
from webapp.patients.details import MAX_REASON_LENGTH, medicine_choices
from webapp.reminders.medicines import MEDICINES

NO_NURSE = ""
YES_NO = [("yes", "Yes"), ("no", "No")]


def _medicine_hint(code: str) -> str:
    entry = MEDICINES[code]
    if entry.every_days == 1:
        every = "every day"
    elif entry.every_days == 7:
        every = "once a week"
    elif entry.every_months == 1:
        every = "once a month"
    elif entry.every_months == 12:
        every = "once a year"
    else:
        every = f"every {entry.every_months} months"
    where = "given in clinic" if entry.in_clinic else "taken at home"
    window = ""
    if entry.reminder_window:
        earliest, latest = entry.reminder_window
        window = f". Reminder time {earliest:%H:%M} to {latest:%H:%M}"
    return f"{entry.route.value.capitalize()}, {every}, {where}{window}"


class PatientFields:
    """A patient's own details, on the enrol and change forms."""

    nhs_number = StringField(
        "NHS number", description="10 digits, like 943 476 5919", validators=[Length(max=20)]
    )
    first_name = StringField("First name", validators=[Length(max=200)])
    last_name = StringField("Last name", validators=[Length(max=200)])
    date_of_birth = DateField("Date of birth", description="For example, 15 3 1948")
    mobile = TelField(
        "Mobile phone number",
        description="A UK mobile, like 07700 900123. Texts are never sent to a landline, "
        "where some networks read them aloud",
        validators=[Length(max=40)],
    )
    fracture_date = DateField(
        "Date of the fracture that brought them to the service (optional)",
        description="For example, 2 11 2026. The audit's follow-up points count from it",
    )
    named_nurse_id = SelectField("Named nurse (optional)")

    def set_nurses(self, nurses) -> None:
        """Offer the service's nurses as the named nurse (read by the view, one query)."""
        self.named_nurse_id.choices = as_select_choices(
            [(NO_NURSE, "No named nurse")] + [(str(nurse.id), nurse.full_name)
                                              for nurse in nurses]  # fmt: skip
        )

    def chosen_nurse_id(self) -> int | None:
        return read_record_id(self.named_nurse_id.data)


class RegimenFields:
    """A medicine for the patient, on the enrol, add and switch forms."""

    medicine = RadioField(
        "Medicine",
        choices=medicine_choices(),
        choice_hints={code: _medicine_hint(code) for code in MEDICINES},
        validators=[InputRequired("Choose the medicine")],
    )
    first_dose_date = DateField(
        "Date of the first dose", description="Weekly and monthly doses fall on the same "
        "weekday or day of the month as the first. For example, 1 12 2026"
    )
    last_given_date = DateField(
        "Date last given (injections and infusions in clinic only, optional)",
        description="The next dose counts from it. Leave empty if the first dose is still to "
        "come",
    )
    daily_texts = RadioField(
        "For a daily medicine, how often should we text?",
        choices=[("no", "A check-in once a week"), ("yes", "A reminder every day")],
        choice_hints={"no": "Asks if they took it every day that week"},
        default="no",
        validators=[InputRequired("Select how often to text about a daily medicine")],
    )


class TextsFields:
    """Whether and how the patient is texted, on the enrol and change forms (after the
    medicine on the enrol form, as the reminder time depends on it)."""

    sms_consent = RadioField(
        "Has the patient agreed to get text message reminders?",
        choices=[("yes", "Yes, they have agreed"), ("no", "No, not yet")],
        choice_hints={"no": "They are enrolled but get no texts until they agree"},
        validators=[InputRequired("Select whether the patient has agreed to get texts")],
    )
    reminder_time = StringField(
        "Time for reminders",
        description="UK time, like 09:00 or 6:30pm, when texts are sent. Alendronic acid and "
        "ibandronic acid are taken first thing: choose a time from 06:00 to 10:00",
        validators=[Length(max=20)],
    )
    discreet = RadioField(
        "Should texts name the medicine?",
        choices=[("no", "Yes, name the medicine"),
                 ("yes", "No, use discreet wording")],  # fmt: skip
        choice_hints={"yes": "For example, if someone else may read the patient's texts"},
        default="no",
        validators=[InputRequired("Select whether texts should name the medicine")],
    )


class EnrolForm(PatientFields, RegimenFields, TextsFields, FlaskForm):
    """Enrol a patient with their first medicine."""


class PatientForm(PatientFields, TextsFields, FlaskForm):
    """Change a patient's details."""


class RegimenForm(RegimenFields, FlaskForm):
    """Start the patient on another medicine."""


class PauseForm(FlaskForm):
    paused_until = DateField(
        "Pause until (optional)",
        description="Texts start again on this date, by themselves. Leave empty to pause "
        "until you resume them",
    )


def _reason(label: str, hint: str) -> TextAreaField:
    return TextAreaField(label, description=hint,
                         validators=[Length(max=MAX_REASON_LENGTH * 2)])  # fmt: skip


class DischargeForm(FlaskForm):
    reason = _reason(
        "Why is the patient being discharged?",
        "For example, treatment completed, or moved to another area. Do not include names",
    )


class StopForm(FlaskForm):
    stopped_on = DateField("Date stopped", description="For example, 1 12 2026")
    reason = _reason(
        "Why was it stopped?", "For example, side effects, or course completed. Do not include "
        "names",
    )


class SwitchForm(RegimenFields, StopForm):
    """Stop one medicine and start another in its place."""


class DoseGivenForm(FlaskForm):
    given_on = DateField("Date given", description="For example, 1 12 2026")


class SearchForm(FlaskForm):
    q = StringField("Search by name or NHS number", validators=[Length(max=100)])


class ConfirmForm(FlaskForm):
    """A button that posts only the CSRF token."""
