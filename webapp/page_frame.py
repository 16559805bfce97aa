"""The page frame: the design system's page template drawn once, its gaps filled per request.

Every page extends `layout.html`, which extends the NHS.UK `nhsuk/template.jinja`.
Most of what that template draws is the same on every request: the head and its
icons and stylesheets, the skip link, the header, the footer, the markup around
the main content. Drawn afresh it cost about 1 ms a page, more than many pages'
own content. So the template's output is drawn once per application for each
*frame key*, with a marker in each gap, and kept cut at the markers; a request
then sends the kept pieces and draws only the gaps.

The gaps, drawn on every request, are:
- every block a page or layout.html overrides, except the FIXED_BLOCKS (the page
  title, the back link, the content and everything about a person are in them);
- the header, when a staff member is signed in (their name, their pages, and a
  CSRF token in the sign-out button);
- the CSP nonce of the inline script.

The frame key is what the kept pieces can depend on: every variable the design
system's template reads (`htmlClasses`, `mainClasses`, `assetPath`, ...), whether
there is a nonce, which templates' blocks make up the page, whether someone is
signed in, and the application root. So FIXED_BLOCKS (headIcons, head, skipLink,
main, footer, and the signed-out header) may draw only what is the same for every
request with the same key: fixed addresses, the owner's name, fixed wording.
Nothing a person typed, nothing about a patient, no token. A variable that is not
a plain value (text, numbers, lists, dicts) cannot be a key: the page is then drawn
as the template would draw it, without the frame.
"""

import re
from dataclasses import dataclass

from flask import current_app, has_request_context, request
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Context, missing
from markupsafe import Markup, escape

from webapp.rendering import plain_key

FRAMED_TEMPLATE = "nhsuk/template.jinja"
FRAMES = "bonecheck_page_frames"
# Blocks drawn into the frame even when a template overrides them (see the module's notes).
FIXED_BLOCKS = frozenset({"headIcons", "head", "skipLink", "main", "footer"})
SIGNED_IN = "header_account"  # offered to templates only while a staff member is signed in
NONCE = "cspNonce"
MOST_FRAMES = 256
GAP = "\x1fbonecheck-gap:{}\x1f"
GAPS = re.compile("\x1fbonecheck-gap:([A-Za-z_][A-Za-z0-9_]*)\x1f")
PLAIN_TYPES = (str, Markup, bool, int, float, type(None))


@dataclass(frozen=True)
class Frame:
    """The template's output cut at its gaps: pieces[0], gaps[0], pieces[1], ... pieces[-1]."""

    pieces: tuple[str, ...]
    gaps: tuple[str, ...]
    # What the template's own top level sets in the context (its imports, assetPath,
    # themeColor), set again on each request for the blocks drawn in the gaps.
    variables: tuple[tuple[str, object], ...]
    exported: tuple[str, ...]
    not_exported: tuple[str, ...]


def framed(template) -> None:
    """Draw `template` (the design system's page template) through kept frames from now on."""
    draw_unframed = template.root_render_func
    own_blocks = dict(template.blocks)
    read = []

    def root(context):
        if not read:
            read.append(tuple(name for name in variables_read(template) if name != NONCE))
        frame = _frame_for(context, draw_unframed, own_blocks, read[0])
        if frame is None:
            yield from draw_unframed(context)
            return
        yield from _fill(frame, context)

    template.root_render_func = root


def _fill(frame: Frame, context):
    """The kept pieces, with this request's blocks and nonce in the gaps.

    Each gap's block is joined here and handed up as one piece: a page's content is a
    hundred or more pieces, and each would otherwise be passed up through every
    template the page extends, one generator at a time.
    """
    context.vars.update(frame.variables)
    context.exported_vars.update(frame.exported)
    context.exported_vars.difference_update(frame.not_exported)
    blocks = context.blocks
    for piece, gap in zip(frame.pieces, frame.gaps, strict=False):
        yield piece
        if gap == NONCE:
            yield escape(context.resolve_or_missing(NONCE))
        else:
            yield "".join(blocks[gap][0](context))
    yield frame.pieces[-1]


def variables_read(template) -> tuple[str, ...]:
    """Every name the template reads from its context, globals included (unlike
    `jinja2.meta.find_undeclared_variables`), less the macros it imports itself."""
    environment = template.environment
    source, _, _ = environment.loader.get_source(environment, template.name)
    tree = environment.parse(source)
    imported = {name if isinstance(name, str) else name[1]
                for node in tree.find_all(nodes.FromImport) for name in node.names}  # fmt: skip
    reader = _NamesRead(environment)
    reader.visit(tree)
    return tuple(sorted(reader.names - imported))


class _NamesRead(CodeGenerator):
    """Jinja's code generator, writing nothing, noting each name looked up in the context."""

    def __init__(self, environment) -> None:
        super().__init__(environment, "<names read>", "<names read>")
        self.names: set[str] = set()

    def write(self, x: str) -> None:
        """Nothing is written."""

    def enter_frame(self, frame) -> None:
        super().enter_frame(frame)
        self.names.update(name for action, name in frame.symbols.loads.values()
                          if action == "resolve")  # fmt: skip


def _frame_for(context, draw_unframed, own_blocks, variables) -> Frame | None:
    """The kept frame for this context's key, drawn now if not yet kept; None if no key."""
    key = _frame_key(context, variables)
    if key is None:
        return None
    frames = current_app.extensions[FRAMES]
    frame = frames.get(key)
    if frame is None:
        frame = _draw(context, draw_unframed, own_blocks, signed_in=key[0])
        if len(frames) >= MOST_FRAMES:
            frames.clear()  # a fresh start now and then, rather than a lock on every page
        frames[key] = frame
    return frame


def _frame_key(context, variables) -> tuple | None:
    """What the frame may depend on (see the module's notes), or None if it cannot be a key."""
    values = []
    for name in variables:
        value = context.resolve_or_missing(name)
        if value is missing or type(value) in PLAIN_TYPES:
            values.append((type(value), value))
        else:
            try:
                values.append((dict, plain_key(value)))
            except TypeError:
                return None
    nonce = context.resolve_or_missing(NONCE)
    if nonce is not missing and nonce and not isinstance(nonce, str):
        return None
    blocks = tuple(context.blocks), tuple(map(tuple, context.blocks.values()))
    root = request.script_root if has_request_context() else None
    signed_in = context.resolve_or_missing(SIGNED_IN) is not missing
    return signed_in, root, bool(nonce) and nonce is not missing, tuple(values), blocks


def _draw(context, draw_unframed, own_blocks, signed_in: bool) -> Frame:
    """Draw the template once with a marker in each gap, and cut it at the markers."""
    drawing = Context(context.environment, context.parent, context.name, {})
    drawing.blocks = {
        name: [_marker(name)] if _is_gap(name, chain, own_blocks, signed_in) else list(chain)
        for name, chain in context.blocks.items()
    }
    drawing.vars.update(context.vars)
    drawing.exported_vars.update(context.exported_vars)
    nonce = context.resolve_or_missing(NONCE)
    if nonce is not missing and nonce:
        drawing.vars[NONCE] = GAP.format(NONCE)
    before = dict(drawing.vars)
    html = "".join(draw_unframed(drawing))
    cut = GAPS.split(html)
    return Frame(
        pieces=tuple(cut[0::2]),
        gaps=tuple(cut[1::2]),
        variables=tuple((name, value) for name, value in drawing.vars.items()
                        if name not in before or before[name] is not value),  # fmt: skip
        exported=tuple(drawing.exported_vars - context.exported_vars),
        not_exported=tuple(context.exported_vars - drawing.exported_vars),
    )


def _is_gap(name: str, chain: list, own_blocks: dict, signed_in: bool) -> bool:
    """Drawn per request: any block but the fixed ones (see the module's notes) and the
    design system's own defaults that no template overrides."""
    if name == "header":
        return signed_in
    if name in FIXED_BLOCKS:
        return False
    return not (len(chain) == 1 and chain[0] is own_blocks.get(name))


def _marker(name: str):
    def marker(context):
        yield GAP.format(name)

    return marker


def register(app) -> None:
    """Keep this app's frames."""
    app.extensions[FRAMES] = {}
