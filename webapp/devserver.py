"""The app `make run` serves: the web app, plus the scheduler when RUN_SCHEDULER is set.

Only the development server loads this module (gunicorn loads `wsgi`), so the
scheduler never runs in a gunicorn worker. Flask's reloader, when switched on,
loads the app twice (a watching parent and a serving child); only the child
starts the scheduler, so there is exactly one.
"""

import os
import sys

from webapp import create_app


def reloader_parent(argv: list[str], environ: dict) -> bool:
    """True in the watching parent of Flask's reloader, which never serves a request."""
    if environ.get("WERKZEUG_RUN_MAIN") == "true":
        return False
    if "--no-reload" in argv:
        return False
    debug = environ.get("FLASK_DEBUG", "").lower() in {"1", "true", "yes"}
    return "--reload" in argv or "--debug" in argv or debug


def start_scheduler_if_asked(app, argv=None, environ=None):
    """Start the scheduler in the background if RUN_SCHEDULER is set; return it (or None)."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not app.config["RUN_SCHEDULER"] or reloader_parent(argv, environ):
        return None
    from webapp.scheduler import build_scheduler

    scheduler = build_scheduler(app)
    scheduler.start()
    app.extensions["scheduler"] = scheduler
    return scheduler


app = create_app()
start_scheduler_if_asked(app)
