"""Forms for the nurse's pages: the handled note, and the overview's filters (a GET form).

A filter with a value that is not one of its choices (a typed or an old
address) is a message on the page, never a 500; the figures are then shown
without that filter.
"""

from datetime import date

from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Length, StopValidation

from webapp.adherence.overview import OverviewFilters
from webapp.adherence.sql_months import read_month_key
from webapp.forms.widgets import SelectField, TextAreaField, as_select_choices
from webapp.models.patients import PatientStatus
from webapp.reminders.medicines import MEDICINES

NOTE_LONGEST = 500
ANY = ""
# FLS-DB collects from January 2016: no fracture or enrolment month before that is offered.
FIRST_MONTH = date(2016, 1, 1)
STATUS_CHOICES = [
    (PatientStatus.ACTIVE, "Active"), (PatientStatus.PAUSED, "Paused"),
    (PatientStatus.OPTED_OUT, "Opted out"), (PatientStatus.DISCHARGED, "Discharged"),
]  # fmt: skip


class HandledForm(FlaskForm):
    """What the nurse did about a worklist row: kept on the timeline and in the audit log."""

    note = TextAreaField(
        "What did you do?",
        description="For example, rang the patient and booked their injection. "
        "Kept on the patient's record. 500 characters at most",
        # Too long or a NUL: the widget layer's own check, worded with the label.
        validators=[DataRequired("Enter a note of what you did"), Length(max=NOTE_LONGEST)],
    )


class ChoiceFilter(SelectField):
    """A drop-down filter; a value that is not one of its choices gets `invalid` as its error."""

    def __init__(self, label, invalid: str, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist and isinstance(valuelist[0], str) else ANY

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise StopValidation(self.invalid)


class OverviewFilterForm(FlaskForm):
    """Which patients the overview counts. Read from the address, so it has no CSRF token."""

    class Meta:
        csrf = False

    medicine = ChoiceFilter("Medicine", "Choose a medicine from the list")
    status = ChoiceFilter("Status", "Choose a status from the list")
    nurse = ChoiceFilter("Named nurse", "Choose a nurse from the list")
    fractured = ChoiceFilter("Month of fracture", "Choose a month of fracture from the list")
    enrolled = ChoiceFilter("Month of enrolment", "Choose a month of enrolment from the list")

    def set_choices(self, nurses, today: date, first: date | None = None) -> None:
        """Offer the catalogue's medicines, the service's nurses, and every month from the
        service's first fracture or enrolment (`first`) to this one."""
        months = month_choices(today, first)
        self.medicine.choices = _with_any([(code, entry.label) for code, entry in
                                           sorted(MEDICINES.items(), key=lambda m: m[1].label)])
        self.status.choices = _with_any(STATUS_CHOICES)
        self.nurse.choices = _with_any([(str(nurse.id), nurse.full_name) for nurse in nurses])
        self.fractured.choices = _with_any(months)
        self.enrolled.choices = _with_any(months)

    def filters(self) -> OverviewFilters:
        """The filters to apply: each field with a valid value; a wrong one is left out."""
        def chosen(field):
            return field.data if field.data and not field.errors else None

        nurse = chosen(self.nurse)
        return OverviewFilters(
            medicine=chosen(self.medicine), status=chosen(self.status),
            named_nurse_id=int(nurse) if nurse else None,
            fracture_month=read_month(chosen(self.fractured)),
            enrolment_month=read_month(chosen(self.enrolled)),
        )  # fmt: skip

    def chosen_values(self) -> dict[str, str]:
        """The filters in force, as address arguments (for sort and page links, and the CSV)."""
        return {field.name: field.data for field in self if field.data and not field.errors}

    def described(self) -> list[str]:
        """The filters in force in words: ["Medicine: Denosumab 60 mg", "Status: Active"]."""
        return [f"{field.label.text}: {_label_of(field)}" for field in self
                if field.data and not field.errors]  # fmt: skip


def month_choices(today: date, first: date | None = None) -> list[tuple[str, str]]:
    """("2026-03", "March 2026") for every month from `first` (never before FIRST_MONTH) to
    this one, newest first: only months a service's patients can be in, so the lists stay
    short enough to read (and to draw)."""
    first = max(first or today, FIRST_MONTH)
    months, year, month = [], today.year, today.month
    while (year, month) >= (first.year, first.month):
        day = date(year, month, 1)
        months.append((f"{day:%Y-%m}", f"{day:%B %Y}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def read_month(value: str | None) -> date | None:
    """"2026-03" as 1 March 2026 (only ever a value already checked against the choices)."""
    return read_month_key(value) if value else None


def _label_of(field) -> str:
    return next(choice.label for choice in field.choices if choice.value == field.data)


def _with_any(choices) -> list:
    return as_select_choices([(ANY, "Any"), *choices])
