"""Forms for the patient pages. Checking beyond "was it answered" is webapp.patients.details'
job, shared with the CSV import, so a patient is checked the same way however they arrive."""

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Length

from webapp.forms.widgets import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleCheckboxField,
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


CONTACT_KINDS = [
    ("phone_call", "Phone call"), ("visit", "Visit"),
    ("dose_given_clinic", "Dose given in clinic"),
    ("dose_given_gp", "Dose given at the GP practice"),
    ("confirmed_by_gp", "Treatment confirmed by the GP"),
    ("confirmed_by_pharmacy", "Treatment confirmed by the pharmacy"),
]  # fmt: skip
CONTACT_HINTS = {
    "phone_call": "With the patient, or someone caring for them",
    "dose_given_clinic": "An injection or infusion: the next dose is counted from it",
    "dose_given_gp": "An injection or infusion the practice gave",
    "confirmed_by_gp": "The GP record shows the treatment continues",
    "confirmed_by_pharmacy": "The pharmacy dispensed it",
}  # fmt: skip
NOT_A_MEDICINE = ""


class ContactForm(FlaskForm):
    """A contact that is not a text. Checking beyond "was it answered" is
    webapp.patients.contacts' job."""

    kind = RadioField(
        "What kind of contact was it?", choices=CONTACT_KINDS, choice_hints=CONTACT_HINTS,
        validators=[InputRequired("Select what kind of contact it was")],
    )
    regimen_id = RadioField(
        "Which medicine was it about?",
        description="Needed for a dose given or a treatment confirmed",
        validate_choice=False,
    )
    happened_on = DateField("Date of the contact", description="For example, 1 12 2026")
    note = TextAreaField(
        "Note (optional)",
        description="What was said or done, in 500 characters or fewer",
        validators=[Length(max=500)],
    )

    def set_medicines(self, regimens) -> None:
        """Offer the patient's medicines, and "not about a medicine" for a call or a visit."""
        self.regimen_id.choices = as_select_choices(
            [(NOT_A_MEDICINE, "Not about one medicine")]
            + [(str(regimen.id), _regimen_choice(regimen)) for regimen in regimens]
        )

    def chosen_regimen(self, regimens):
        chosen = read_record_id(self.regimen_id.data)
        return next((regimen for regimen in regimens if regimen.id == chosen), None)


def _regimen_choice(regimen) -> str:
    entry = MEDICINES.get(regimen.medicine)
    label = entry.label if entry else regimen.medicine
    return f"{label} (stopped)" if regimen.stopped_on else label


class HandledForm(FlaskForm):
    """Mark one or more of the patient's worklist reasons handled, with a note."""

    items = SelectMultipleCheckboxField(
        "Which have you handled?", validate_choice=False,
        validators=[InputRequired("Select at least one reason you have handled")],
    )
    note = TextAreaField(
        "What did you do?",
        description="Kept on the patient's timeline. 500 characters or fewer",
        validators=[InputRequired("Enter a note saying what you did"), Length(max=500)],
    )
