"""One widget layer: each WTForms field rendered by its NHS.UK design-system macro.

Templates call `form.field(heading=True)` and get the NHS.UK markup, with the
field's description as the hint and its first error as the error message. The
macros are looked up in the app's Jinja environment, so they are autoescaped
like every other template.
"""

from flask import current_app
from markupsafe import Markup
from wtforms import fields

MACROS = {
    "input": ("nhsuk/components/input/macro.jinja", "input"),
    "radios": ("nhsuk/components/radios/macro.jinja", "radios"),
    "checkboxes": ("nhsuk/components/checkboxes/macro.jinja", "checkboxes"),
    "textarea": ("nhsuk/components/textarea/macro.jinja", "textarea"),
    "select": ("nhsuk/components/select/macro.jinja", "select"),
    "password": ("nhsuk/components/password-input/macro.jinja", "passwordInput"),
    "file": ("nhsuk/components/file-upload/macro.jinja", "fileUpload"),
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
    """A text, number, email or telephone input."""

    def __init__(self, input_type: str = "text", **defaults):
        self.input_type = input_type
        self.defaults = defaults

    def __call__(self, field, **options):
        options = {**self.defaults, **options}
        label = _label(field, options)
        params = _common_params(field, options)
        params.update(label=label, type=self.input_type, value=field._value())
        params.update(options)
        return render_macro("input", params)


class NHSPasswordInput(NHSInput):
    """A password input with the design system's show/hide button; never echoes a value."""

    def __call__(self, field, **options):
        options = {**self.defaults, **options}
        label = _label(field, options)
        params = _common_params(field, options)
        params.update(label=label)
        params.update(options)
        return render_macro("password", params)


class NHSTextarea(NHSInput):
    """A multi-line text box."""

    def __call__(self, field, **options):
        options = {**self.defaults, **options}
        label = _label(field, options)
        params = _common_params(field, options)
        params.update(label=label, value=field._value())
        params.update(options)
        return render_macro("textarea", params)


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

    def __call__(self, field, **options):
        options = {**self.defaults, **options}
        label = _label(field, options)
        params = _common_params(field, options)
        params.update(label=label)
        params.update(options)
        return render_macro("file", params)


class NHSSelect(NHSInput):
    """A drop-down list (use radios where there are few choices)."""

    def __call__(self, field, **options):
        options = {**self.defaults, **options}
        label = _label(field, options)
        params = _common_params(field, options)
        params.update(
            label=label,
            items=[
                {"value": choice.value, "text": choice.label, "selected": choice.selected}
                for choice in field.iter_choices()
            ],
        )
        params.update(options)
        return render_macro("select", params)


# Field classes a form declares, each drawing its NHS.UK component.
class StringField(fields.StringField):
    widget = NHSInput()


class EmailField(fields.EmailField):
    widget = NHSInput("email", autocomplete="email", spellcheck=False)


class TelField(fields.TelField):
    widget = NHSInput("tel", autocomplete="tel")


class PasswordField(fields.PasswordField):
    widget = NHSPasswordInput()


class TextAreaField(fields.TextAreaField):
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
