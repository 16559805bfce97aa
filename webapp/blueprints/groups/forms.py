"""The finder's one question: a postcode, reduced to its district at once."""

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from webapp.forms.widgets import StringField
from webapp.postcodes import PostcodeError, parse_outcode


class FindGroupForm(FlaskForm):
    """A full postcode or its first half; only the district is kept."""

    postcode = StringField(
        "Enter your postcode",
        description="For example, DH1 3LN. You can enter just the first part, like DH1.",
    )

    district: str | None = None

    def validate_postcode(self, field) -> None:
        """Keep only the district: the full postcode is never stored, logged or put in a URL."""
        typed = field.data or ""
        try:
            self.district = parse_outcode(typed)
        except PostcodeError:
            if not typed.strip():
                raise ValidationError(
                    "Enter your postcode, like DH1 3LN, or the first part of it, like DH1"
                ) from None
            raise ValidationError(
                "Enter a real postcode, like DH1 3LN, or the first part of it, like DH1"
            ) from None
