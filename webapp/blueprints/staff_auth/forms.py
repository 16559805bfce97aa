"""Forms for signing in and for a person's own password."""

from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from webapp.forms.widgets import EmailField, PasswordField, StringField


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Enter your email address"), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password"), Length(max=200)]
    )


class SecurityCodeForm(FlaskForm):
    code = StringField(
        "Security code",
        description="The 6-digit code shown in your authenticator app",
        validators=[DataRequired("Enter the 6-digit security code"), Length(max=20)],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password"), Length(max=200)],
    )
    password = PasswordField(
        "New password",
        description="Use 12 characters or more. Three or four random words are easy to "
        "remember and hard to guess.",
        validators=[InputRequired("Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[
            InputRequired("Enter the new password again"),
            EqualTo("password", "The passwords do not match"),
        ],
    )
