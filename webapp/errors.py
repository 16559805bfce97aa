"""Error pages in the NHS.UK style, registered in one place."""

import logging

from flask import Flask, render_template, request, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.extensions import db

log = logging.getLogger(__name__)

PAGES = {
    400: "errors/400.html",
    403: "errors/404.html",  # never confirm that something exists but is not yours
    404: "errors/404.html",
    405: "errors/400.html",
    413: "errors/413.html",
    429: "errors/429.html",
}


def register(app: Flask) -> None:
    """Attach handlers for HTTP errors and for anything unexpected."""

    @app.errorhandler(CSRFError)
    def _form_refused(error: CSRFError):
        # A self-check form sent after its session ended (30 minutes idle, or the browser
        # closed): say that plainly, rather than "we could not do that".
        if request.path.startswith("/check/") and not session.get("check"):
            return render_template("selfcheck/session_ended.html"), 400
        return render_template("errors/400.html", error=error), 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        template = PAGES.get(error.code)
        if template is None:
            return error
        status = 404 if error.code == 403 else error.code
        return render_template(template, error=error), status

    @app.errorhandler(Exception)
    def _unexpected_error(error: Exception):
        # A half-done change must never be committed by a later request.
        db.session.rollback()
        log.exception("Unhandled error")
        return render_template("errors/500.html"), 500
