"""Helpers for the patient views: reading the forms through the shared checks, and what the
patient page shows. Kept apart so each view stays a few lines."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy.orm import Session

from webapp.adherence.worklist_queries import open_items_for
from webapp.blueprints.patients.figures import adherence_figures
from webapp.blueprints.patients.forms import HandledForm
from webapp.clock import to_uk, uk_today
from webapp.extensions import db
from webapp.forms.widgets import as_select_choices
from webapp.models.patients import Patient, PatientStatus, Regimen
from webapp.models.staff import FlsService
from webapp.patients import queries
from webapp.patients.details import (
    PatientDetails,
    PatientEntry,
    PatientRules,
    RegimenDetails,
    RegimenEntry,
    check_patient,
    check_regimen,
    drama_numbers_allowed,
)
from webapp.patients.nhs_number import format_nhs_number
from webapp.patients.timeline import patient_timeline
from webapp.phones import national_format
from webapp.reminders.medicines import MEDICINES, medicine, reminder_time_problem
from webapp.reminders.schedule import next_due_date

STATUS_TAGS = {
    PatientStatus.ACTIVE: ("Active", "nhsuk-tag--green"),
    PatientStatus.PAUSED: ("Paused", "nhsuk-tag--yellow"),
    PatientStatus.OPTED_OUT: ("Opted out", "nhsuk-tag--grey"),
    PatientStatus.DISCHARGED: ("Discharged", "nhsuk-tag--white"),
}
KIND_NAMES = {
    "welcome": "Welcome text", "dose": "Dose reminder", "check_in": "Weekly check-in",
    "book": "Book the next dose", "clinic_due": "Dose due in clinic",
    "follow_up": "Follow-up", "later": "Reminder again (asked for)",
}  # fmt: skip
# A dose's outcome from the patient's reply (webapp/reminders/inbound.py) or its absence.
ANSWER_NAMES = {"taken": "Taken", "missed": "Missed", "no_response": "No reply"}
REMINDER_STATUS_NAMES = {
    "planned": "Planned", "sending": "Sending", "sent": "Sent", "delivered": "Delivered",
    "undelivered": "Not delivered", "failed": "Failed", "expired": "Too late, not sent",
    "skipped": "Not sent", "unknown": "No delivery report", "needs_check": "Needs checking",
}  # fmt: skip


def allow_drama_numbers() -> bool:
    """Ofcom's drama mobiles are accepted everywhere but production (demo and test data)."""
    return drama_numbers_allowed(current_app.config)


def checked_patient(form, service: FlsService, patient: Patient | None, today: date,
                    medicines) -> PatientDetails | None:  # fmt: skip
    """The form's patient details checked by the shared rules; problems go on the fields."""
    entry = PatientEntry(
        nhs_number=form.nhs_number.data or "", first_name=form.first_name.data or "",
        last_name=form.last_name.data or "", date_of_birth=form.date_of_birth.data,
        mobile=form.mobile.data or "", reminder_time=form.reminder_time.data or "",
        sms_consent={"yes": True, "no": False}.get(form.sms_consent.data),
        discreet=form.discreet.data == "yes", named_nurse_id=form.chosen_nurse_id(),
        fracture_date=form.fracture_date.data,
    )
    rules = PatientRules(session=db.session, service=service, today=today,
                         allow_drama=allow_drama_numbers(), patient=patient)  # fmt: skip
    details, errors = check_patient(entry, rules, medicines)
    add_errors(form, errors)
    return details


def checked_regimen(form, today: date, patient: Patient | None = None,
                    leaving_out: Regimen | None = None) -> RegimenDetails | None:  # fmt: skip
    """The form's medicine checked by the shared rules, and against the patient's reminder time."""
    entry = RegimenEntry(
        medicine=form.medicine.data or "", first_dose_date=form.first_dose_date.data,
        last_given_date=form.last_given_date.data, daily_texts=form.daily_texts.data == "yes",
    )
    born = patient.date_of_birth if patient is not None else form.date_of_birth.data
    regimen, errors = check_regimen(entry, today, born)
    if regimen is not None and patient is not None:
        problem = reminder_time_problem(medicine(regimen.medicine), patient.reminder_time)
        if problem:
            errors["medicine"] = f"{problem}. Change the patient's reminder time first"
            regimen = None
    if leaving_out is not None and regimen is not None and regimen.medicine == leaving_out.medicine:
        errors["medicine"] = "Choose a different medicine from the one being stopped"
        regimen = None
    if patient is not None and regimen is not None and any(
        item.medicine == regimen.medicine and item.is_current(today) and item is not leaving_out
        for item in patient.regimens
    ):
        errors["medicine"] = "The patient is already on this medicine"
        regimen = None
    add_errors(form, errors)
    return regimen


def add_errors(form, errors: dict[str, str]) -> None:
    """Each message on its field, unless the form already found that field wrong."""
    for name, message in errors.items():
        if name in form and not form[name].errors:
            form[name].errors = [*form[name].process_errors, message]


def values_from_patient(patient: Patient) -> dict:
    """The change form's starting values: the patient as stored, shown as a nurse types them."""
    return {
        "nhs_number": format_nhs_number(patient.nhs_number),
        "first_name": patient.first_name, "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth, "mobile": national_format(patient.mobile),
        "fracture_date": patient.fracture_date,
        "named_nurse_id": str(patient.named_nurse_id or ""),
        "reminder_time": patient.reminder_time.strftime("%H:%M"),
        "discreet": "yes" if patient.discreet else "no",
        "sms_consent": "yes" if patient.sms_consent else "no",
    }  # fmt: skip


def patient_page_context(session: Session, patient: Patient, handled_form=None,
                         items=None) -> dict:  # fmt: skip
    """Everything the patient page shows, in a fixed number of queries.

    `handled_form` is the "mark as handled" form as posted, to show its errors, with
    the open worklist `items` it was checked against.
    """
    today = uk_today()
    if items is None:
        items = open_items_for(session, patient.fls_service_id, patient.id)
    form = handled_form or HandledForm(formdata=None)
    set_handled_choices(form, items)
    return {
        "form": form,
        "worklist_items": items,
        "adherence": adherence_figures(session, patient),
        "timeline": patient_timeline(session, patient, today),
        "patient": patient,
        "today": today,
        "status_tag": STATUS_TAGS.get(patient.status, (patient.status, "")),
        "regimens": [(regimen, MEDICINES.get(regimen.medicine)) for regimen in patient.regimens],
        "next_due": next_due_dates(patient, today),
        "reminders": queries.reminders_for(session, patient, today),
        "kind_names": KIND_NAMES,
        "reminder_status_names": REMINDER_STATUS_NAMES,
        "answer_names": ANSWER_NAMES,
        "to_uk": to_uk,
        "detail_rows": detail_rows(patient),
    }


def set_handled_choices(form, items) -> None:
    """The open worklist reasons as the form's choices, all ticked unless the nurse chose."""
    form.items.choices = as_select_choices(
        [(handled_value(item), item.label) for item in items])
    form.items.choice_hints = {handled_value(item): item.detail for item in items}
    if not form.is_submitted():
        form.items.data = [handled_value(item) for item in items]


def handled_value(item) -> str:
    """A reason and its cause in one value ("missed_doses:2026-03-03"): a reason has no colon."""
    return f"{item.reason}:{item.cause_key}"


def chosen_causes(form, items) -> list[tuple[str, str]] | None:
    """The (reason, cause_key) pairs ticked, if every one is still open; else None."""
    open_values = {handled_value(item): (str(item.reason), item.cause_key) for item in items}
    chosen = form.items.data or []
    if not chosen or any(value not in open_values for value in chosen):
        return None
    return [open_values[value] for value in chosen]


def next_due_dates(patient: Patient, today: date) -> dict[int, str]:
    """Each current regimen's next dose, in words, by the schedule rules the planner uses."""
    found = {}
    for regimen in patient.regimens:
        entry = MEDICINES.get(regimen.medicine)
        if entry is None or not regimen.is_current(today):
            continue
        due = next_due_date(regimen, entry, today)
        if entry.is_daily and due is not None:
            found[regimen.id] = "Every day"
        else:
            found[regimen.id] = f"{due:%A} {_day(due)}" if due else "No more doses: course ended"
    return found


@dataclass(frozen=True)
class DetailRow:
    """One row of the patient's details: what it is, its value, and the form field that
    changes it (the Change link goes straight to it)."""

    key: str
    value: str
    field: str


def detail_rows(patient: Patient) -> list[DetailRow]:
    """The patient's details, each with the field of the change form it links to."""
    consent = "Yes" if patient.sms_consent else "No"
    if patient.sms_consent_recorded_by is not None:
        consent += f", recorded by {patient.sms_consent_recorded_by.full_name}"
    if patient.sms_consent_recorded_at is not None:
        consent += f" on {_day(to_uk(patient.sms_consent_recorded_at))}"
    return [
        DetailRow("NHS number", format_nhs_number(patient.nhs_number), "nhs_number"),
        DetailRow("Name", patient.full_name, "first_name"),
        DetailRow("Date of birth", _day(patient.date_of_birth), "date_of_birth"),
        DetailRow("Mobile", national_format(patient.mobile), "mobile"),
        DetailRow("Named nurse", patient.named_nurse.full_name if patient.named_nurse
                  else "None", "named_nurse_id"),
        DetailRow("Fracture date", _day(patient.fracture_date) if patient.fracture_date
                  else "Not recorded", "fracture_date"),
        DetailRow("Agreed to texts", consent, "sms_consent"),
        DetailRow("Reminder time", f"{patient.reminder_time:%H:%M} UK time", "reminder_time"),
        DetailRow("Texts name the medicine",
                  "No, discreet wording" if patient.discreet else "Yes", "discreet"),
    ]  # fmt: skip


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
