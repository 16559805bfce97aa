"""The signed CSRF token a page carries: signed once for each session's token, and kept.

Flask-WTF signs the session's raw token afresh for every request that shows a form
(JSON, base64 and an HMAC: about 5% of the self-check result page's time in a worker).
With WTF_CSRF_TIME_LIMIT None (config.py) a signature never expires, so one signed
token serves every page of a session: each application keeps the signed tokens it has
made, by raw token. Tokens are checked exactly as before (Flask-WTF's validate_csrf),
and a new raw token (a new session, a sign-in or sign-out) is signed anew. With a time
limit set, every page signs its token afresh, as Flask-WTF does.
"""

from flask import current_app, g, session
from flask_wtf.csrf import generate_csrf

KEPT = "bonecheck_signed_csrf_tokens"
MOST_KEPT = 4096
FLASK_WTF_TIME_LIMIT = 3600  # Flask-WTF's own default, when the config does not set one


def signed_csrf_token() -> str:
    """This session's CSRF token as a form carries it (Flask-WTF's generate_csrf)."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return g.get(field)  # this request's, as Flask-WTF keeps it
    if config.get("WTF_CSRF_TIME_LIMIT", FLASK_WTF_TIME_LIMIT) is not None:
        return generate_csrf()
    kept = current_app.extensions[KEPT]
    raw = session.get(field)
    signed = kept.get(raw) if isinstance(raw, str) else None
    if signed is None:
        signed = generate_csrf()  # makes the raw token, if the session has none yet
        if len(kept) >= MOST_KEPT:
            kept.clear()  # a fresh start now and then, rather than a lock on every page
        kept[session[field]] = signed
    else:
        setattr(g, field, signed)  # where Flask-WTF's forms look for this request's token
    return signed


def register(app) -> None:
    """Give this app's templates the kept tokens (after Flask-WTF's CSRFProtect, which
    sets `csrf_token` both as a global and in every template's context)."""
    app.extensions[KEPT] = {}
    app.jinja_env.globals["csrf_token"] = signed_csrf_token
    app.context_processor(_in_every_template)


def _in_every_template() -> dict:
    return {"csrf_token": signed_csrf_token}
