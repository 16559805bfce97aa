"""Helpers the templates share: the error summary list, number wording and UK times."""

from flask import Flask

from webapp.clock import to_uk


def error_list(form) -> list[dict]:
    """The error summary's entries: each field's first error, linking to the field.

    Radios and checkboxes link to their first option, whose id is the field's id,
    so the link moves focus to something a person can act on.
    """
    if form is None or not getattr(form, "errors", None):
        return []
    entries = []
    for field in form:
        if field.errors:
            entries.append({"text": field.errors[0], "href": f"#{field.id}"})
    for message in form.form_errors if hasattr(form, "form_errors") else []:
        entries.append({"text": message})
    return entries


def uk_time(moment) -> str:
    """A stored UTC time as UK clocks showed it, for example "2 Dec 2026, 09:00"."""
    if moment is None:
        return "Not yet"
    local = to_uk(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


def register_template_helpers(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.jinja_env.globals["error_list"] = error_list
    app.jinja_env.globals["uk_time"] = uk_time
