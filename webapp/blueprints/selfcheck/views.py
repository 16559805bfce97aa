"""Views for the self-check."""

from flask import redirect, url_for

from webapp.blueprints.selfcheck import bp


@bp.route("/")
def start():
    """Begin a new check."""
    return redirect(url_for("pages.home"))
