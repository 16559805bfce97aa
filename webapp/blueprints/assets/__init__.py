"""Serves the npm nhsuk-frontend package's compiled CSS, JavaScript and images at /assets.

The files are installed by `make` from npm (never copied into git); this
blueprint serves them from wherever config says the package lives.
"""

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("assets", __name__)

# Long caching is safe for the versioned package; the files change only with an upgrade.
ONE_DAY = 24 * 60 * 60


@bp.route("/assets/<path:filename>")
def static_file(filename: str):
    """One file of the nhsuk-frontend package's dist folder."""
    return send_from_directory(
        current_app.config["NHSUK_FRONTEND_DIST"], filename, max_age=ONE_DAY
    )
