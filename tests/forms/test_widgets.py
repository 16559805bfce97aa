"""The NHS.UK widget layer: the right component, and user input always escaped."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask_wtf import FlaskForm

from webapp.forms.widgets import DateField, RadioField, SelectMultipleCheckboxField, StringField

SCRIPT = "<script>alert(1)</script>"


class ExampleForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Your name", description="As on your letters")
    colour = RadioField("Favourite colour", choices=[("red", "Red"), ("blue", "Blue")])
    illnesses = SelectMultipleCheckboxField(
        "Illnesses", choices=[("a", "A"), ("none", "None of these")], exclusive=["none"]
    )


def test_error_message_echoing_a_script_tag_comes_out_escaped(app):
    with app.test_request_context(method="POST", data={"name": SCRIPT}):
        form = ExampleForm()
        form.name.errors = [f"{SCRIPT} is not a name"]
        html = str(form.name())
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not a name" in html


def test_typed_value_is_escaped_when_the_page_is_shown_again(app):
    with app.test_request_context(method="POST", data={"name": '"><img src=x onerror=alert(1)>'}):
        html = str(ExampleForm().name())
    assert "<img" not in html
    assert "&#34;&gt;&lt;img" in html or "&quot;&gt;&lt;img" in html


def test_label_can_be_the_page_heading_with_hint(app):
    with app.test_request_context():
        html = str(ExampleForm().name(heading=True))
    assert '<h1 class="nhsuk-label-wrapper">' in html
    assert 'id="name-hint"' in html
    assert "As on your letters" in html


def test_radios_mark_the_chosen_option_and_link_errors_to_the_first(app):
    with app.test_request_context(method="POST", data={"colour": "blue"}):
        form = ExampleForm()
        form.colour.errors = ["Select a colour"]
        html = str(form.colour(heading=True))
    assert html.count('id="colour"') == 1  # the first radio, where the error summary links
    assert 'value="blue" checked' in html
    assert "nhsuk-form-group--error" in html


def test_none_of_these_is_an_exclusive_checkbox(app):
    with app.test_request_context():
        html = str(ExampleForm().illnesses())
    assert html.count('id="illnesses"') == 1
    assert 'value="none" data-behaviour="exclusive"' in html
    assert 'value="a" data-behaviour' not in html
    assert '<div class="nhsuk-checkboxes__divider">or</div>' in html


class DateForm(FlaskForm):
    class Meta:
        csrf = False

    meeting = DateField("Next meeting date", description="For example, 21 10 2025")


def _date_form(app, **typed):
    data = {f"meeting-{part}": value for part, value in typed.items()}
    with app.test_request_context(method="POST", data=data):
        form = DateForm()
        form.validate()
        return form, str(form.meeting())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ({"day": "21", "month": "10", "year": "2025"}, date(2025, 10, 21)),
        ({"day": "01", "month": "03", "year": "2026"}, date(2026, 3, 1)),
        ({"day": " 5 ", "month": "Mar", "year": "2026"}, date(2026, 3, 5)),
        ({"day": "5", "month": "march", "year": "2026"}, date(2026, 3, 5)),
        ({"day": "29", "month": "2", "year": "2028"}, date(2028, 2, 29)),
        ({"day": "", "month": "", "year": ""}, None),
        ({}, None),
    ],
)
def test_a_date_is_read_from_its_three_boxes(app, typed, expected):
    form, _ = _date_form(app, **typed)
    assert form.meeting.errors == []
    assert form.meeting.data == expected


@pytest.mark.parametrize(
    ("typed", "message", "outlined"),
    [
        ({"day": "21", "year": "2025"}, "Next meeting date must include a month", {"month"}),
        ({"year": "2025"}, "Next meeting date must include a day and month", {"day", "month"}),
        ({"day": "21"}, "Next meeting date must include a month and year", {"month", "year"}),
        ({"day": "31", "month": "2", "year": "2026"}, "Next meeting date must be a real date",
         {"day"}),
        ({"day": "29", "month": "2", "year": "2026"}, "Next meeting date must be a real date",
         {"day"}),
        ({"day": "0", "month": "2", "year": "2026"}, "Next meeting date must be a real date",
         {"day"}),
        ({"day": "1", "month": "13", "year": "2026"}, "Next meeting date must be a real date",
         {"month"}),
        ({"day": "1", "month": "Ju", "year": "2026"}, "Next meeting date must be a real date",
         {"month"}),
        ({"day": "first", "month": "2", "year": "2026"}, "Next meeting date must be a real date",
         {"day"}),
        ({"day": "1", "month": "2", "year": "-26"}, "Next meeting date must be a real date",
         {"year"}),
        ({"day": "1", "month": "2", "year": "26"}, "Year must include 4 numbers", {"year"}),
    ],
)  # fmt: skip
def test_each_mistake_in_a_date_is_explained_and_its_boxes_outlined(app, typed, message,
                                                                    outlined):  # fmt: skip
    form, html = _date_form(app, **typed)
    assert form.meeting.errors == [message]
    assert form.meeting.data is None
    page = BeautifulSoup(html, "html.parser")
    boxes = {box["name"].removeprefix("meeting-"): box for box in page.select("input")}
    assert {part for part, box in boxes.items() if "nhsuk-input--error" in box["class"]} == outlined
    # The error summary links to #meeting: the first outlined box has that id.
    first = next(part for part in ("day", "month", "year") if part in outlined)
    assert boxes[first]["id"] == "meeting"
    assert page.select_one("#meeting-error").get_text(" ", strip=True) == f"Error: {message}"
    # What was typed is shown again, to correct rather than retype.
    assert all(box.get("value", "") == typed.get(part, "").strip() for part, box in boxes.items())


def test_an_error_about_the_whole_date_outlines_every_box(app):
    with app.test_request_context(method="POST", data={
            "meeting-day": "1", "meeting-month": "1", "meeting-year": "2020"}):  # fmt: skip
        form = DateForm()
        form.validate()
        form.meeting.errors.append("The next meeting date must be today or in the future")
        page = BeautifulSoup(str(form.meeting()), "html.parser")
    assert len(page.select("input.nhsuk-input--error")) == 3
    assert page.select_one("input")["id"] == "meeting"


def test_a_date_field_is_a_fieldset_of_three_labelled_numeric_boxes(app):
    with app.test_request_context():
        form = DateForm(data={"meeting": date(2025, 10, 21)})
        page = BeautifulSoup(str(form.meeting()), "html.parser")
    assert page.select_one("fieldset legend").get_text(strip=True) == "Next meeting date"
    assert page.select_one("fieldset")["aria-describedby"] == "meeting-hint"
    assert page.select_one("#meeting-hint").get_text(strip=True) == "For example, 21 10 2025"
    boxes = page.select("input")
    assert [(box["id"], box["name"], box["value"], box["inputmode"]) for box in boxes] == [
        ("meeting", "meeting-day", "21", "numeric"),
        ("meeting-month", "meeting-month", "10", "numeric"),
        ("meeting-year", "meeting-year", "2025", "numeric"),
    ]
    assert [page.select_one(f"label[for={box['id']}]").get_text(strip=True) for box in boxes] == [
        "Day", "Month", "Year"
    ]
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_an_empty_box_drawn_once_is_the_box_drawn_every_time(app):
    with app.test_request_context():
        form = ExampleForm(formdata=None)
        drawn = str(form.name(label="Search again"))
        kept = [str(form.name(label="Search again", once=True)) for _ in range(2)]
    assert kept == [drawn, drawn]
    assert len(app.extensions["bonecheck_kept_parts"]) == 1


def test_a_typed_value_or_an_error_is_never_kept(app):
    with app.test_request_context(method="POST", data={"name": "DH1 3LN"}):
        typed = str(ExampleForm().name(once=True))
    with app.test_request_context(method="POST", data={"name": ""}):
        form = ExampleForm()
        form.name.errors = ["Enter your postcode"]
        with_error = str(form.name(once=True))
    assert 'value="DH1 3LN"' in typed and "Enter your postcode" in with_error
    assert app.extensions["bonecheck_kept_parts"] == {}
