"""The audit log in words: "Marked support group 13 as checked", not "check support_group 13".

The log keeps machine names (an action, a table, field names) so it can be filtered and
exported; people read it through these. Records are named by kind and id only, as the
log keeps them: never a patient's name. An action or field not listed here still reads
tolerably ("Set up security code for staff account 4") rather than failing.
"""

from webapp.patients.timeline_words import CHANGE_HEADINGS, FIELD_NAMES

KINDS = {
    "support_group": "support group",
    "fls_service": "Fracture Liaison Service",
    "staff_member": "staff account",
    "patient": "patient",
    "regimen": "medicine",
    "inbound_message": "reply",
    "contact": "contact",
}
# What each action did to "{what}" (a kind and an id).
DONE = {
    "create": "Added {what}",
    "update": "Changed {what}",
    "delete": "Deleted {what}",
    "hide": "Hid {what} from the public",
    "show": "Showed {what} to the public",
    "check": "Marked {what} as checked",
    "unlock": "Unlocked {what}",
    "deactivate": "Deactivated {what}",
    "reactivate": "Reactivated {what}",
    "reset-password": "Reset the password of {what}",
    "change-password": "Changed the password of {what}",
    "reset-security-code": "Reset the security code of {what}",
    "view": "Looked at {what}",
    "view-patient-list": "Looked at the patient list of {what}",
    "reply.read": "Marked {what} as read",
    "worklist-handled": "Marked the worklist handled for {what}",
    "record-contact": "Recorded a contact with {what}",
}
FIELD_LABELS = {
    **{name: label[0].upper() + label[1:] for name, label in FIELD_NAMES.items()},
    "checked_by": "Checked by",
    "checked_on": "Checked on",
    "hidden": "Hidden from the public",
    "is_example": "Example listing",
    "fls_service_id": "Fracture Liaison Service",
    "full_name": "Name",
    "email": "Email address",
    "role": "Role",
    "active": "Active",
    "locked": "Locked",
}


def event_words(action: str, entity_type: str, entity_id: str) -> str:
    """One line saying what was done to which record."""
    what = f"{KINDS.get(entity_type, entity_type.replace('_', ' '))} {entity_id}"
    if action in DONE:
        return DONE[action].format(what=what)
    if action in CHANGE_HEADINGS:
        return f"{CHANGE_HEADINGS[action]}: {what}"
    plain = action.replace("patient.", "").replace("-", " ").replace("_", " ").replace(".", " ")
    return f"{plain[:1].upper()}{plain[1:]} for {what}"


def field_label(name: str) -> str:
    """A field as a person names it: "checked_by" is "Checked by"."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    plain = name.removesuffix("_id").replace("_", " ")
    return f"{plain[:1].upper()}{plain[1:]}"
