"""The NHS.UK widget layer: the right component, and user input always escaped."""

from flask_wtf import FlaskForm

from webapp.forms.widgets import RadioField, SelectMultipleCheckboxField, StringField

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
