"""Views for the public information pages."""

from flask import render_template

from webapp.blueprints.pages import bp


@bp.route("/")
def home():
    """The start page: what the self-check is and who it is for."""
    return render_template("pages/home.html")


@bp.route("/about")
def about():
    """Who runs this service, how the numbers are made, what is kept, how to get in touch."""
    return render_template("pages/about.html")


@bp.route("/cookies")
def cookies():
    """The only cookie we set, and why it is strictly necessary."""
    return render_template("pages/cookies.html")


@bp.route("/privacy")
def privacy():
    """What we keep (a count, nothing that identifies you) and what we do not."""
    return render_template("pages/privacy.html")


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.route("/sources")
def sources():
    """Where the risk equations, advice and data come from, with credits."""
    return render_template("pages/sources.html")
