"""The offline simulator's form: a reply typed by a nurse as if the patient had sent it."""

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Length

from webapp.forms.widgets import TextAreaField
from webapp.reminders.inbound import LONGEST_BODY


class PatientReplyForm(FlaskForm):
    body = TextAreaField(
        "Reply as the patient",
        description="Type what the patient would text back, for example TAKEN, MISSED, LATER, "
        "HELP or STOP",
        validators=[
            InputRequired(message="Enter the patient's reply"),
            Length(max=LONGEST_BODY,
                   message=f"The reply must be {LONGEST_BODY} characters or fewer"),  # fmt: skip
        ],
    )
