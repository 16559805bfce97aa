"""Admin pages for staff accounts: list, add, change, switch off and on, resets, unlock."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from webapp.accounts.errors import AccountError
from webapp.accounts.staff import (
    StaffDetails,
    create_staff_member,
    deactivate_staff_member,
    locked_until_by_staff,
    reactivate_staff_member,
    reset_password,
    reset_security_code,
    unlock_staff_member,
    update_staff_member,
)
from webapp.auth.sessions import sign_in_policy
from webapp.blueprints.admin_staff import bp
from webapp.blueprints.admin_staff.forms import ConfirmForm, StaffMemberForm
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.staff import FlsService, StaffMember

STAFF_PER_PAGE = 50


@bp.route("/staff")
def staff_list():
    """Every staff account, with its role, service and whether it is locked."""
    page = db.paginate(
        select(StaffMember).order_by(StaffMember.active.desc(), StaffMember.full_name),
        per_page=STAFF_PER_PAGE, max_per_page=STAFF_PER_PAGE,
    )
    services = _services_by_id()
    locks = locked_until_by_staff(db.session, sign_in_policy(), list(page.items), utc_now())
    return render_template(
        "admin/staff/list.html", page=page, services=services, locks=locks
    )


@bp.route("/staff/add", methods=["GET", "POST"])
def add_staff_member():
    """Make an account with a temporary password, shown once to the admin."""
    form = _staff_form()
    if form.validate_on_submit():
        try:
            staff, password = create_staff_member(
                db.session, current_user, _details(form), sign_in_policy().hasher, utc_now()
            )
        except AccountError as error:
            db.session.rollback()
            return _with_error(form, error, "admin/staff/form.html", staff=None)
        db.session.commit()
        return render_template("admin/staff/password.html", staff=staff, password=password,
                               created=True)
    return render_template("admin/staff/form.html", form=form, staff=None)


@bp.route("/staff/<int:staff_id>")
def staff_member(staff_id: int):
    """One account: its details and what an admin can do to it."""
    staff = db.get_or_404(StaffMember, staff_id)
    locks = locked_until_by_staff(db.session, sign_in_policy(), [staff], utc_now())
    return render_template(
        "admin/staff/detail.html", staff=staff, locked_until=locks.get(staff.id),
        form=ConfirmForm(),
    )


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
def edit_staff_member(staff_id: int):
    """Change an account's name, email address, role or service."""
    staff = db.get_or_404(StaffMember, staff_id)
    form = _staff_form(obj=staff)
    if request.method == "GET":
        form.fls_service_id.data = str(staff.fls_service_id or "")
    if form.validate_on_submit():
        try:
            update_staff_member(db.session, current_user, staff, _details(form), utc_now())
        except AccountError as error:
            db.session.rollback()
            return _with_error(form, error, "admin/staff/form.html", staff=staff)
        db.session.commit()
        flash(f"{staff.full_name}'s account has been changed.")
        return redirect(url_for("admin_staff.staff_member", staff_id=staff.id))
    return render_template("admin/staff/form.html", form=form, staff=staff)


@bp.route("/staff/<int:staff_id>/deactivate", methods=["GET", "POST"])
def deactivate(staff_id: int):
    """Confirm, then switch an account off; its sessions end at once."""
    staff = db.get_or_404(StaffMember, staff_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        return _act(staff, deactivate_staff_member, f"{staff.full_name}'s account is switched off.")
    return render_template("admin/staff/deactivate.html", staff=staff, form=form)


@bp.route("/staff/<int:staff_id>/reactivate", methods=["POST"])
def reactivate(staff_id: int):
    """Switch an account back on."""
    staff = db.get_or_404(StaffMember, staff_id)
    return _act(staff, reactivate_staff_member, f"{staff.full_name}'s account is switched on.")


@bp.route("/staff/<int:staff_id>/reset-security-code", methods=["POST"])
def reset_staff_security_code(staff_id: int):
    """Switch off a lost authenticator app; they set up a new one at next sign-in."""
    staff = db.get_or_404(StaffMember, staff_id)
    return _act(
        staff, reset_security_code,
        f"{staff.full_name} will set up a new security code when they next sign in.",
    )


@bp.route("/staff/<int:staff_id>/unlock", methods=["POST"])
def unlock(staff_id: int):
    """End a lock from failed sign-ins early."""
    staff = db.get_or_404(StaffMember, staff_id)
    policy = sign_in_policy()
    return _act(
        staff, lambda session, actor, staff, now: unlock_staff_member(
            session, actor, staff, policy, now
        ),
        f"{staff.full_name}'s account is unlocked.",
    )


@bp.route("/staff/<int:staff_id>/reset-password", methods=["POST"])
def reset_staff_password(staff_id: int):
    """Give an account a new temporary password, shown once."""
    staff = db.get_or_404(StaffMember, staff_id)
    password = reset_password(db.session, current_user, staff, sign_in_policy().hasher, utc_now())
    db.session.commit()
    return render_template("admin/staff/password.html", staff=staff, password=password,
                           created=False)


def _act(staff: StaffMember, action, message: str):
    """Run one account action, commit, and go back to the account with a message.

    The buttons are POST forms with a CSRF token, which CSRFProtect checks.
    """
    try:
        action(db.session, current_user, staff, utc_now())
    except AccountError as error:
        db.session.rollback()
        flash(error.message + ".")
    else:
        db.session.commit()
        flash(message)
    return redirect(url_for("admin_staff.staff_member", staff_id=staff.id))


def _staff_form(**kwargs) -> StaffMemberForm:
    form = StaffMemberForm(**kwargs)
    form.set_services(_services_by_id().values())
    return form


def _services_by_id() -> dict[int, FlsService]:
    services = db.session.scalars(select(FlsService).order_by(FlsService.name))
    return {service.id: service for service in services}


def _details(form: StaffMemberForm) -> StaffDetails:
    return StaffDetails(
        email=form.email.data, full_name=form.full_name.data, role=form.role.data,
        fls_service_id=form.chosen_service_id(),
    )


def _with_error(form, error: AccountError, template: str, **context):
    """Show a service's refusal against the field it is about (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
    return render_template(template, form=form, **context)


from webapp.blueprints.admin_staff import audit_views, fls_views  # noqa: E402,F401
