"""Admin pages: staff accounts, Fracture Liaison Services and the audit log.

Admins only: `require_admin` is attached to the whole blueprint, so anyone
else is sent to sign in, and a signed-in nurse gets 404.
"""

from flask import Blueprint

from webapp.auth.guards import require_admin

bp = Blueprint("admin_staff", __name__)
bp.before_request(require_admin)


from webapp.blueprints.admin_staff import views  # noqa: E402,F401  (routes attach to bp)
