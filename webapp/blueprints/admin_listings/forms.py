"""Forms for the listing admin pages. The checking itself is `webapp.groups.validation`'s job,
shared with the CSV import, so a listing is checked the same way however it arrives."""

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Length

from webapp.forms.widgets import (
    DateField,
    EmailField,
    FileField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from webapp.groups.meetings import REPEAT_RULES
from webapp.groups.regions import REGIONS

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not known")]


def _yes_no(label: str) -> RadioField:
    return RadioField(label, choices=YES_NO_UNKNOWN, default="")


class ListingForm(FlaskForm):
    """Every field of a listing, named as the CSV columns are."""

    name = StringField("Group name", validators=[Length(max=400)])
    town = StringField("Town or area", validators=[Length(max=400)])
    region = SelectField(
        "Region", choices=[("", "Choose a region")] + [(r.code, r.name) for r in REGIONS]
    )
    format = RadioField(
        "How does the group meet?",
        choices=[("in-person", "In person"), ("online", "Online"),
                 ("both", "Both in person and online")],  # fmt: skip
        validators=[InputRequired("Choose how the group meets: in person, online or both")],
    )
    venue_name = StringField(
        "Venue name",
        description="Needed if the group meets in person",
        validators=[Length(max=400)],
    )
    address = TextAreaField("Venue address", validators=[Length(max=1000)])
    venue_postcode = StringField(
        "Venue postcode",
        description="The full postcode, like DH1 5TW, or its first part, like DH1",
        validators=[Length(max=16)],
    )
    meeting_pattern = StringField(
        "When it meets, in words",
        description="For example, Third Tuesday of the month, 7:30pm to 9pm, not in August",
        validators=[Length(max=400)],
    )
    repeats = SelectField(
        "How the meetings repeat", choices=list(REPEAT_RULES.items()), default="none"
    )
    not_in_months = StringField(
        "Months with no meeting (optional)", description="For example, August",
        validators=[Length(max=100)],
    )
    # The hint's example date is set by the page, so it is never in the past.
    next_meeting_date = DateField("Next meeting date")
    start_time = StringField(
        "Start time (optional)", description="For example, 7:30pm or 19:30",
        validators=[Length(max=20)],
    )
    end_time = StringField(
        "End time (optional)", description="For example, 9pm or 21:00", validators=[Length(max=20)]
    )
    what_happens = TextAreaField("What happens at a meeting", validators=[Length(max=4000)])
    cost = StringField(
        "Cost", description="For example, £2 a meeting, or Free", validators=[Length(max=400)]
    )
    step_free_access = _yes_no("Step-free access")
    hearing_loop = _yes_no("Hearing loop")
    parking = _yes_no("Parking")
    accessibility_notes = TextAreaField(
        "More about access (optional)", validators=[Length(max=1000)]
    )
    contact_email = EmailField(
        "Contact email", description="Prefer a group or ROS address to a volunteer's own",
        validators=[Length(max=400)],
    )
    contact_phone = TelField("Contact phone number", validators=[Length(max=40)])
    website = StringField(
        "Group's web page", description="Must start with https://", validators=[Length(max=400)]
    )
    reference = StringField(
        "Reference (optional)",
        description="A short code used by the CSV import and export. Left blank, it is made "
        "from the name and town",
        validators=[Length(max=100)],
    )
    checked = RadioField(
        "Have you confirmed these details with the group or the ROS?",
        choices=[("yes", "Yes, I confirmed them today"), ("no", "No")],
        validators=[InputRequired("Select whether you have confirmed these details")],
    )


class ConfirmForm(FlaskForm):
    """A button that posts only the CSRF token."""


class UploadForm(FlaskForm):
    """A CSV file of listings (docs/listings-csv.md)."""

    listings = FileField(
        "Upload a CSV file",
        description="Comma-separated, saved as UTF-8, with the documented columns. 2 MB at most.",
    )
