"""Render what does not change once: a macro drawn from a few plain values is kept, keyed by them.

Drawing the NHS.UK header and footer, and the result page's two pictures of 100
people, was most of a page's cost, yet each depends only on a handful of values
(the header on who is signed in, a picture on how many people are coloured in).
`drawn_once("template", "macro", *arguments)` renders the macro the first time
it meets those arguments and returns the kept HTML after that. Arguments must be
JSON (text, numbers, lists, dicts): they are the cache key, and are passed to the
macro as JSON gives them back, so nothing outside them can change the HTML.
Never pass what a person typed: the kept HTML stays in the process's memory.
"""

import json
from functools import lru_cache

from flask import Flask, current_app
from jinja2 import Environment
from markupsafe import Markup

# Enough for the header of every staff member signed in to one process, and every picture.
KEPT_PARTS = 1024


def drawn_once(template_name: str, macro_name: str, *arguments) -> Markup:
    """The HTML of `macro_name` from `template_name` for these arguments, rendered once."""
    key = json.dumps(arguments, sort_keys=True)
    return _render(current_app.jinja_env, template_name, macro_name, key)


@lru_cache(maxsize=KEPT_PARTS)
def _render(environment: Environment, template_name: str, macro_name: str, key: str) -> Markup:
    macro = getattr(environment.get_template(template_name).module, macro_name)
    return Markup(macro(*json.loads(key)))


def register(app: Flask) -> None:
    """Make `drawn_once` available in every template."""
    app.jinja_env.globals["drawn_once"] = drawn_once
