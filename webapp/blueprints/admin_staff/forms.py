"""Forms for the admin pages. Checking beyond "was it filled in" is the services' job."""

from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from webapp.accounts.staff import MAX_NAME_LENGTH
from webapp.forms.widgets import (
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    as_select_choices,
)
from webapp.models.staff import Role
from webapp.numbers import read_record_id

NO_SERVICE = ""


class StaffMemberForm(FlaskForm):
    full_name = StringField(
        "Full name", validators=[DataRequired("Enter their full name"), Length(max=MAX_NAME_LENGTH)]
    )
    email = EmailField(
        "Email address",
        description="Their work email address. They sign in with it.",
        validators=[DataRequired("Enter their email address"), Length(max=254)],
    )
    role = RadioField(
        "Role",
        choices=[(Role.NURSE.value, "Nurse"), (Role.ADMIN.value, "Admin")],
        choice_hints={
            Role.NURSE.value: "Works in one Fracture Liaison Service",
            Role.ADMIN.value: "Manages services, staff accounts and listings",
        },
        validators=[InputRequired("Select their role")],
    )
    fls_service_id = SelectField(
        "Fracture Liaison Service",
        description="Nurses must belong to a service. Admins may belong to one.",
        validators=[Optional()],
    )

    def set_services(self, services) -> None:
        """Offer the services to choose from (read by the view, one query)."""
        self.fls_service_id.choices = as_select_choices(
            [(NO_SERVICE, "None")] + [(str(service.id), service.name) for service in services]
        )

    def chosen_service_id(self) -> int | None:
        return read_record_id(self.fls_service_id.data)


class ConfirmForm(FlaskForm):
    """A button that only posts the CSRF token."""


class FlsServiceForm(FlaskForm):
    name = StringField("Service name", validators=[Length(max=200)])
    hospital = StringField("Hospital", validators=[Length(max=200)])
    phone = TelField("Phone number", validators=[Length(max=40)])
    opening_hours = TextAreaField(
        "Opening hours", description="For example, Monday to Friday, 9am to 5pm",
        validators=[Length(max=500)],
    )
    hospital_district = StringField(
        "Hospital postcode district",
        description="The first part of the hospital's postcode, like LS1",
        validators=[Length(max=16)],
    )
    covered_districts = TextAreaField(
        "Postcode districts the service covers",
        description="The first part of each postcode, separated by spaces or commas, "
        "like LS1 LS2 LS6",
        validators=[Length(max=4000)],
    )
    email = EmailField("Email address (optional)", validators=[Length(max=254)])
    website = StringField(
        "Website (optional)", description="Must start with https://",
        validators=[Length(max=500)],
    )
    what_it_does = TextAreaField(
        "What the service does",
        description="One sentence for the public finder, for example: Checks bone health after "
        "a broken bone and arranges treatment",
        validators=[Length(max=300)],
    )
    hidden = RadioField(
        "Show this service in the public finder?",
        choices=[("no", "Yes, show it"), ("yes", "No, hide it")],
        default="no",
        validators=[InputRequired("Select whether to show this service")],
    )
    checked = RadioField(
        "Have you checked these details with the service?",
        choices=[("yes", "Yes, I checked them today"), ("no", "No")],
        validators=[InputRequired("Select whether you have checked these details")],
    )
