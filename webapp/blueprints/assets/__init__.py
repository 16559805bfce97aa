"""Serves the npm nhsuk-frontend package's compiled CSS, JavaScript and images at /assets.

The files are installed by `make` from npm (never copied into git); this
blueprint serves them from wherever config says the package lives. Without NHS
branding (webapp/branding.py) the stylesheet is served without its @font-face
rules, so no browser ever fetches the NHS's Frutiger font: the design system's
own fallback, Arial, is used.
"""

import functools
import re
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

bp = Blueprint("assets", __name__)

# Long caching is safe for the versioned package; the files change only with an upgrade.
ONE_DAY = 24 * 60 * 60


STYLESHEET = "nhsuk-frontend.min.css"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


@bp.route("/assets/<path:filename>")
def static_file(filename: str):
    """One file of the nhsuk-frontend package's dist folder."""
    folder = current_app.config["NHSUK_FRONTEND_DIST"]
    if filename == STYLESHEET and not current_app.config["NHS_BRANDING"]:
        response = Response(without_nhs_font(str(Path(folder) / STYLESHEET)), mimetype="text/css")
        response.headers["Cache-Control"] = f"public, max-age={ONE_DAY}"  # as for every asset
        return response
    return send_from_directory(folder, filename, max_age=ONE_DAY)


@functools.cache
def without_nhs_font(path: str) -> str:
    """The design system's stylesheet with its web fonts left out (read once a process)."""
    return _FONT_FACE.sub("", Path(path).read_text(encoding="utf-8"))
