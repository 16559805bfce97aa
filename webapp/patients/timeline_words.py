"""The words the patient's timeline uses: what each kind of entry, status and change is called.

Kept apart from the queries (webapp.patients.timeline) so the wording can be read,
and tested, in one place. A change is described by what it did ("Texts paused
until 3 March 2026"), never by the audit log's field names; who the patient is
(name, NHS number, mobile) is never in the log, only that it changed.
"""

from datetime import date
from typing import Any

from webapp.adherence.facts import REASONS, Reason
from webapp.models.follow_up import ContactKind
from webapp.reminders.medicines import MEDICINES

DOSE_HEADINGS = {
    "dose": "Dose reminder", "check_in": "Weekly check-in", "clinic_due": "Dose due in clinic",
}  # fmt: skip
ANSWERS = {"taken": "Taken", "missed": "Missed", "no_response": "No reply"}
TEXT_STATUSES = {
    "sending": "Sending", "retry": "Sending (trying again)", "sent": "Sent",
    "delivered": "Delivered", "undelivered": "Not delivered", "failed": "Failed",
    "expired": "Too late, not sent", "skipped": "Not sent", "unknown": "No delivery report",
    "needs_check": "Needs checking: it may not have been sent",
}  # fmt: skip
# What became of a dose's text, after its answer.
TEXT_FATES = {
    "sending": "Text being sent", "retry": "Text being sent again", "sent": "Text sent",
    "delivered": "Text delivered", "undelivered": "Text not delivered", "failed": "Text failed",
    "expired": "Too late to send", "unknown": "No delivery report",
    "needs_check": "Needs checking: the text may not have been sent",
}  # fmt: skip
REPLY_MEANINGS = {
    "taken": "Read as: taken", "missed": "Read as: missed", "later": "Asked to be reminded later",
    "stop": "Asked to stop the texts", "start": "Asked to start the texts again",
    "help": "Asked for help", "side_effect": "Read as: a possible side effect",
    "unclear": "Not understood",
}  # fmt: skip
CONTACT_NAMES = {
    ContactKind.PHONE_CALL: "Phone call", ContactKind.VISIT: "Visit",
    ContactKind.DOSE_GIVEN_CLINIC: "Dose given in clinic",
    ContactKind.DOSE_GIVEN_GP: "Dose given at the GP practice",
    ContactKind.CONFIRMED_BY_GP: "Treatment confirmed by the GP",
    ContactKind.CONFIRMED_BY_PHARMACY: "Treatment confirmed by the pharmacy",
}  # fmt: skip
# Changes to the record worth a line. A view is not a change; a contact, a clinic dose
# and a handled mark have entries of their own, so their log lines are left out here.
CHANGE_HEADINGS = {
    "enrol": "Enrolled", "update": "Details changed", "pause": "Texts paused",
    "resume": "Texts started again", "opt-out": "Opted out of texts",
    "discharge": "Discharged", "add-medicine": "Medicine added",
    "stop-medicine": "Medicine stopped", "switch-medicine": "Medicine switched",
    "patient.texts_stopped": "Texts stopped by the phone network",
    "patient.opted_out_by_sms": "Opted out of texts", "patient.opted_in_by_sms": "Opted in again",
}  # fmt: skip
FIELD_NAMES = {
    "nhs_number": "NHS number", "first_name": "first name", "last_name": "last name",
    "date_of_birth": "date of birth", "mobile": "mobile number", "named_nurse_id": "named nurse",
    "fracture_date": "fracture date", "sms_consent": "agreement to texts",
    "reminder_time": "reminder time", "discreet": "whether texts name the medicine",
}  # fmt: skip


def medicine_name(code: str | None) -> str:
    entry = MEDICINES.get(code or "")
    return entry.label if entry else (code or "a medicine")


def day(value: date | str | None) -> str:
    """3 March 2026, from a date or the ISO text the audit log keeps."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}" if value else ""


def dose_words(row) -> str:
    """"Alendronic acid 70 mg, due 3 March 2026: Taken. Text delivered"."""
    what = f"{medicine_name(row.medicine)}, due {day(row.due_on)}"
    if row.outcome:
        late = " (answered late)" if row.late else ""
        what = f"{what}: {ANSWERS.get(row.outcome, row.outcome)}{late}"
    elif row.status == "skipped":
        return f"{what}: not sent{f' ({row.skip_reason})' if row.skip_reason else ''}"
    elif row.status in ("sending", "sent", "delivered", "unknown"):
        what = f"{what}: no answer yet"
    status = row.text_status or row.status
    return f"{what}. {TEXT_FATES.get(status, status)}"


def text_status(status: str) -> str:
    return TEXT_STATUSES.get(status, status)


def reply_words(row) -> str:
    meaning = REPLY_MEANINGS.get(row.outcome or "", "Not read as an answer")
    return f"{meaning}. We answered: {row.answer}" if row.answer else meaning


def contact_words(row, on_its_own_day: bool) -> str:
    """The medicine it was about, and its day when it was recorded on a later one."""
    parts = [medicine_name(row.medicine)] if row.medicine else []
    if on_its_own_day:
        parts.append(f"on {day(row.happened_on)}")
    return ", ".join(parts)


def handled_words(reason: str) -> str:
    try:
        return REASONS[Reason(reason)].label
    except ValueError:
        return reason.replace("_", " ")


def change_words(action: str, after: dict[str, Any]) -> str:
    """What a logged change did, in words."""
    regimen = after.get("regimen") or {}
    medicine = medicine_name(regimen.get("medicine"))
    if action == "enrol":
        names = ", ".join(medicine_name(code) for code in after.get("medicines", []))
        return f"Enrolled on {names}" if names else "Enrolled"
    if action == "update":
        changed = [FIELD_NAMES[name] for name in FIELD_NAMES if name in after]
        return f"Changed: {', '.join(changed)}" if changed else "Details saved, nothing changed"
    if action == "pause":
        until = after.get("paused_until")
        return f"Paused until {day(until)}" if until else "Paused until the nurse resumes them"
    if action == "resume":
        return "The pause ended" if after.get("pause_ended") else "Resumed by the nurse"
    if action in ("add-medicine", "stop-medicine"):
        stopped = regimen.get("stopped_on")
        return f"{medicine}, stopped on {day(stopped)}" if stopped else medicine
    if action == "switch-medicine":
        new = medicine_name((after.get("new_regimen") or {}).get("medicine"))
        return f"{medicine} to {new}"
    return ""  # the heading says it all (an opt-out, a discharge, texts stopped)
