"""Views for the patient pages: thin, each reads the patient through the nurse's service,
calls one service and commits once. A patient outside the nurse's service is a 404."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from webapp.blueprints.patients import bp
from webapp.blueprints.patients.forms import (
    ConfirmForm,
    DischargeForm,
    DoseGivenForm,
    EnrolForm,
    PatientForm,
    PauseForm,
    RegimenForm,
    SearchForm,
    StopForm,
    SwitchForm,
)
from webapp.blueprints.patients.pages import (
    add_errors,
    checked_patient,
    checked_regimen,
    patient_page_context,
    values_from_patient,
)
from webapp.clock import uk_today, utc_now
from webapp.extensions import db
from webapp.models.patients import Patient
from webapp.patients import queries, records, regimens
from webapp.patients.audit import log_patient_list_viewed
from webapp.patients.details import (
    DUPLICATE_NHS_NUMBER,
    check_past_date,
    check_pause_until,
    check_reason,
)
from webapp.reminders.medicines import MEDICINES, medicine

PATIENTS_PER_PAGE = 25


def _nurse():
    return current_user._get_current_object()


def _plan_days() -> int:
    return current_app.config["REMINDER_PLAN_DAYS"]


def _patient_or_404(patient_id: int) -> Patient:
    """The nurse's own patient; 404 for anyone else's. A GET is logged as a view."""
    patient = queries.patient_for_nurse(db.session, _nurse(), patient_id)
    if patient is None:
        abort(404)
    if request.method == "GET":
        records.record_patient_viewed(db.session, _nurse(), patient, utc_now(),
                                      page=request.endpoint.split(".")[-1])  # fmt: skip
    return patient


def _render(template: str, **context) -> str:
    """Render the page, then commit the view's audit entry.

    In that order: a commit first would expire every row the page reads, and
    each would be loaded again, one query a row.
    """
    page = render_template(template, **context)
    db.session.commit()
    return page


def _regimen_or_404(patient: Patient, regimen_id: int):
    regimen = next((item for item in patient.regimens if item.id == regimen_id), None)
    if regimen is None:
        abort(404)
    return regimen


@bp.route("/", methods=["GET", "POST"])
def patient_list():
    """The service's patients, or those matching a name or NHS number (posted, so the
    words never appear in an address or a server log)."""
    form = SearchForm()
    searched = form.validate_on_submit() and (form.q.data or "").strip()
    if searched:
        found = queries.search_patients(db.session, _nurse(), form.q.data)
        page, more = None, len(found) > queries.MAX_SEARCH_RESULTS
        found = found[: queries.MAX_SEARCH_RESULTS]
    else:
        page = db.paginate(queries.patient_list_ids(_nurse()), per_page=PATIENTS_PER_PAGE,
                           max_per_page=PATIENTS_PER_PAGE)  # fmt: skip
        found, more = queries.patients_by_id(db.session, list(page.items)), False
    log_patient_list_viewed(db.session, _nurse(), [patient.id for patient in found], utc_now(),
                            searched=bool(searched))  # fmt: skip
    return _render("patients/list.html", form=form, page=page, patients=found,
                           searched=bool(searched), more=more)  # fmt: skip


@bp.route("/enrol", methods=["GET", "POST"])
def enrol():
    """Enrol a patient with their first medicine; their welcome text is planned at once."""
    form = EnrolForm()
    form.set_nurses(queries.service_nurses(db.session, _nurse().fls_service_id))
    if form.is_submitted():
        form_ok, today = form.validate(), uk_today()  # first: validate() resets the errors
        regimen = checked_regimen(form, today)
        medicines = [regimen.medicine] if regimen else _chosen_medicines(form)
        details = checked_patient(form, _nurse().fls_service, None, today, medicines)
        patient = form_ok and details and regimen and _saved(
            form, records.enrol_patient, db.session, _nurse(), _nurse().fls_service, details,
            [regimen], utc_now(), plan_days=_plan_days(),
        )
        if patient:
            flash("The patient has been enrolled. Their planned texts are below.")
            return redirect(url_for("patients.patient_record", patient_id=patient.id))
    return _render("patients/enrol.html", form=form)


def _saved(form, change, *args, **kwargs) -> Patient | None:
    """Make the change and commit it, returning the patient; None, with nothing saved,
    if the NHS number is taken.

    The NHS number was checked as free before; one enrolled by another nurse at the
    same moment is caught by the database's unique constraint and shown as the
    same error on the form, never a 500.
    """
    try:
        patient = change(*args, **kwargs)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        add_errors(form, {"nhs_number": DUPLICATE_NHS_NUMBER})
        return None
    return patient


def _chosen_medicines(form) -> list[str]:
    return [form.medicine.data] if form.medicine.data in MEDICINES else []


@bp.route("/<int:patient_id>")
def patient_record(patient_id: int):
    """A patient's details, medicines, planned texts and what can be done next."""
    patient = _patient_or_404(patient_id)
    return _render("patients/patient.html", **patient_page_context(db.session, patient))


@bp.route("/<int:patient_id>/edit", methods=["GET", "POST"])
def edit(patient_id: int):
    """Change a patient's details."""
    patient = _patient_or_404(patient_id)
    form = PatientForm(data=values_from_patient(patient))
    form.set_nurses(queries.service_nurses(db.session, patient.fls_service_id))
    if form.is_submitted():
        form_ok, today = form.validate(), uk_today()
        medicines = [regimen.medicine for regimen in patient.regimens
                     if regimen.is_current(today)]  # fmt: skip
        details = checked_patient(form, patient.fls_service, patient, today, medicines)
        if form_ok and details and _saved(
            form, records.update_patient, db.session, _nurse(), patient, details, utc_now(),
            plan_days=_plan_days(),
        ):
            flash("The details have been changed.")
            return redirect(url_for("patients.patient_record", patient_id=patient.id))
    return _render("patients/edit.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/pause", methods=["GET", "POST"])
def pause(patient_id: int):
    """Pause a patient's texts, until a date or until they are resumed."""
    patient = _patient_or_404(patient_id)
    form = PauseForm(data={"paused_until": patient.paused_until})
    if form.validate_on_submit():
        problem = check_pause_until(form.paused_until.data, uk_today())
        if problem:
            form.paused_until.errors = [problem]
        elif _changed(form, lambda: records.pause_patient(
                db.session, _nurse(), patient, form.paused_until.data, utc_now())):
            flash("Texts to this patient are paused.")
            return _back_to(patient)
    return _render("patients/pause.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/resume", methods=["POST"])
def resume(patient_id: int):
    """Start a paused patient's texts again."""
    patient = _patient_or_404(patient_id)
    form = ConfirmForm()
    if form.validate_on_submit() and _changed(form, lambda: records.resume_patient(
            db.session, _nurse(), patient, utc_now(), plan_days=_plan_days())):
        flash("Texts to this patient have started again.")
    elif form.form_errors:
        flash(form.form_errors[0])
    return _back_to(patient)


@bp.route("/<int:patient_id>/opt-out", methods=["GET", "POST"])
def opt_out(patient_id: int):
    """Record that the patient told the service they want no more texts."""
    patient = _patient_or_404(patient_id)
    form = ConfirmForm()
    if form.validate_on_submit() and _changed(form, lambda: records.opt_out_patient(
            db.session, _nurse(), patient, utc_now())):
        flash("The patient has been opted out: no more texts will be sent.")
        return _back_to(patient)
    return _render("patients/opt_out.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/discharge", methods=["GET", "POST"])
def discharge(patient_id: int):
    """Discharge the patient from the service, with the reason."""
    patient = _patient_or_404(patient_id)
    form = DischargeForm()
    if form.validate_on_submit():
        reason, problem = check_reason(form.reason.data, "the discharge")
        if problem:
            form.reason.errors = [problem]
        elif _changed(form, lambda: records.discharge_patient(
                db.session, _nurse(), patient, reason, utc_now())):
            flash("The patient has been discharged.")
            return _back_to(patient)
    return _render("patients/discharge.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/medicines/add", methods=["GET", "POST"])
def add_medicine(patient_id: int):
    """Start the patient on another medicine."""
    patient = _patient_or_404(patient_id)
    form = RegimenForm()
    if form.is_submitted():
        form_ok = form.validate()
        regimen = checked_regimen(form, uk_today(), patient)
        if form_ok and regimen and _changed(form, lambda: regimens.add_regimen(
                db.session, _nurse(), patient, regimen, utc_now(), plan_days=_plan_days())):
            flash(f"{_label(regimen)} has been added.")
            return _back_to(patient)
    return _render("patients/medicine.html", form=form, patient=patient, regimen=None)


@bp.route("/<int:patient_id>/medicines/<int:regimen_id>/stop", methods=["GET", "POST"])
def stop_medicine(patient_id: int, regimen_id: int):
    """Record that the patient stopped a medicine, with the reason."""
    patient = _patient_or_404(patient_id)
    regimen = _regimen_or_404(patient, regimen_id)
    form = StopForm(data={"stopped_on": uk_today()})
    if form.validate_on_submit():
        stopped = _stop_details(form, regimen)
        if stopped and _changed(form, lambda: regimens.stop_regimen(
                db.session, _nurse(), regimen, *stopped, utc_now())):
            flash(f"{_label(regimen)} has been stopped.")
            return _back_to(patient)
    return _render("patients/stop.html", form=form, patient=patient, regimen=regimen)


@bp.route("/<int:patient_id>/medicines/<int:regimen_id>/switch", methods=["GET", "POST"])
def switch_medicine(patient_id: int, regimen_id: int):
    """Stop a medicine and start another in its place."""
    patient = _patient_or_404(patient_id)
    regimen = _regimen_or_404(patient, regimen_id)
    form = SwitchForm(data={"stopped_on": uk_today()})
    if form.is_submitted():
        form_ok = form.validate()
        new = checked_regimen(form, uk_today(), patient, leaving_out=regimen)
        stopped = _stop_details(form, regimen)
        if form_ok and new and stopped and _changed(form, lambda: regimens.switch_regimen(
                db.session, _nurse(), regimen, *stopped, new, utc_now(), plan_days=_plan_days())):
            flash(f"{_label(regimen)} has been switched to {_label(new)}.")
            return _back_to(patient)
    return _render("patients/medicine.html", form=form, patient=patient, regimen=regimen)


@bp.route("/<int:patient_id>/medicines/<int:regimen_id>/dose-given", methods=["GET", "POST"])
def dose_given(patient_id: int, regimen_id: int):
    """Record the date an injection or infusion was given in clinic."""
    patient = _patient_or_404(patient_id)
    regimen = _regimen_or_404(patient, regimen_id)
    form = DoseGivenForm()
    if form.validate_on_submit():
        given_on = form.given_on.data
        problem = check_past_date(given_on, "given", uk_today(), regimen.first_dose_date)
        if problem:
            form.given_on.errors = [problem]
        elif _changed(form, lambda: regimens.record_dose_given(
                db.session, _nurse(), regimen, given_on, utc_now(), plan_days=_plan_days())):
            flash(f"{_label(regimen)} given on {given_on:%-d %B %Y} has been recorded.")
            return _back_to(patient)
    return _render("patients/dose_given.html", form=form, patient=patient,
                           regimen=regimen)  # fmt: skip


def _stop_details(form, regimen):
    """(date stopped, reason) when both are right; otherwise the fields get their messages."""
    reason, reason_problem = check_reason(form.reason.data, "stopping")
    if reason_problem:
        form.reason.errors = [reason_problem]
    if not form.stopped_on.errors:
        problem = check_past_date(form.stopped_on.data, "stopped", uk_today(),
                                  regimen.first_dose_date)  # fmt: skip
        if problem:
            form.stopped_on.errors = [problem]
    if reason_problem or form.stopped_on.errors:
        return None
    return form.stopped_on.data, reason


def _label(regimen) -> str:
    return medicine(regimen.medicine).label


def _changed(form, change) -> bool:
    """Make the change and commit; False, with the reason on the form, if the status forbids it."""
    try:
        change()
    except records.PatientStatusError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return False
    db.session.commit()
    return True


def _back_to(patient: Patient):
    """To the patient's record. Messages on the way never name the patient: they ride in
    the session cookie."""
    return redirect(url_for("patients.patient_record", patient_id=patient.id))
