"""The questions answered by typing numbers: age (or date of birth), height and weight.

Numbers are read with webapp.selfcheck.measurements, which accepts only plain digits, and
checked against ranges a person could have. Height and weight are also checked together:
a pair that gives a BMI no adult could have is a typing mistake, not a person.
"""

from datetime import date

from flask import url_for
from markupsafe import Markup
from wtforms.validators import ValidationError

from webapp.blueprints.selfcheck.questions import Question, grouped_inputs
from webapp.forms.widgets import StringField
from webapp.risk import bmi_from_height_weight
from webapp.risk.bmi import HIGHEST_PLAUSIBLE_BMI, LOWEST_PLAUSIBLE_BMI
from webapp.selfcheck import advice, answers, measurements

AGE_RANGE = (18, 120)
HEIGHT_CM_RANGE = (120, 230)
# 4 feet to 7 feet 6 inches: 121.92 cm to 228.6 cm.
HEIGHT_IMPERIAL_RANGE = ((4, 0), (7, 6))
WEIGHT_KG_RANGE = (30, 250)
# 5 stone to 39 stone: 31.75 kg to 247.66 kg.
WEIGHT_IMPERIAL_RANGE = (5, 39)


# Age ---------------------------------------------------------------------------------------
def _age_problem(years: int) -> str | None:
    """Why an age cannot be right, in words that fit a check for people over 50."""
    lowest, highest = AGE_RANGE
    if years < lowest:
        # A child's age is almost always a slip ("7" for "72"); the range itself means
        # nothing to the person, so say who the check is for.
        return "This check is for people aged 50 and over"
    if years > highest:
        return f"Age must be {highest} or under"
    return None


class AgeForm(Question):
    question = "How old are you?"
    age = StringField(question, description=advice.AGE_HINT)

    @classmethod
    def initial(cls, answers_so_far):
        age = answers_so_far.get("age")
        return {"age": str(age["years"])} if age else {}

    def validate_age(self, field):
        if measurements.is_blank(field.data):
            raise ValidationError("Enter your age in years")
        years = measurements.read_whole_number(field.data)
        if years is None:
            raise ValidationError("Age must be a whole number, like 67")
        problem = _age_problem(years)
        if problem:
            raise ValidationError(f"{problem}. Enter your age in years, like 67")

    def answer(self):
        years = measurements.read_whole_number(self.age.data)
        return answers.age_answer(years, from_date_of_birth=False)

    def render_question(self):
        return self.age(
            heading=True, width=3, inputmode="numeric", autocomplete="off", suffix="years",
            spellcheck=False,
        )


class DateOfBirthForm(Question):
    """Age worked out from a date of birth; the date itself is never kept."""

    question = "What is your date of birth?"
    day = StringField("Day")
    month = StringField("Month")
    year = StringField("Year")

    def problem(self):
        parts = {name: self[name] for name in ("day", "month", "year")}
        blank = [name for name, field in parts.items() if measurements.is_blank(field.data)]
        if len(blank) == len(parts):
            return self._flag(blank, "Enter your date of birth")
        if blank:
            return self._flag(blank, f"Date of birth must include a {' and '.join(blank)}")
        day, month, year = self._numbers()
        wrong = [name for name, right in (("day", day is not None and 1 <= day <= 31),
                                          ("month", month is not None and 1 <= month <= 12),
                                          ("year", year is not None and 1000 <= year <= 9999))
                 if not right]  # fmt: skip
        if wrong == ["year"]:
            return self._flag(wrong, "Year must include 4 numbers, like 1958")
        if wrong:
            return self._flag(wrong, "Date of birth must be a real date")
        born = measurements.real_date(year, month, day)
        if born is None:  # 31 February
            return self._flag(["day", "month"], "Date of birth must be a real date")
        if born >= self.today:
            return self._flag(["day", "month", "year"], "Date of birth must be in the past")
        problem = _age_problem(measurements.age_on(born, self.today))
        if problem:
            return self.year, f"Check your date of birth. {problem}"
        return None

    def _numbers(self) -> tuple[int | None, int | None, int | None]:
        """Day, month (a number or a name, like "March" or "mar") and year, as typed."""
        return (measurements.read_whole_number(self.day.data),
                measurements.read_month(self.month.data),
                measurements.read_whole_number(self.year.data))  # fmt: skip

    def _flag(self, names: list[str], message: str):
        """The message goes on the first box at fault; every box at fault is outlined."""
        for name in names[1:]:
            self[name].flagged = True
        return self[names[0]], message

    def answer(self):
        day, month, year = self._numbers()
        years = measurements.age_on(date(year, month, day), self.today)
        return answers.age_answer(years, from_date_of_birth=True)

    def render_question(self):
        items = [
            (self.day, 2, "bday-day", "numeric"),
            (self.month, 2, "bday-month", "numeric"),
            (self.year, 4, "bday-year", "numeric"),
        ]
        return grouped_inputs(self, "date-of-birth", "For example, 15 3 1958", items)


# Height and weight -------------------------------------------------------------------------
def _number_text(number: float | None) -> str | None:
    return None if number is None else f"{round(number, 2):g}"


def _implausible_bmi(height_cm: float | None, weight_kg: float | None, measure: str):
    """A message if this height and weight together give a BMI no adult could have."""
    if height_cm is None or weight_kg is None:
        return None
    bmi = bmi_from_height_weight(height_cm, weight_kg)
    if LOWEST_PLAUSIBLE_BMI <= bmi <= HIGHEST_PLAUSIBLE_BMI:
        return None
    other = "weight" if measure == "height" else "height"
    return (
        f"Check your {measure}. With the {other} you gave, it gives a body mass index (BMI) "
        f"of {bmi:.0f}, which cannot be right"
    )


class _Measure(Question):
    """Height or weight in one unit; the other measure is known when checking the BMI.

    Each page offers the other units in its hint, above the box, where people see it
    before they start typing.
    """

    other_measure: float | None = None
    hint_text = ""
    # The other units: "metric" or "imperial", and the link's words.
    switch_units = ""
    switch_text = ""

    def switch_url(self) -> str:
        return url_for(f"selfcheck.{self.key}", units=self.switch_units)

    def hint(self) -> str:
        """The hint only: the way to the other units is a button after Continue, which takes
        what was typed along (the NHS service manual keeps links out of hints)."""
        return self.hint_text

    def in_other_units(self) -> dict[str, str]:
        """What was typed, converted for the other units' boxes ({} if it cannot be read)."""
        raise NotImplementedError

    def fit_to(self, answers_so_far):
        other = "weight" if self.key == "height" else "height"
        other_unit = "kg" if other == "weight" else "cm"
        self.other_measure = (answers_so_far.get(other) or {}).get(other_unit)

    def _check_bmi(self, value: float):
        height, weight = (value, self.other_measure) if self.key == "height" else (
            self.other_measure, value
        )
        return _implausible_bmi(height, weight, self.key)


class _SingleMeasure(_Measure):
    """A height in centimetres or a weight in kilograms, in one box.

    People often type what they know: "5ft 4" or "10st 7" in this box. Written with its
    units, that is read as feet and inches (or stones and pounds) and kept as if given on
    the imperial page, so "Check your answers" shows what was understood. Two bare numbers
    ("5 4"), or a number no adult could be in these units but could be in the others, are
    questioned instead, with a link to the boxes for the other units.
    """

    unit = ""
    units_typed: dict[str, float] = {}
    low_high = (0, 0)
    # A number in this range is more likely feet (or stones) than centimetres (or kilograms).
    likely_imperial = (0, 0)
    blank_message = number_message = ""
    other_units = ""  # "feet and inches" or "stones and pounds"
    imperial_form: "type[_TwoPartMeasure]"

    @classmethod
    def initial(cls, answers_so_far):
        return {cls.key: _number_text((answers_so_far.get(cls.key) or {}).get(cls.unit))}

    @property
    def _way_out(self) -> str:
        return f"use the {self.other_units} boxes instead"

    @property
    def looks_imperial_message(self) -> str:
        return f"It looks like you entered {self.other_units}. {self._way_out.capitalize()}"

    def out_of_range_message(self, value: float) -> str:
        """Out of range; for a number that fits the other units, say where those go."""
        lowest, highest = self.low_high
        message = (
            f"{self.key.capitalize()} must be between {lowest} {self.unit} "
            f"and {highest} {self.unit}"
        )
        least_imperial, most_imperial = self.likely_imperial
        if least_imperial <= value < most_imperial:
            message += f". If you entered {self.other_units}, {self._way_out}"
        return message

    def _reading(self) -> float | measurements.TwoParts | None:
        """The number in this form's unit, or the two parts in the other units, or None."""
        text = self[self.key].data
        value = measurements.read_number_with_unit(text, self.units_typed)
        return value if value is not None else self.imperial_form.read_two_parts(text)

    def problem(self):
        field = self[self.key]
        if measurements.is_blank(field.data):
            return field, self.blank_message
        reading = self._reading()
        if reading is None:
            if measurements.looks_imperial(field.data, self.key):
                return field, self.looks_imperial_message
            return field, self.number_message
        if isinstance(reading, measurements.TwoParts):
            problem = self.imperial_form.parts_problem(reading.major, reading.minor)
            if problem:
                return field, problem[1]
            message = self._check_bmi(self.imperial_form.converted(reading.major, reading.minor))
            return (field, message) if message else None
        lowest, highest = self.low_high
        if not lowest <= reading <= highest:
            return field, self.out_of_range_message(reading)
        message = self._check_bmi(reading)
        return (field, message) if message else None

    def answer(self):
        reading = self._reading()
        if isinstance(reading, measurements.TwoParts):
            return self.imperial_form.answer_for(reading.major, reading.minor)
        return {self.unit: reading}

    def in_other_units(self) -> dict[str, str]:
        reading = self._reading()
        if reading is None:
            return {}
        if not isinstance(reading, measurements.TwoParts):
            reading = self.imperial_form.from_metric(reading)
        return {self.imperial_form.major: str(reading.major),
                self.imperial_form.minor: f"{reading.minor:g}"}  # fmt: skip

    def render_question(self):
        field = self[self.key]
        params = {}
        message = field.errors[0] if field.errors else ""
        if message.lower().endswith(self._way_out):
            # The same words as the error summary, with the way to the other units a link.
            lead, way_out = message[: -len(self._way_out)], message[-len(self._way_out):]
            params["errorMessage"] = {"html": Markup('{}<a href="{}">{}</a>').format(
                lead, self.switch_url(), way_out
            )}
        return field(
            heading=True, width=4, inputmode="decimal", autocomplete="off", suffix=self.unit,
            spellcheck=False, hint=self.hint(), params=params,
        )


class HeightForm(_SingleMeasure):
    question = "What is your height?"
    key, unit, low_high = "height", "cm", HEIGHT_CM_RANGE
    units_typed = measurements.CENTIMETRES_IN
    likely_imperial = (HEIGHT_IMPERIAL_RANGE[0][0], HEIGHT_IMPERIAL_RANGE[1][0] + 1)
    blank_message = "Enter your height in centimetres"
    number_message = "Height must be a number, like 165"
    other_units = "feet and inches"
    hint_text = "Enter your height in centimetres, like 165."
    switch_units, switch_text = "imperial", "Enter your height in feet and inches instead"
    height = StringField(question)


class WeightForm(_SingleMeasure):
    question = "What is your weight?"
    key, unit, low_high = "weight", "kg", WEIGHT_KG_RANGE
    units_typed = measurements.KILOGRAMS_IN
    likely_imperial = (WEIGHT_IMPERIAL_RANGE[0], WEIGHT_KG_RANGE[0])
    blank_message = "Enter your weight in kilograms"
    number_message = "Weight must be a number, like 70"
    other_units = "stones and pounds"
    hint_text = "Enter your weight in kilograms, like 70."
    switch_units, switch_text = "imperial", "Enter your weight in stones and pounds instead"
    weight = StringField(question)


class _TwoPartMeasure(_Measure):
    """A height in feet and inches, or a weight in stones and pounds."""

    # Filled in by each subclass: field names, words, and how to convert.
    major, minor = "", ""
    minor_per_major = 12
    example = (5, 4)
    range_message = ""

    def _parts(self):
        """(major, minor) as typed; pounds alone (stones empty or 0) become stones and pounds."""
        major_text, minor_text = self[self.major].data, self[self.minor].data
        major = 0 if measurements.is_blank(major_text) else (
            measurements.read_whole_number(major_text)
        )
        minor = 0.0 if measurements.is_blank(minor_text) else (
            measurements.read_decimal_number(minor_text)
        )
        if major == 0 and minor is not None and minor >= self.minor_per_major:
            parts = measurements.in_whole_majors(minor, self.minor_per_major)
            return parts.major, parts.minor
        return major, minor

    def problem(self):
        major_field, minor_field = self[self.major], self[self.minor]
        if measurements.is_blank(major_field.data) and measurements.is_blank(minor_field.data):
            return major_field, f"Enter your {self.key} in {self.major} and {self.minor}"
        major, minor = self._parts()
        major_word, minor_word = self.major.capitalize(), self.minor.capitalize()
        if major is None:
            return major_field, f"{major_word} must be a whole number, like {self.example[0]}"
        if minor is None:
            return minor_field, f"{minor_word} must be a number, like {self.example[1]}"
        problem = self.parts_problem(major, minor)
        if problem:
            part, message = problem
            return self[part], message
        message = self._check_bmi(self.converted(major, minor))
        return (major_field, message) if message else None

    @classmethod
    def parts_problem(cls, major: int, minor: float) -> tuple[str, str] | None:
        """The part at fault ("feet", "inches"...) and what to say, if these are out of range.

        Shared with the metric box, which accepts "5ft 4" and "10st 7" typed into it.
        """
        if minor >= cls.minor_per_major:
            return cls.minor, f"{cls.minor.capitalize()} must be less than {cls.minor_per_major}"
        lowest, highest = cls.low_high
        if not lowest <= major * cls.minor_per_major + minor <= highest:
            return cls.major, cls.range_message
        return None

    @classmethod
    def answer_for(cls, major: int, minor: float) -> dict:
        """What the session keeps: the metric value, and the parts as given."""
        return {cls.metric_unit: cls.converted(major, minor), cls.major: major, cls.minor: minor}

    def answer(self):
        return self.answer_for(*self._parts())

    @classmethod
    def from_metric(cls, value: float) -> measurements.TwoParts:
        """A metric height or weight in whole inches or pounds: 165 cm is 5 feet 5 inches."""
        whole_minor = round(value / cls.converted(0, 1))
        return measurements.in_whole_majors(whole_minor, cls.minor_per_major)

    def in_other_units(self) -> dict[str, str]:
        major, minor = self._parts()
        if major is None or minor is None:
            return {}
        # Centimetres to the whole number, kilograms to one decimal place.
        metric = round(self.converted(major, minor), 0 if self.key == "height" else 1)
        return {self.key: f"{metric:g}"}

    @classmethod
    def initial(cls, answers_so_far):
        given = answers_so_far.get(cls.key) or {}
        return {cls.major: _number_text(given.get(cls.major)),
                cls.minor: _number_text(given.get(cls.minor))}

    def render_question(self):
        # Whole feet or stones; inches and pounds may have a decimal point.
        items = [(self[self.major], 2, "off", "numeric"), (self[self.minor], 3, "off", "decimal")]
        return grouped_inputs(self, f"{self.key}-imperial", self.hint(), items)


class HeightImperialForm(_TwoPartMeasure):
    question = "What is your height?"
    key, metric_unit = "height", "cm"
    major, minor, minor_per_major, example = "feet", "inches", 12, (5, 4)
    (low_feet, low_inches), (high_feet, high_inches) = HEIGHT_IMPERIAL_RANGE
    low_high = (low_feet * 12 + low_inches, high_feet * 12 + high_inches)
    range_message = "Height must be between 4 feet and 7 feet 6 inches"
    hint_text = "Enter your height in feet and inches, like 5 feet 4 inches."
    switch_units, switch_text = "metric", "Enter your height in centimetres instead"
    feet = StringField("Feet")
    inches = StringField("Inches")

    @staticmethod
    def converted(feet, inches):
        return measurements.centimetres_from_feet_and_inches(feet, inches)

    @staticmethod
    def read_two_parts(text):
        return measurements.read_feet_and_inches(text)


class WeightImperialForm(_TwoPartMeasure):
    question = "What is your weight?"
    key, metric_unit = "weight", "kg"
    major, minor, minor_per_major, example = "stones", "pounds", 14, (10, 7)
    low_high = (WEIGHT_IMPERIAL_RANGE[0] * 14, WEIGHT_IMPERIAL_RANGE[1] * 14)
    range_message = "Weight must be between 5 stone and 39 stone"
    hint_text = "Enter your weight in stones and pounds, like 10 stone 7 pounds."
    switch_units, switch_text = "metric", "Enter your weight in kilograms instead"
    stones = StringField("Stones")
    pounds = StringField("Pounds")

    @staticmethod
    def converted(stones, pounds):
        return measurements.kilograms_from_stones_and_pounds(stones, pounds)

    @staticmethod
    def read_two_parts(text):
        return measurements.read_stones_and_pounds(text)


# Each metric box reads "5ft 4" and "10st 7" with the rules of the imperial page.
HeightForm.imperial_form = HeightImperialForm
WeightForm.imperial_form = WeightImperialForm
