"""Needs attention today: the worklist a nurse lands on after signing in, and marking a row handled.

The worklist reads the rollups (`worklist_entry` without a matching
`worklist_handled`), so it costs a fixed number of queries whatever the number
of patients. Marking handled takes effect at once: the row goes, and comes back
by itself when a new cause (a new cause_key) appears.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from webapp.adherence.handling import HandlingError, mark_handled
from webapp.adherence.worklist_queries import open_items_for, worklist_page
from webapp.blueprints.nurse import bp
from webapp.blueprints.nurse.figures import Pages, is_stale, worked_out_at
from webapp.blueprints.nurse.forms import HandledForm
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.patients import queries, records
from webapp.patients.audit import log_patient_list_viewed
from webapp.urls import page_number

WORKLIST_PER_PAGE = 50
HANDLED = "Marked as handled. It comes back to this list by itself if the cause happens again."
ALREADY_HANDLED = "Nothing was marked: what you saw had already been handled or has changed."


def _nurse():
    return current_user._get_current_object()


@bp.route("/worklist")
def worklist():
    """The service's patients who need a person today, most urgent first, each saying why."""
    mine, page = request.args.get("mine") == "yes", page_number()
    rows, total, computed_at = worklist_page(
        db.session, _nurse().fls_service_id, page, WORKLIST_PER_PAGE,
        named_nurse_id=_nurse().id if mine else None,
    )  # fmt: skip
    pages = Pages(page, WORKLIST_PER_PAGE, total)
    if page > pages.pages:
        return redirect(url_for("nurse.worklist", **_list_args(pages.pages, mine)))
    log_patient_list_viewed(db.session, _nurse(), [row.patient_id for row in rows], utc_now(),
                            searched=False)  # fmt: skip
    now = utc_now()
    return _render("nurse/worklist.html", rows=rows, pages=pages, mine=mine,
                   page_args=_list_args(None, mine), return_args=_list_args(page, mine),
                   worked_out=worked_out_at(computed_at, now),
                   stale=is_stale(computed_at, now))  # fmt: skip


@bp.route("/worklist/<int:patient_id>/handled", methods=["GET", "POST"])
def handled(patient_id: int):
    """Mark what the worklist shows for one patient as handled, with a note of what was done."""
    patient = _patient_or_404(patient_id)
    items = open_items_for(db.session, patient.fls_service_id, patient.id)
    form = HandledForm()
    back = url_for("nurse.worklist", **_list_args(page_number(),
                                                   request.args.get("mine") == "yes"))
    if form.validate_on_submit():
        chosen = _chosen(items, request.form.getlist("item"))
        if not chosen:
            flash(ALREADY_HANDLED)
            return redirect(back)
        if _marked(form, patient, chosen):
            flash(HANDLED)
            return redirect(back)
    return _render("nurse/handled.html", form=form, patient=patient, items=items, back=back)


def _marked(form, patient: Patient, chosen: list[tuple[str, str]]) -> bool:
    """Mark the causes handled and commit; False, with the reason on the form, if refused."""
    try:
        mark_handled(db.session, _nurse(), patient, chosen, form.note.data.strip(), utc_now())
    except HandlingError as error:
        db.session.rollback()
        form.note.errors.append(str(error))
        return False
    db.session.commit()
    return True


def _chosen(items, posted: list[str]) -> list[tuple[str, str]]:
    """The (reason, cause_key) pairs the nurse saw that are still open, never one she did not."""
    still_open = {f"{item.reason}:{item.cause_key}": (str(item.reason), item.cause_key)
                  for item in items}  # fmt: skip
    return [still_open[key] for key in dict.fromkeys(posted) if key in still_open]


def _patient_or_404(patient_id: int) -> Patient:
    """The nurse's own patient; 404 for anyone else's. A GET is logged as a view."""
    patient = queries.patient_for_nurse(db.session, _nurse(), patient_id)
    if patient is None:
        abort(404)
    if request.method == "GET":
        records.record_patient_viewed(db.session, _nurse(), patient, utc_now(), page="handled")
    return patient


def _list_args(page: int | None, mine: bool) -> dict:
    """The worklist's address arguments: the page (left out for the first) and the filter."""
    args = {"mine": "yes"} if mine else {}
    if page and page > 1:
        args["page"] = page
    return args


def _render(template: str, **context) -> str:
    """Render, then commit the view's audit entry (in that order: a commit first would
    expire the rows the page reads, loading each again)."""
    page = render_template(template, **context)
    db.session.commit()
    return page
