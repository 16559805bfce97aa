"""Admin pages for support group listings: add, change, hide, delete, check, upload, export.

Admins only: `require_admin` is attached to the whole blueprint, so anyone
else is sent to sign in, and a signed-in nurse gets 404. Fracture Liaison
Service listings are kept on the admin_staff pages, with the same services.
"""

from flask import Blueprint

from webapp.auth.guards import require_admin

bp = Blueprint("admin_listings", __name__)
bp.before_request(require_admin)


from webapp.blueprints.admin_listings import views  # noqa: E402,F401  (routes attach to bp)
