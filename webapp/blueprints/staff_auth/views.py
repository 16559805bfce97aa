"""Views for signing in and out, the security code, and a person's own account."""

import logging

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from webapp.accounts import totp
from webapp.accounts.errors import AccountError
from webapp.accounts.sign_in import (
    Outcome,
    SignInResult,
    check_password,
    check_security_code,
    confirm_security_code_set_up,
    current_lock,
    email_key,
    keyed_hash,
    normalise_email,
)
from webapp.accounts.staff import change_own_password, new_session_token, start_security_code_set_up
from webapp.auth import sessions
from webapp.blueprints.staff_auth import bp
from webapp.blueprints.staff_auth.forms import ChangePasswordForm, SecurityCodeForm, SignInForm
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.logs import log_event
from webapp.models.staff import StaffMember
from webapp.patients.queries import nurse_service_id

log = logging.getLogger(__name__)

# The same words whether or not the email address has an account.
NOT_RIGHT = "The email address or password is not right"
WRONG_CODE = "The security code is not right. Enter the code your app shows now"
TOO_MANY = (
    "There have been too many failed attempts to sign in to this account from your network. "
    "Wait 15 minutes, then try again, or ask an admin of your Fracture Liaison Service for help"
)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Step 1: email address and password."""
    next_url = sessions.safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or _home())
    form = SignInForm()
    if form.validate_on_submit():
        result = check_password(
            db.session, sessions.sign_in_policy(), form.email.data, form.password.data,
            _client_address(), utc_now(),
        )
        db.session.commit()
        _log_sign_in("password", result, form.email.data)
        return _after_password(result, form, next_url)
    return _sign_in_page(form)


def _after_password(result: SignInResult, form: SignInForm, next_url: str | None):
    if result.outcome is Outcome.SIGNED_IN:
        return redirect(sessions.finish_sign_in(result.staff, next_url) or _home())
    if result.outcome is Outcome.NEEDS_CODE:
        sessions.begin_half_signed_in(result.staff, next_url)
        return redirect(url_for("staff_auth.security_code"))
    if result.outcome is Outcome.NEEDS_CODE_SET_UP:
        sessions.begin_half_signed_in(result.staff, next_url)
        return redirect(url_for("staff_auth.set_up_security_code"))
    return _sign_in_page(form, result)


def _sign_in_page(form: SignInForm, result: SignInResult | None = None):
    """The sign-in form, with the reason the last attempt was refused, if any."""
    status = 200
    if result is not None:
        form.form_errors.append(_refusal(result))
        if result.outcome is Outcome.TOO_MANY_ATTEMPTS:
            status = 429
    idle = session.pop(sessions.SIGNED_OUT_IDLE, False)
    return render_template("staff_auth/sign_in.html", form=form, signed_out_idle=idle), status


def _refusal(result: SignInResult) -> str:
    if result.outcome is Outcome.TOO_MANY_ATTEMPTS:
        return TOO_MANY
    if result.outcome is Outcome.LOCKED:
        return (
            "Your account is locked because of too many failed attempts to sign in. Try again "
            f"after {result.locked_until:%H:%M} UTC, or ask an admin of your Fracture Liaison "
            "Service to unlock it"
        )
    return NOT_RIGHT


@bp.route("/security-code", methods=["GET", "POST"])
def security_code():
    """Step 2: the code from the person's authenticator app."""
    staff = sessions.half_signed_in_staff()
    if staff is None:
        return redirect(_home())
    if not staff.uses_totp:
        return redirect(url_for("staff_auth.set_up_security_code"))
    form = SecurityCodeForm()
    if form.validate_on_submit():
        result = check_security_code(
            db.session, sessions.sign_in_policy(), staff, form.code.data, _client_address(),
            utc_now(),
        )
        db.session.commit()
        _log_sign_in("security_code", result)
        return _after_code(result, form, "staff_auth/security_code.html")
    return render_template("staff_auth/security_code.html", form=form)


@bp.route("/set-up-security-code", methods=["GET", "POST"])
def set_up_security_code():
    """Set up an authenticator app: scan the QR code, then prove it works with a first code."""
    staff = current_user if current_user.is_authenticated else sessions.half_signed_in_staff()
    if staff is None or staff.uses_totp:
        return redirect(_home())
    secret = start_security_code_set_up(db.session, staff)
    db.session.commit()
    form = SecurityCodeForm()
    if form.validate_on_submit():
        result = confirm_security_code_set_up(
            db.session, sessions.sign_in_policy(), staff, form.code.data, _client_address(),
            utc_now(),
        )
        db.session.commit()
        _log_sign_in("security_code_set_up", result)
        if result.outcome is Outcome.SIGNED_IN:
            flash("Your security code is set up. You will need a code each time you sign in.")
        return _after_code(result, form, "staff_auth/set_up_security_code.html", secret=secret)
    return render_template("staff_auth/set_up_security_code.html", form=form, secret=secret)


@bp.route("/set-up-security-code/qr-code.svg")
def security_code_qr():
    """The QR code for the secret being set up, as an SVG image."""
    staff = current_user if current_user.is_authenticated else sessions.half_signed_in_staff()
    if staff is None or staff.totp_pending_secret is None:
        return redirect(url_for("staff_auth.set_up_security_code"))
    image = totp.qr_code_svg(totp.setup_uri(staff.totp_pending_secret, staff.email))
    return Response(image, mimetype="image/svg+xml")


def _after_code(result: SignInResult, form: SecurityCodeForm, template: str, **context):
    if result.outcome is Outcome.SIGNED_IN:
        next_url = sessions.finish_sign_in(result.staff)
        return redirect(next_url or _home())
    if result.outcome is Outcome.LOCKED:
        sessions.sign_out()
        return _sign_in_page(SignInForm(formdata=None), result)
    form.code.errors.append(TOO_MANY if result.outcome is Outcome.TOO_MANY_ATTEMPTS else WRONG_CODE)
    status = 429 if result.outcome is Outcome.TOO_MANY_ATTEMPTS else 200
    return render_template(template, form=form, **context), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """Sign out: this session ends, and so does any other session of the same person."""
    if current_user.is_authenticated:
        current_user.session_token = new_session_token()
        db.session.commit()
        log_event(log, "sign_out", "Signed out", staff_id=current_user.id, reason="signed_out")
    sessions.sign_out()
    flash("You have signed out.")
    return redirect(url_for("staff_auth.sign_in"))


@bp.route("/")
def account():
    """Your account: who you are signed in as, and what you can change."""
    return render_template("staff_auth/account.html")


@bp.route("/change-password", methods=["GET", "POST"])
def change_password():
    """Change your own password; your other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        policy = sessions.sign_in_policy()
        staff = current_user._get_current_object()
        try:
            change_own_password(
                db.session, policy, staff, form.current_password.data, form.password.data,
                utc_now(),
            )
        except AccountError as error:
            db.session.commit()  # a wrong current password is counted as a failed sign-in
            log_event(log, "password.change_refused", "Password not changed: %s", error.field,
                      level=logging.WARNING, staff_id=staff.id, field=error.field)  # fmt: skip
            locked_until = current_lock(db.session, email_key(policy, staff.email), utc_now())
            if locked_until is not None:
                _log_sign_in(
                    "password_change", SignInResult(Outcome.LOCKED, staff, locked_until)
                )
                sessions.sign_out()
                flash(_refusal(SignInResult(Outcome.LOCKED, locked_until=locked_until)) + ".")
                return redirect(url_for("staff_auth.sign_in"))
            getattr(form, error.field or "password").errors.append(error.message)
            return render_template("staff_auth/change_password.html", form=form)
        db.session.commit()
        log_event(log, "password.changed", "Password changed", staff_id=staff.id)
        sessions.finish_sign_in(staff)
        flash("Your password has been changed. You have been signed out everywhere else.")
        return redirect(url_for("staff_auth.account"))
    return render_template("staff_auth/change_password.html", form=form)


def _home() -> str:
    """Where a signed-in person starts: a nurse of a service at today's worklist, anyone else
    at their account page (the admin pages are linked from the header)."""
    if current_user.is_authenticated and nurse_service_id(current_user) is not None:
        return url_for("nurse.worklist")
    return url_for("staff_auth.account")


# The event each sign-in outcome is logged as; a refusal also names the step refused.
_EVENTS = {
    Outcome.SIGNED_IN: "sign_in.succeeded",
    Outcome.NEEDS_CODE: "sign_in.password_accepted",
    Outcome.NEEDS_CODE_SET_UP: "sign_in.password_accepted",
    Outcome.LOCKED: "sign_in.locked",
    Outcome.TOO_MANY_ATTEMPTS: "sign_in.too_many_attempts",
}


def _log_sign_in(step: str, result: SignInResult, typed_email: str | None = None) -> None:
    """One line for each sign-in outcome, naming the person by staff id only (docs/logging.md).

    A refused password carries no account (the answer is the same either way), so
    the id is looked up from the typed email, which itself is never logged.
    """
    staff_id = result.staff.id if result.staff is not None else _staff_id(typed_email)
    fields = {"step": step, "staff_id": staff_id, "address_key": _address_key()}
    if result.locked_until is not None:
        fields["locked_until"] = result.locked_until.isoformat(timespec="seconds")
    succeeded = result.outcome in (Outcome.SIGNED_IN, Outcome.NEEDS_CODE, Outcome.NEEDS_CODE_SET_UP)
    log_event(
        log, _EVENTS.get(result.outcome, f"sign_in.{step}_refused"), "Sign-in %s: %s",
        step, result.outcome.value, level=logging.INFO if succeeded else logging.WARNING, **fields,
    )


def _staff_id(typed_email: str | None) -> int | None:
    if not typed_email:
        return None
    return db.session.scalar(
        select(StaffMember.id).where(StaffMember.email == normalise_email(typed_email))
    )


def _address_key() -> str:
    """The client address as a keyed hash (as the sign-in tables hold it), never in the clear.

    The same address gives the same key, so a log search shows one address trying
    many accounts without the log holding the address.
    """
    return keyed_hash(sessions.sign_in_policy().secret_key, "address", _client_address())


def _client_address() -> str:
    """The client's address: behind TRUSTED_PROXIES proxies, the one they saw (ProxyFix)."""
    return request.remote_addr or "unknown"
