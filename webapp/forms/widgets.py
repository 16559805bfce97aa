"""One widget layer: each WTForms field rendered by its NHS.UK design-system macro.

Templates call `form.field(heading=True)` and get the NHS.UK markup, with the
field's description as the hint and its first error as the error message. The
macros are looked up in the app's Jinja environment, so they are autoescaped
like every other template.
"""

from datetime import date

from flask import current_app
from markupsafe import Markup
from wtforms import fields
from wtforms.utils import unset_value
from wtforms.validators import Length, StopValidation

from webapp.forms.dates import DATE_PARTS, DateInputError, read_date, typed_in_box
from webapp.rendering import drawn_once
from webapp.text_checks import LONGEST_TEXT, text_problem

MACROS = {
    "input": ("nhsuk/components/input/macro.jinja", "input"),
    "radios": ("nhsuk/components/radios/macro.jinja", "radios"),
    "checkboxes": ("nhsuk/components/checkboxes/macro.jinja", "checkboxes"),
    "textarea": ("nhsuk/components/textarea/macro.jinja", "textarea"),
    "select": ("nhsuk/components/select/macro.jinja", "select"),
    "password": ("nhsuk/components/password-input/macro.jinja", "passwordInput"),
    "file": ("nhsuk/components/file-upload/macro.jinja", "fileUpload"),
    "date": ("nhsuk/components/date-input/macro.jinja", "dateInput"),
}


def render_macro(component: str, params: dict) -> Markup:
    """Render one NHS.UK component macro with `params`."""
    template_name, macro_name = MACROS[component]
    module = current_app.jinja_env.get_template(template_name).module
    return Markup(getattr(module, macro_name)(params))


def _common_params(field, options: dict) -> dict:
    params = {"id": field.id, "name": field.name}
    hint = options.pop("hint", None) or field.description
    if hint:
        params["hint"] = {"text": hint} if isinstance(hint, str) else {"html": hint}
    if field.errors:
        params["errorMessage"] = {"text": field.errors[0]}
    params.update(options.pop("params", {}))
    return params


def _label(field, options: dict) -> dict:
    label = {"text": options.pop("label", field.label.text)}
    if options.pop("heading", False):
        label.update({"isPageHeading": True, "size": "l"})
    return label


class NHSInput:
    """A text, number, email or telephone input.

    The other labelled widgets (password, textarea, file, select) differ only in
    their macro and in what they add to its parameters: `component` and
    `field_params` are all a subclass changes.
    """

    component = "input"

    def __init__(self, input_type: str = "text", **defaults):
        self.input_type = input_type
        self.defaults = defaults

    def field_params(self, field) -> dict:
        """What this component needs from the field besides label, hint and error."""
        return {"type": self.input_type, "value": field._value()}

    def __call__(self, field, **options):
        """The field's HTML. With `once=True`, an empty box with no error (the same for
        everyone) is drawn once and kept (webapp/rendering.py); a typed value never is."""
        options = {**self.defaults, **options}
        once = options.pop("once", False)
        label = _label(field, options)
        params = _common_params(field, options)
        params.update(label=label, **self.field_params(field))
        params.update(options)
        if once and not field.errors and not params.get("value"):
            try:
                return drawn_once(*MACROS[self.component], params)
            except TypeError:
                pass  # not plain values: drawn below, as any other field
        return render_macro(self.component, params)


class NHSPasswordInput(NHSInput):
    """A password input with the design system's show/hide button; never echoes a value."""

    component = "password"

    def field_params(self, field) -> dict:
        return {}


class NHSTextarea(NHSInput):
    """A multi-line text box."""

    component = "textarea"

    def field_params(self, field) -> dict:
        return {"value": field._value()}


def _fieldset(field, options: dict) -> dict:
    legend = {"text": options.pop("label", field.label.text)}
    if options.pop("heading", False):
        legend.update({"isPageHeading": True, "size": "l"})
    return {"legend": legend}


def _choice_hints(field) -> dict:
    return getattr(field, "choice_hints", None) or {}


class NHSRadios:
    """A set of radio buttons in a fieldset whose legend can be the page's heading."""

    def __call__(self, field, **options):
        fieldset = _fieldset(field, options)
        params = _common_params(field, options)
        hints = _choice_hints(field)
        # The first radio takes the field's id (the error summary links to it),
        # so the group itself must not carry the same id.
        del params["id"]
        params["idPrefix"] = field.id
        params["fieldset"] = fieldset
        params["items"] = [
            {
                "value": choice.value,
                "text": choice.label,
                "checked": choice.selected,
                **({"hint": {"text": hints[choice.value]}} if choice.value in hints else {}),
            }
            for choice in field.iter_choices()
        ]
        params.update(options)
        return render_macro("radios", params)


class NHSCheckboxes:
    """'Select all that apply' checkboxes; a choice listed in `field.exclusive` unticks the rest."""

    def __call__(self, field, **options):
        fieldset = _fieldset(field, options)
        params = _common_params(field, options)
        del params["id"]  # the first checkbox takes the field's id, as with radios
        hints = _choice_hints(field)
        exclusive = getattr(field, "exclusive", ())
        items = []
        for choice in field.iter_choices():
            if choice.value in exclusive:
                items.append({"divider": "or"})
            item = {"value": choice.value, "text": choice.label, "checked": choice.selected}
            if choice.value in hints:
                item["hint"] = {"text": hints[choice.value]}
            if choice.value in exclusive:
                item["behaviour"] = "exclusive"
            items.append(item)
        params.update(idPrefix=field.id, fieldset=fieldset, items=items)
        params.update(options)
        return render_macro("checkboxes", params)


class NHSFileUpload(NHSInput):
    """A file chooser."""

    component = "file"

    def field_params(self, field) -> dict:
        return {}


class NHSSelect(NHSInput):
    """A drop-down list (use radios where there are few choices)."""

    component = "select"

    def field_params(self, field) -> dict:
        return {
            "items": [
                {"value": choice.value, "text": choice.label, "selected": choice.selected}
                for choice in field.iter_choices()
            ]
        }


class NHSDateInput:
    """Day, month and year boxes in a fieldset (the NHS.UK date input).

    The error summary links to `#field-id`, so that id goes on the first box
    with a problem (the day box if the whole date is wrong), as radios give it
    to their first option. Only the boxes with a problem are outlined; a date
    that is wrong as a whole outlines all three.
    """

    def __call__(self, field, **options):
        fieldset = _fieldset(field, options)
        params = _common_params(field, options)
        del params["name"]
        field_id = params.pop("id")
        if "hint" in params:
            params["hint"]["id"] = f"{field_id}-hint"
        if "errorMessage" in params:
            params["errorMessage"]["id"] = f"{field_id}-error"
        wrong = field.wrong_parts if field.errors else frozenset()
        first = next((part for part in DATE_PARTS if part in wrong), DATE_PARTS[0])
        params["id"] = f"{field_id}-date"
        params["fieldset"] = fieldset
        params["items"] = [
            {
                "id": field_id if part == first else f"{field_id}-{part}",
                "name": f"{field.name}-{part}",
                "label": part.capitalize(),
                "value": field.parts[part],
                "width": 4 if part == "year" else 2,
                # Left out, not False, for the others: False would keep a box
                # unmarked even when the date as a whole is wrong.
                **({"error": True} if part in wrong else {}),
            }
            for part in DATE_PARTS
        ]
        params.update(options)
        return render_macro("date", params)


class CheckedText:
    """Every text field refuses a NUL character and over-long text before any other check.

    The limit is the field's own `Length(max=…)` when it has one, else LONGEST_TEXT.
    Raised as StopValidation, so the field's later validators (some of which
    query the database) never see the value. A file posted in place of the text
    is dropped, so the field's data is always text (or None).
    """

    sent_a_file = False

    def process_formdata(self, valuelist):
        texts = [value for value in valuelist if isinstance(value, str)]
        self.sent_a_file = len(texts) != len(valuelist)
        super().process_formdata(texts)

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.sent_a_file:
            raise StopValidation(f"{self.label.text} must be typed in, not a file")
        problem = text_problem(self.data, self.label.text, self._longest())
        if problem:
            raise StopValidation(problem)

    def _longest(self) -> int:
        limits = [v.max for v in self.validators if isinstance(v, Length) and v.max >= 0]
        return min(limits, default=LONGEST_TEXT)


# Field classes a form declares, each drawing its NHS.UK component.
class StringField(CheckedText, fields.StringField):
    widget = NHSInput()


class EmailField(CheckedText, fields.EmailField):
    widget = NHSInput("email", autocomplete="email", spellcheck=False)


class TelField(CheckedText, fields.TelField):
    widget = NHSInput("tel", autocomplete="tel")


class PasswordField(CheckedText, fields.PasswordField):
    widget = NHSPasswordInput()


class TextAreaField(CheckedText, fields.TextAreaField):
    widget = NHSTextarea()


def as_select_choices(choices):
    """Accept `(value, label)` pairs, the readable way to write choices, as SelectChoice."""
    if choices is None or callable(choices):
        return choices
    return [
        choice if isinstance(choice, fields.SelectChoice) else fields.SelectChoice(*choice)
        for choice in choices
    ]


class RadioField(fields.RadioField):
    widget = NHSRadios()

    def __init__(self, *args, choices=None, choice_hints=None, **kwargs):
        super().__init__(*args, choices=as_select_choices(choices), **kwargs)
        self.choice_hints = choice_hints or {}


class SelectMultipleCheckboxField(fields.SelectMultipleField):
    widget = NHSCheckboxes()

    def __init__(self, *args, choices=None, choice_hints=None, exclusive=(), **kwargs):
        super().__init__(*args, choices=as_select_choices(choices), **kwargs)
        self.choice_hints = choice_hints or {}
        self.exclusive = tuple(exclusive)


class SelectField(fields.SelectField):
    widget = NHSSelect()

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, choices=as_select_choices(choices), **kwargs)


class FileField(fields.FileField):
    widget = NHSFileUpload()


class DateField(fields.Field):
    """A date typed in three boxes, day, month and year, read as a `date` (None if left empty).

    The boxes are posted as `<name>-day`, `<name>-month` and `<name>-year`. What
    was typed is kept in `parts` to show again with the error; `wrong_parts`
    names the boxes to outline. Whether a date is needed at all is the form's
    or the domain's call, as for any optional field.
    """

    widget = NHSDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = dict.fromkeys(DATE_PARTS, "")
        self.wrong_parts: frozenset[str] = frozenset()

    def process(self, formdata, data=unset_value, extra_filters=None):
        """Read the three boxes from the posted form, or the initial `date` when there is none."""
        super().process(formdata, data, extra_filters)
        if formdata is None:
            return
        boxes = {part: formdata.get(f"{self.name}-{part}") for part in DATE_PARTS}
        self.parts = {part: typed_in_box(value) for part, value in boxes.items()}
        self.wrong_parts = frozenset()
        try:
            self.data = read_date(self.parts, self.label.text)
        except DateInputError as error:
            self.data = None
            self.wrong_parts = error.wrong_parts
            self.process_errors.append(str(error))

    def process_data(self, value):
        """Show a stored date in the boxes as a person would type it (no leading zeros)."""
        self.data = value if isinstance(value, date) else None
        if self.data is not None:
            self.parts = {"day": str(self.data.day), "month": str(self.data.month),
                          "year": str(self.data.year)}  # fmt: skip

    def process_formdata(self, valuelist):
        """Nothing to do: the boxes have their own names, read in `process`."""
