"""What the audit log keeps of a patient: ids, statuses, medicines and dates, never who they are.

Admins read the audit log, so it names a patient by internal id only. A change
to a name, NHS number, date of birth or mobile number is logged as the field
name with the word "changed", never the values; free text a nurse types (a
reason) is logged as "recorded", since it may name someone.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from webapp.accounts.audit import record_change, snapshot
from webapp.models.patients import Patient, Regimen
from webapp.models.staff import AuditEvent, StaffMember

# Non-identifying fields, logged with their values.
PATIENT_FIELDS = (
    "fls_service_id", "status", "paused_until", "opted_out_by", "discharged_at",
    "named_nurse_id", "fracture_date", "sms_consent", "sms_consent_recorded_by_id",
    "reminder_time", "discreet",
)  # fmt: skip
# Fields that say who the patient is: logged as "changed", never with a value.
IDENTIFYING_FIELDS = ("nhs_number", "first_name", "last_name", "date_of_birth", "mobile")
# Free text a nurse types: logged as "recorded", never with the text.
FREE_TEXT_FIELDS = ("discharge_reason",)
REGIMEN_FIELDS = ("medicine", "first_dose_date", "end_date", "last_given_date", "daily_texts",
                  "stopped_on", "switched_to_id")  # fmt: skip
CHANGED = "changed"
RECORDED = "recorded"


def patient_state(patient: Patient) -> dict[str, Any]:
    """What the log may see of a patient, to compare before and after a change."""
    state = snapshot(patient, PATIENT_FIELDS)
    state["_identity"] = {name: getattr(patient, name) for name in IDENTIFYING_FIELDS}
    state["_free_text"] = {name: getattr(patient, name) for name in FREE_TEXT_FIELDS}
    return state


def log_patient_change(
    session: Session, actor: StaffMember | None, action: str, patient: Patient,
    before: dict[str, Any] | None, now: datetime, extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Log `action` on `patient`, comparing with `before` (from `patient_state`; None: created)."""
    after = patient_state(patient)
    identity, free_text = after.pop("_identity"), after.pop("_free_text")
    if before is None:
        logged_before = None
        after |= dict.fromkeys(IDENTIFYING_FIELDS, RECORDED)
    else:
        logged_before = dict(before)
        old_identity, old_text = logged_before.pop("_identity"), logged_before.pop("_free_text")
        after |= {name: CHANGED for name in IDENTIFYING_FIELDS
                  if identity[name] != old_identity[name]}  # fmt: skip
        after |= {name: RECORDED for name in FREE_TEXT_FIELDS
                  if free_text[name] != old_text[name] and free_text[name]}  # fmt: skip
    after |= extra or {}
    return record_change(session, actor, action, patient, logged_before, after, now=now)


def regimen_state(regimen: Regimen) -> dict[str, Any]:
    """A regimen's non-identifying fields, with its id, for a log entry on its patient."""
    return {"regimen_id": regimen.id, **snapshot(regimen, REGIMEN_FIELDS)}


def log_patient_viewed(
    session: Session, actor: StaffMember, patient: Patient, now: datetime, page: str
) -> AuditEvent:
    """Log that `actor` opened a page of the patient's record (`page` names which)."""
    return record_change(session, actor, "view", patient, None, {"page": page}, now=now)


def log_patient_list_viewed(
    session: Session, actor: StaffMember, patient_ids: list[int], now: datetime, *,
    searched: bool,
) -> AuditEvent:
    """Log which patients a list or search showed `actor` (ids only, never the words searched)."""
    after = {"patient_ids": patient_ids, "searched": searched}
    return record_change(session, actor, "view-patient-list", actor.fls_service, None, after,
                         now=now)  # fmt: skip
