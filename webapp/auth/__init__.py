"""Flask-Login wiring: who the session belongs to, idle expiry and the header's account links.

`init_auth(app)` is called once by the factory. Guards for blueprints are in
`webapp.auth.guards`; the session helpers the sign-in pages use are in
`webapp.auth.sessions`.
"""

from flask import Flask, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from webapp.auth import sessions
from webapp.csrf_tokens import signed_csrf_token
from webapp.extensions import login_manager


def init_auth(app: Flask) -> None:
    """Load staff from the session, expire idle sessions, offer `header_account` to the layout."""
    login_manager.user_loader(sessions.load_staff_member)
    login_manager.login_view = "staff_auth.sign_in"
    # Sessions live in the signed cookie; PERMANENT_SESSION_LIFETIME (30 minutes,
    # refreshed on every request) is the browser's side of the idle limit, and
    # `expire_idle_session` the server's.
    app.before_request(sessions.forget_cached_identity)
    app.before_request(sessions.expire_idle_session)
    app.context_processor(_header_account_context)
    # Flask-Login's own context processor loads the user for every page drawn; the
    # proxy loads them only on a page that asks (staff pages), once per request.
    app.jinja_env.globals["current_user"] = current_user


def _header_account_context() -> dict:
    """`header_account()` for the layout, only when a staff member is signed in."""
    if not sessions.may_be_signed_in() or not current_user.is_authenticated:
        return {}
    return {"header_account": _header_account}


def _header_account() -> dict:
    """The header's account area: the person's name, their pages (admin, or a nurse's worklist,
    overview and patients), and a sign-out button.

    Signing out is a POST with a CSRF token (a link could be triggered by any
    page). The design system's account form has no slot for hidden fields, so
    the token rides inside the button, where a hidden input is allowed.
    """
    items = [{"text": current_user.full_name, "icon": True, "href": url_for("staff_auth.account")}]
    if current_user.is_admin:
        items.append({"text": "Admin", "href": url_for("admin_staff.staff_list")})
    elif current_user.is_nurse and current_user.fls_service_id is not None:
        items += [{"text": "Worklist", "href": url_for("nurse.worklist")},
                  {"text": "Overview", "href": url_for("nurse.overview")},
                  {"text": "Patients", "href": url_for("patients.patient_list")}]  # fmt: skip
    token = Markup('<input type="hidden" name="csrf_token" value="{}">').format(signed_csrf_token())
    items.append({"html": escape("Sign out") + token, "action": url_for("staff_auth.sign_out")})
    return {"ariaLabel": "Your account", "items": items}
