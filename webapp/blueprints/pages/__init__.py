"""Public information pages: home, cookies, privacy, accessibility, sources."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from webapp.blueprints.pages import views  # noqa: E402,F401  (routes attach to bp)
