"""BoneCheck: the application factory.

Importing this package connects to nothing, starts no scheduler and sends
nothing; `create_app` builds an app from a config class in named steps.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `import webapp.risk` alone needs none of them
    from flask import Flask

    from config import Config


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the BoneCheck app from `config_class` (or the one BONECHECK_ENV names)."""
    from flask import Flask

    from config import config_from_environment

    config_class = config_class or config_from_environment()
    config_class.check()
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_class)
    init_logging(app)
    init_jinja(app)
    register_extensions(app)
    register_url_checks(app)
    register_blueprints(app)
    register_security_headers(app)
    register_proxy_fix(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def init_logging(app: Flask) -> None:
    """Log to stdout, one logfmt line a record with its `extra=` fields (webapp/logs.py)."""
    from webapp.logs import OneLineFormatter

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(OneLineFormatter())
    logger = logging.getLogger("webapp")
    logger.handlers[:] = [handler]
    logger.setLevel(app.config["LOG_LEVEL"])
    logger.propagate = False


def init_jinja(app: Flask) -> None:
    """Our templates first, then the NHS.UK design system's.

    The package's macros end in `.jinja`, which Flask does not autoescape by
    extension, so autoescaping is switched on for every template: without it an
    error message echoing user input would be rendered as raw HTML.
    """
    from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader

    app.jinja_options = {
        "loader": ChoiceLoader(
            [app.create_global_jinja_loader(), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "undefined": ChainableUndefined,
        "autoescape": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "cache_size": -1,
    }
    from webapp import branding, formatting, rendering

    branding.register(app)
    formatting.register_template_helpers(app)
    rendering.register(app)


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in webapp.extensions to this app."""
    import webapp.models  # noqa: F401  (every table registered before Alembic looks)
    from webapp.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    from webapp import csrf_tokens

    csrf_tokens.register(app)
    # Templates get `current_user` from webapp.auth, loaded only when a template uses it.
    login_manager.init_app(app, add_context_processor=False)
    from webapp import session_cookie

    session_cookie.register(app)
    from webapp.auth import init_auth

    init_auth(app)


def register_url_checks(app: Flask) -> None:
    """Record ids and page numbers in addresses range-checked once, for every route."""
    from webapp import urls

    urls.register_url_checks(app)


def register_blueprints(app: Flask) -> None:
    """Every blueprint, in one place."""
    from webapp.blueprints.admin_figures import bp as admin_figures_bp
    from webapp.blueprints.admin_listings import bp as admin_listings_bp
    from webapp.blueprints.admin_staff import bp as admin_staff_bp
    from webapp.blueprints.assets import bp as assets_bp
    from webapp.blueprints.groups import bp as groups_bp
    from webapp.blueprints.nurse import bp as nurse_bp
    from webapp.blueprints.pages import bp as pages_bp
    from webapp.blueprints.patients import bp as patients_bp
    from webapp.blueprints.selfcheck import bp as selfcheck_bp
    from webapp.blueprints.sms_outbox import bp as sms_outbox_bp
    from webapp.blueprints.sms_webhook import bp as sms_webhook_bp
    from webapp.blueprints.staff_auth import bp as staff_auth_bp

    app.register_blueprint(assets_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(selfcheck_bp, url_prefix="/check")
    app.register_blueprint(groups_bp, url_prefix="/groups")
    # Guards are attached inside each package: staff_auth opens only sign-in and
    # sign-out; admin_staff is admins only (webapp.auth.guards).
    app.register_blueprint(staff_auth_bp, url_prefix="/staff")
    app.register_blueprint(admin_staff_bp, url_prefix="/admin")
    app.register_blueprint(admin_listings_bp, url_prefix="/admin/support-groups")
    app.register_blueprint(admin_figures_bp, url_prefix="/admin/figures")
    app.register_blueprint(sms_outbox_bp, url_prefix="/sms-outbox")
    # Public on purpose: Twilio calls it; each request must carry Twilio's signature.
    app.register_blueprint(sms_webhook_bp, url_prefix="/sms")
    # Nurses only, and only their own service's patients (webapp.patients.queries).
    app.register_blueprint(patients_bp, url_prefix="/patients")
    # Nurses only: the worklist and the service overview, scoped to the nurse's service.
    app.register_blueprint(nurse_bp)


def register_security_headers(app: Flask) -> None:
    """A strict Content-Security-Policy and friends on every response."""
    from webapp import security

    security.init_security_headers(app)


def register_proxy_fix(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, see the client's address, not the proxy's."""
    from webapp import security

    security.trust_proxies(app)


def register_error_handlers(app: Flask) -> None:
    """NHS-style error pages; a 500 rolls the session back first."""
    from webapp import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    """CLI command groups (`flask risk …`, `flask seed …`)."""
    from webapp.cli import register_cli

    register_cli(app)


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
