"""The admins' figures page: each service's adherence and FLS-DB KPIs, with no patient detail.

Admins only: `require_admin` is attached to the whole blueprint, so anyone
else is sent to sign in, and a signed-in nurse gets 404, as on every admin page.
"""

from flask import Blueprint

from webapp.auth.guards import require_admin

bp = Blueprint("admin_figures", __name__)
bp.before_request(require_admin)


from webapp.blueprints.admin_figures import views  # noqa: E402,F401  (routes attach to bp)
