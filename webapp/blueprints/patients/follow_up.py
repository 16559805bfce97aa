"""Views for following a patient up: record a contact, mark worklist reasons handled, and
read older entries of the timeline. Thin, like the other patient views: the patient is
read through the nurse's service (404 for anyone else's), one service is called, and
the view commits once."""

from datetime import date

from flask import flash, request

from webapp.adherence.handling import HandlingError, mark_handled, note_problem
from webapp.adherence.worklist_queries import open_items_for
from webapp.blueprints.patients import bp
from webapp.blueprints.patients.forms import ContactForm, HandledForm
from webapp.blueprints.patients.pages import (
    add_errors,
    chosen_causes,
    patient_page_context,
    set_handled_choices,
)
from webapp.blueprints.patients.views import (
    _back_to,
    _nurse,
    _patient_or_404,
    _plan_days,
    _render,
)
from webapp.clock import uk_today, utc_now
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.patients.contacts import ContactError, record_contact
from webapp.patients.timeline import patient_timeline

CHANGED_SINCE = "These reasons have changed since the page was opened: check them and select again"


@bp.route("/<int:patient_id>/contacts/add", methods=["GET", "POST"])
def add_contact(patient_id: int):
    """Record a contact that is not a text: a call, a visit, a dose given, treatment confirmed."""
    patient = _patient_or_404(patient_id)
    form = ContactForm(data={"regimen_id": "", "happened_on": uk_today()})
    form.set_medicines(patient.regimens)
    if form.validate_on_submit() and _recorded(form, patient):
        flash("The contact has been recorded. It is on the timeline below.")
        return _back_to(patient)
    return _render("patients/contact.html", form=form, patient=patient)


def _recorded(form, patient: Patient) -> bool:
    """Record the contact and commit; False, with every problem on the form, if refused."""
    try:
        record_contact(db.session, _nurse(), patient, form.kind.data, form.happened_on.data,
                       form.note.data, form.chosen_regimen(patient.regimens), utc_now(),
                       plan_days=_plan_days())  # fmt: skip
    except ContactError as error:
        db.session.rollback()
        add_errors(form, error.errors)
        return False
    db.session.commit()
    return True


@bp.route("/<int:patient_id>/handled", methods=["POST"])
def handled(patient_id: int):
    """Mark the ticked worklist reasons handled, with the nurse's note: they leave the
    worklist, and the note goes on the timeline. With a problem, the page shows it."""
    patient = _patient_or_404(patient_id)
    form = HandledForm()
    items = open_items_for(db.session, patient.fls_service_id, patient.id)
    set_handled_choices(form, items)
    if form.validate_on_submit():
        causes, problem = chosen_causes(form, items), note_problem(form.note.data)
        if causes is None:
            form.items.errors = [CHANGED_SINCE]
        elif problem:
            form.note.errors = [problem]
        elif _marked(form, patient, causes):
            flash("Marked as handled. The note is on the timeline below.")
            return _back_to(patient)
    return _render("patients/patient.html", **patient_page_context(
        db.session, patient, handled_form=form, items=items))  # fmt: skip


def _marked(form, patient: Patient, causes) -> bool:
    """Mark the causes handled and commit; False, with the reason on the form, if refused."""
    try:
        mark_handled(db.session, _nurse(), patient, causes, form.note.data, utc_now())
    except HandlingError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return False
    db.session.commit()
    return True


@bp.route("/<int:patient_id>/timeline")
def timeline(patient_id: int):
    """Older entries of the patient's timeline: the 12 months up to `until` (a date)."""
    patient = _patient_or_404(patient_id)
    until = _read_day(request.args.get("until"), uk_today())
    return _render("patients/timeline.html", patient=patient,
                   timeline=patient_timeline(db.session, patient, until))  # fmt: skip


def _read_day(text: str | None, today: date) -> date:
    """An ISO date from the address, no later than today; today if it is not one."""
    try:
        day = date.fromisoformat((text or "")[:10])
    except ValueError:
        return today
    return min(day, today)
