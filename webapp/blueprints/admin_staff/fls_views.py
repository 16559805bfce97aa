"""Admin pages for Fracture Liaison Services: list, add, change, delete.

Checking and saving are `webapp.groups.fls`'s job, shared with the listings
import, so a service is checked the same way however it arrives.
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.blueprints.admin_staff import bp
from webapp.blueprints.admin_staff.forms import ConfirmForm, FlsServiceForm
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.groups import fls
from webapp.groups.checking import needs_checking
from webapp.models.staff import FlsService, StaffMember

SERVICES_PER_PAGE = 50
FORM_FIELDS = (
    "name", "hospital", "phone", "opening_hours", "hospital_district", "covered_districts",
    "email", "website", "what_it_does", "hidden",
)


@bp.route("/fls-services")
def fls_service_list():
    """Every service, with when its details were last checked."""
    page = db.paginate(
        # Who checked each service comes in one more query, not one per row.
        select(FlsService).options(selectinload(FlsService.checked_by)).order_by(FlsService.name),
        per_page=SERVICES_PER_PAGE, max_per_page=SERVICES_PER_PAGE,
    )
    return render_template(
        "admin/fls_services/list.html", page=page, today=uk_today(), needs_checking=needs_checking
    )


@bp.route("/fls-services/add", methods=["GET", "POST"])
def add_fls_service():
    """Add a service to the public finder."""
    form = FlsServiceForm()
    if form.validate_on_submit():
        details = _checked_details(form)
        if details is not None:
            service = fls.add_service(db.session, details, current_user)
            _mark_checked(form, service)
            db.session.commit()
            flash(f"{service.name} has been added.")
            return redirect(url_for("admin_staff.fls_service_list"))
    return render_template("admin/fls_services/form.html", form=form, service=None)


@bp.route("/fls-services/<int:service_id>/edit", methods=["GET", "POST"])
def edit_fls_service(service_id: int):
    """Change a service's details, and record that they were checked."""
    service = db.get_or_404(FlsService, service_id)
    form = FlsServiceForm(data={**fls.service_values(service),
                                "hidden": "yes" if service.hidden else "no"})
    if form.validate_on_submit():
        details = _checked_details(form)
        if details is not None:
            fls.update_service(db.session, service, details, current_user)
            _mark_checked(form, service)
            db.session.commit()
            flash(f"{service.name} has been changed.")
            return redirect(url_for("admin_staff.fls_service_list"))
    return render_template("admin/fls_services/form.html", form=form, service=service)


@bp.route("/fls-services/<int:service_id>/delete", methods=["GET", "POST"])
def delete_fls_service(service_id: int):
    """Confirm, then delete a service that no staff account belongs to."""
    service = db.get_or_404(FlsService, service_id)
    staff_count = db.session.scalar(
        select(func.count()).select_from(StaffMember)
        .where(StaffMember.fls_service_id == service.id)
    )
    form = ConfirmForm()
    if staff_count == 0 and form.validate_on_submit():
        name = service.name
        fls.delete_service(db.session, service, current_user)
        db.session.commit()
        flash(f"{name} has been deleted.")
        return redirect(url_for("admin_staff.fls_service_list"))
    return render_template(
        "admin/fls_services/delete.html", service=service, staff_count=staff_count, form=form
    )


def _checked_details(form: FlsServiceForm):
    """The shared checks' clean details, or None with their messages on the form's fields."""
    values = {name: getattr(form, name).data for name in FORM_FIELDS}
    details, errors = fls.check_service(values, uk_today())
    for name, message in errors.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    return details


def _mark_checked(form: FlsServiceForm, service: FlsService) -> None:
    if form.checked.data == "yes":
        fls.mark_service_checked(db.session, service, current_user, uk_today())
