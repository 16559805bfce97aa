"""Render what does not change once: a macro drawn from a few plain values is kept, keyed by them.

Drawing the NHS.UK components (header, footer, cards, callouts, buttons) was most
of a page's cost, yet each depends only on a handful of values, most of them the
same for every visitor. Two ways to keep them:

- `drawn_once("template", "macro", *arguments)` renders the macro the first time
  it meets those arguments and returns the kept HTML after that.
- `kept_macro("template", "macro")` gives a stand-in for a design-system macro
  taking one dict of parameters, for `{% from %}`-style use and `{% call %}`: the
  parameters are the key, and the body of a `{% call %}` block is rendered on
  every call and put where the macro puts `caller()`, so a card's wording can
  change with each person while its frame is drawn once.

Arguments must be JSON (text, numbers, lists, dicts; Markup is kept as Markup):
they are the cache key, and are passed to the macro as the key gives them back,
so nothing outside them can change the HTML. Never pass what a person typed or
anything about a person or patient as an argument: the kept HTML stays in the
process's memory. A `{% call %}` body is never kept.

Jinja itself is made cheaper too: see `KeptTemplate`.
"""

import json
from collections import ChainMap

from flask import Flask, current_app, request, url_for
from jinja2 import Template
from jinja2.runtime import Context
from markupsafe import Markup

# Kept for each app: enough for the header of every staff member signed in to one
# process, every picture of 100 people, and every fixed component of every page.
KEPT_PARTS = 2048
KEPT = "bonecheck_kept_parts"
FIXED_URLS = "bonecheck_fixed_urls"
# Stands where the macro puts its caller's HTML, to be cut out of the kept HTML.
SLOT = "\x1fbonecheck-caller-slot\x1f"


class KeptTemplate(Template):
    """A Jinja template whose imports cost microseconds, not tens of them.

    Every `{% from "x" import y %}` (each NHS.UK macro imports two or three
    more) asks which of the context's globals the imported template lacks.
    Jinja answers with `set - ChainMap.keys()`, which tests each name against
    each map in Python: about 70 µs an import, over 20 imports a page. The
    same set difference taken against the ChainMap's dicts directly is done
    in C. The answer, and so what Jinja does with it, is the same.
    """

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        """The design system's page template is drawn through kept frames (webapp/page_frame.py)."""
        template = super()._from_namespace(environment, namespace, globals)
        from webapp import fixed_partials, page_frame  # they build on this module

        if template.name == page_frame.FRAMED_TEMPLATE:
            page_frame.framed(template)
        elif template.name in fixed_partials.FIXED_PARTIALS:
            fixed_partials.keep_fixed_partial(template)
        return template

    def new_context(self, vars=None, shared=False, locals=None):
        """As Jinja's, with the globals copied into the page's variables a dict at a time.

        Jinja copies a ChainMap of globals with `dict(globals, **vars)`, looking each
        name up in Python: about 35 µs, once for every page drawn. Copied map by map,
        the first map's value winning as in the ChainMap, it is the same dict.
        """
        if shared or not isinstance(self.globals, ChainMap):
            return super().new_context(vars, shared, locals)
        variables = {}
        for mapping in reversed(self.globals.maps):
            variables.update(mapping)
        variables.update(vars or ())
        return super().new_context(variables, True, locals)

    def _get_default_module(self, ctx=None):
        if ctx is not None and isinstance(self.globals, ChainMap):
            if not ctx.globals_keys.difference(*self.globals.maps):
                return super()._get_default_module(None)
        return super()._get_default_module(ctx)


class KeptContext(Context):
    """A Jinja context that lists the names of its globals a map at a time (`set` of a
    ChainMap looks them up one by one in Python); the same names. Every include and
    every page makes one."""

    def __init__(self, environment, parent, name, blocks, globals=None):
        if not isinstance(globals, ChainMap):
            super().__init__(environment, parent, name, blocks, globals)
            return
        super().__init__(environment, parent, name, blocks, None)
        self.globals_keys = set().union(*globals.maps)


def drawn_once(template_name: str, macro_name: str, *arguments) -> Markup:
    """The HTML of `macro_name` from `template_name` for these arguments, rendered once."""
    kinds = tuple(map(type, arguments))
    if not FLAT_TYPES.issuperset(kinds):
        return Markup(_kept_parts(template_name, macro_name, _key(arguments), False)[0])
    # Plain text and numbers (the usual arguments) are their own key, with their types.
    kept = current_app.extensions[KEPT]
    flat = (template_name, macro_name, arguments, kinds)
    found = kept.get(flat)
    if found is None:
        found = kept[flat] = _kept_parts(template_name, macro_name, _key(arguments), False)
    return Markup(found[0])


class KeptMacro:
    """A design-system macro drawn once for each set of parameters (see the module's notes)."""

    def __init__(self, template_name: str, macro_name: str):
        self.template_name = template_name
        self.macro_name = macro_name

    def __call__(self, params: dict | None = None, caller=None) -> Markup:
        """The macro's HTML for `params`, with the `{% call %}` body (if any) in its place."""
        params = params or {}
        kept = current_app.extensions[KEPT]
        flat = _flat_key(self.template_name, self.macro_name, params, caller is not None)
        found = kept.get(flat) if flat is not None else None
        if found is None:
            try:
                key = _key([params])
            except TypeError:
                # Not plain values (an undefined name, an object): draw it every time.
                module = current_app.jinja_env.get_template(self.template_name).module
                macro = getattr(module, self.macro_name)
                return Markup(macro(params, caller=caller) if caller else macro(params))
            found = _kept_parts(self.template_name, self.macro_name, key, caller is not None)
            if flat is not None:
                kept[flat] = found
        before, after = found
        if caller is None:
            return Markup(before)
        return Markup(before) + caller() + Markup(after)


FLAT_TYPES = frozenset({str, bool, int, float, type(None)})


def _flat_key(template_name: str, macro_name: str, params, with_caller: bool) -> tuple | None:
    """A quicker key for the usual parameters, one level of text, numbers and booleans, with
    their types (so True is not 1, nor Markup plain text); None for any other."""
    if type(params) is not dict:
        return None
    kinds = tuple(map(type, params.values()))
    if not FLAT_TYPES.issuperset(kinds):
        return None
    return template_name, macro_name, tuple(params.items()), kinds, with_caller


def kept_macro(template_name: str, macro_name: str) -> KeptMacro:
    """A stand-in for `{% from template_name import macro_name %}` that draws it once."""
    return KeptMacro(template_name, macro_name)


def _kept_parts(template_name: str, macro_name: str, key: str, with_caller: bool):
    """The kept HTML for this macro and key, drawn now if this app has not drawn it yet."""
    kept = current_app.extensions[KEPT]
    found = kept.get((template_name, macro_name, key, with_caller))
    if found is None:
        found = _draw(current_app.jinja_env, template_name, macro_name, key, with_caller)
        if len(kept) >= KEPT_PARTS:
            kept.clear()  # a fresh start now and then, rather than a lock on every page
        kept[(template_name, macro_name, key, with_caller)] = found
    return found


def _draw(environment, template_name: str, macro_name: str, key: str, with_caller: bool):
    """The macro's HTML for the arguments in `key`, cut in two where its caller's goes."""
    macro = getattr(environment.get_template(template_name).module, macro_name)
    arguments = _from_key(key)
    if not with_caller:
        return str(macro(*arguments)), ""
    html = str(macro(*arguments, caller=lambda: Markup(SLOT)))
    if html.count(SLOT) != 1:
        raise ValueError(f"{macro_name} does not put its caller's HTML in one place")
    before, after = html.split(SLOT)
    return before, after


def plain_key(value) -> str:
    """A key for a plain value (see `_plain`), the same for equal values."""
    return _key([value])


def _key(arguments) -> str:
    """JSON of the arguments, Markup marked as such so it comes back as Markup."""
    return json.dumps(_plain(arguments), sort_keys=True)


def _plain(value):
    """`value` as JSON can hold it; a TypeError for anything that is not a plain value.

    The exact types a template's literals are made of are looked at first: a key is
    made for every kept component on every page.
    """
    kind = type(value)
    if kind is str or kind is bool or kind is int or kind is float or value is None:
        return value
    if kind is dict and all(type(name) is str for name in value):
        return {name: _plain(item) for name, item in value.items()}
    if kind is list:
        return [_plain(item) for item in value]
    return _plain_subclass(value)


def _plain_subclass(value):
    if isinstance(value, Markup):
        return {"__html__": str(value)}
    if isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict) and all(isinstance(name, str) for name in value):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not a plain value")


def _from_key(key: str) -> list:
    return json.loads(key, object_hook=_markup_back)


def _markup_back(value: dict):
    return Markup(value["__html__"]) if value.keys() == {"__html__"} else value


def fixed_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)` for an address that is the same on every request (the
    layout's stylesheets, icons and links), built once per application root.

    Only for values written in a template, never a record's id or anything a
    person chose: each different set is kept.
    """
    if endpoint.startswith("."):
        raise ValueError("fixed_url needs a full endpoint name, not one relative to a blueprint")
    urls = current_app.extensions[FIXED_URLS]
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) >= KEPT_PARTS:
            urls.clear()
        urls[key] = url
    return url


def register(app: Flask) -> None:
    """Make `drawn_once`, `kept_macro` and `fixed_url` available in every template, and
    imports cheap."""
    from webapp import fixed_partials, page_frame

    app.extensions[KEPT] = {}
    app.extensions[FIXED_URLS] = {}
    page_frame.register(app)
    fixed_partials.register(app)
    app.jinja_env.template_class = KeptTemplate
    app.jinja_env.context_class = KeptContext
    app.jinja_env.globals.update(drawn_once=drawn_once, kept_macro=kept_macro, fixed_url=fixed_url)
