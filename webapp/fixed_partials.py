"""Partials of fixed wording, drawn once and kept: the support-group pointer, the helpline,
the QFracture-2012 disclaimer, the self-check's timeout warning.

Each is `{% include %}`d by pages as before; the first time a partial is drawn for a
key, its HTML is kept, cut where a CSRF token goes, and later includes send the kept
pieces with this request's token in the gaps. The key is the value of every name the
partial reads (found in its source), which must be a plain value (text, numbers, lists,
dicts), a module of constants (`advice`), or one of FIXED_GLOBALS, plus the application
root. Anything else (a record, a form, `request`, an undefined name given a value that
is not plain) and the partial is drawn as usual, every time.

Only for partials that show nothing about a person: add one to FIXED_PARTIALS only if
every request with the same values must see the same HTML.
"""

import types

from flask import current_app, has_request_context, request
from jinja2.runtime import missing
from markupsafe import escape

from webapp.page_frame import GAP, PLAIN_TYPES, variables_read
from webapp.rendering import plain_key

FIXED_PARTIALS = frozenset({
    "partials/qfracture_disclaimer.html",
    "partials/support_groups.html",
    "selfcheck/_timeout_warning.html",
    "selfcheck/partials/helpline.html",
})  # fmt: skip
# Globals that draw the same for every request under one application root.
FIXED_GLOBALS = frozenset({"url_for", "fixed_url", "kept_macro", "drawn_once", "owner"})
CSRF_TOKEN = "csrf_token"
KEPT = "bonecheck_fixed_partials"
MOST_KEPT = 256


def keep_fixed_partial(template) -> None:
    """Draw `template` once for each key from now on (see the module's notes)."""
    draw_as_usual = template.root_render_func
    read = []

    def root(context):
        if not read:
            read.append(variables_read(template))
        key = _key(context, read[0])
        if key is None:
            yield from draw_as_usual(context)
            return
        pieces = _kept_pieces(template, context, draw_as_usual, key)
        yield pieces[0]
        for piece in pieces[1:]:
            yield escape(context.resolve_or_missing(CSRF_TOKEN)())
            yield piece

    template.root_render_func = root


def _key(context, names) -> tuple | None:
    """What the partial's HTML can depend on, or None if something it reads is not fixed."""
    fixed = context.environment.globals
    values = []
    for name in names:
        value = context.resolve_or_missing(name)
        if name in FIXED_GLOBALS or name == CSRF_TOKEN:
            if value is not fixed.get(name):
                return None
        elif isinstance(value, types.ModuleType):
            values.append((name, value.__name__))
        elif value is missing or type(value) in PLAIN_TYPES:
            values.append((name, type(value), value))
        else:
            try:
                values.append((name, plain_key(value)))
            except TypeError:
                return None
    root = request.script_root if has_request_context() else None
    return root, tuple(values)


def _kept_pieces(template, context, draw_as_usual, key) -> list[str]:
    """The partial's HTML for this key, cut where its CSRF tokens go; drawn now if not kept."""
    kept = current_app.extensions[KEPT]
    pieces = kept.get((template, key))
    if pieces is None:
        marker = GAP.format(CSRF_TOKEN)
        drawing = template.new_context({**context.get_all(), CSRF_TOKEN: lambda: marker}, True)
        pieces = "".join(draw_as_usual(drawing)).split(marker)
        if len(kept) >= MOST_KEPT:
            kept.clear()  # a fresh start now and then, rather than a lock on every page
        kept[(template, key)] = pieces
    return pieces


def register(app) -> None:
    """Keep this app's fixed partials."""
    app.extensions[KEPT] = {}
