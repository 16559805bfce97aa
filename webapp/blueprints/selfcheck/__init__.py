"""The public bone health self-check: one question a page, then the result."""

from flask import Blueprint

bp = Blueprint("selfcheck", __name__)

from webapp.blueprints.selfcheck import views  # noqa: E402,F401  (routes attach to bp)
