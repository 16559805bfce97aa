"""The finder's one question: a postcode, reduced to its district at once, or a town's name."""

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from webapp.forms.widgets import StringField
from webapp.postcodes import PostcodeError, parse_outcode
from webapp.postcodes.places import Place, places_named


class FindGroupForm(FlaskForm):
    """A full postcode or its first half (only the district is kept), or a town or city."""

    postcode = StringField(
        "Enter your postcode, or a town or city",
        description="For example, DH1 3LN, or just the first part, like DH1, or Durham.",
    )

    district: str | None = None
    places: list[Place] = []  # the towns with the name typed, when it was not a postcode

    def validate_postcode(self, field) -> None:
        """Keep only the district: the full postcode is never stored, logged or put in a URL."""
        typed = field.data or ""
        try:
            self.district = parse_outcode(typed)
            return
        except PostcodeError:
            if not typed.strip():
                raise ValidationError(
                    "Enter your postcode, like DH1 3LN, or a town or city, like Durham"
                ) from None
        self.places = places_named(typed[:80])
        if not self.places:
            raise ValidationError(
                "Enter a real postcode, like DH1 3LN, or the name of a town or city in the UK, "
                "like Durham"
            )
