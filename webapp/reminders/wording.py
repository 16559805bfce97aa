"""What a reminder text says, and how many SMS segments it costs.

Every sentence a patient reads is a constant below, listed with its source in
`docs/clinical/reminder-wording.md` (a test fails if one is missing); the
medicine's own instruction and missed-dose advice come from the catalogue
(`docs/clinical/medicines.md`). Texts name the service by its short SMS name,
end with how to reply and how to stop, and, for a patient who chose discreet
texts, name no medicine and carry no advice that would give it away.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from webapp.clock import to_uk
from webapp.phones import national_format
from webapp.reminders.medicines import Medicine, medicine

# --- The sentences (each traced in docs/clinical/reminder-wording.md) ---
GREETING = "{service}:"
WELCOME = (
    "Hello from {service}. We will text you when your medicine is due, "
    "and ask you to reply to tell us if you took it."
)
DOSE_DUE = "Your {medicine} is due today."
DOSE_DUE_DISCREET = "Your medicine is due today."
CHECK_IN_WEEK = "Did you take your {medicine} every day this week?"
CHECK_IN_WEEK_DISCREET = "Did you take your medicine every day this week?"
BOOK_DUE = "Your next {medicine} is due on {date}."
BOOK_DUE_DISCREET = "Your next clinic treatment is due on {date}."
BOOK_CALL = "If it is not booked yet, please call us on {phone}."
CLINIC_DUE = "Your {medicine} is due today."
CLINIC_DUE_DISCREET = "Your clinic treatment is due today."
FOLLOW_UP_TAKEN = "Did you take your {medicine} {when}?"
FOLLOW_UP_TAKEN_DISCREET = "Did you take your medicine {when}?"
FOLLOW_UP_WEEK = "Did you take your {medicine} every day in the week to {date}?"
FOLLOW_UP_WEEK_DISCREET = "Did you take your medicine every day in the week to {date}?"
FOLLOW_UP_HAD = "Did you have your {medicine} {when}?"
FOLLOW_UP_HAD_DISCREET = "Did you have your clinic treatment {when}?"
MISSED = "If you missed it: {advice}"
MISSED_DISCREET_HOME = (
    "If you missed it, do what your medicine's leaflet says, or call us on {phone}."
)
MISSED_DISCREET_CLINIC = "If you missed it, please call us on {phone}."
REPLY_TAKEN_OR_MISSED = "Reply TAKEN or MISSED."
REPLY_WHEN_DONE = "When you have had it, reply TAKEN, or MISSED if you could not."
STOP = "Reply STOP to stop these texts."
# Used when a service has no SMS name set: true of every service, and GSM-7.
FALLBACK_SERVICE_NAME = "Fracture Liaison Service"
SMS_NAME_MAX = 25

# The order prompts appear in one text: the welcome first, the booking note last.
_KIND_ORDER = {
    "welcome": 0, "follow_up": 1, "later": 1, "dose": 2, "check_in": 3, "clinic_due": 4, "book": 5,
}  # fmt: skip
# Kinds that ask again about an earlier dose: a follow-up, or the reminder a LATER reply asked for.
_ASKING_AGAIN = frozenset({"follow_up", "later"})

# GSM 03.38: the basic table (one septet each) and the extension table (two each).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
_GSM_ALL = _GSM_BASIC | _GSM_EXTENSION


@dataclass(frozen=True)
class Segments:
    """How a text is encoded and what it costs: `characters` counts septets (GSM-7,
    extension characters as 2) or UTF-16 code units (UCS-2)."""

    encoding: str  # "GSM-7" or "UCS-2"
    segments: int
    characters: int


def is_gsm7(text: str) -> bool:
    """Whether every character is in the GSM-7 basic or extension table."""
    return _GSM_ALL.issuperset(text)


def count_segments(text: str) -> Segments:
    """The SMS segments `text` needs: 160 GSM-7 septets alone, 153 a part when split;
    70 UCS-2 units alone, 67 a part. An escape pair or surrogate pair never splits."""
    if is_gsm7(text):
        units = [2 if char in _GSM_EXTENSION else 1 for char in text]
        return Segments("GSM-7", _parts(units, single=160, part=153), sum(units))
    units = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return Segments("UCS-2", _parts(units, single=70, part=67), sum(units))


def _parts(units: Sequence[int], *, single: int, part: int) -> int:
    total = sum(units)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts


def sms_name(service) -> str:
    """How a text names the service: its SMS name, else a name true of any FLS."""
    return service.sms_name or FALLBACK_SERVICE_NAME


def compose_text(reminders: Iterable, patient, service) -> str:
    """One text for every reminder due to `patient` at one moment.

    The welcome (if any) opens the text, each prompt adds its sentences (the
    medicine's instruction once per medicine), and the text ends with how to
    reply and "Reply STOP to stop these texts".
    """
    ordered = sorted(reminders, key=lambda item: (_KIND_ORDER[item.kind], item.regimen_id))
    if not ordered:
        raise ValueError("A text needs at least one reminder.")
    name = sms_name(service)
    phone = national_format(service.phone)
    opening = WELCOME if ordered[0].kind == "welcome" else GREETING
    sentences = [opening.format(service=name)]
    instructed: set[str] = set()
    for reminder in ordered[1:] if ordered[0].kind == "welcome" else ordered:
        entry = medicine(reminder.regimen.medicine)
        sentences += _prompt(reminder, entry, patient.discreet, phone)
        asks_again = reminder.kind in _ASKING_AGAIN
        if not patient.discreet and entry.code not in instructed and not asks_again:
            instructed.add(entry.code)
            sentences.append(entry.instruction)
    sentences += _reply_lines(ordered)
    return " ".join(sentences)


def _prompt(reminder, entry: Medicine, discreet: bool, phone: str) -> list[str]:
    """The sentences of one prompt, before the medicine's instruction."""
    name = entry.name
    if reminder.kind == "dose":
        return [DOSE_DUE_DISCREET if discreet else DOSE_DUE.format(medicine=name)]
    if reminder.kind == "check_in":
        if reminder.regimen.daily_texts:
            return [DOSE_DUE_DISCREET if discreet else DOSE_DUE.format(medicine=name)]
        return [CHECK_IN_WEEK_DISCREET if discreet else CHECK_IN_WEEK.format(medicine=name)]
    if reminder.kind == "book":
        day = _spoken_date(reminder.due_on)
        due = (
            BOOK_DUE_DISCREET.format(date=day)
            if discreet
            else BOOK_DUE.format(medicine=name, date=day)
        )
        return [due, BOOK_CALL.format(phone=phone)]
    if reminder.kind == "clinic_due":
        return [CLINIC_DUE_DISCREET if discreet else CLINIC_DUE.format(medicine=name)]
    if reminder.kind in _ASKING_AGAIN:
        return [_follow_up_question(reminder, entry, discreet), *_missed(entry, discreet, phone)]
    raise ValueError(f"No wording for a {reminder.kind!r} reminder.")


def _follow_up_question(reminder, entry: Medicine, discreet: bool) -> str:
    """Ask again about the dose the follow-up is for (`due_on` is that dose's date)."""
    if entry.is_daily and not reminder.regimen.daily_texts:
        template = FOLLOW_UP_WEEK_DISCREET if discreet else FOLLOW_UP_WEEK
        return template.format(medicine=entry.name, date=_spoken_date(reminder.due_on))
    when = _when(reminder.due_on, to_uk(reminder.send_at).date())
    if entry.in_clinic:
        template = FOLLOW_UP_HAD_DISCREET if discreet else FOLLOW_UP_HAD
    else:
        template = FOLLOW_UP_TAKEN_DISCREET if discreet else FOLLOW_UP_TAKEN
    return template.format(medicine=entry.name, when=when)


def _missed(entry: Medicine, discreet: bool, phone: str) -> list[str]:
    """The medicine's missed-dose advice; a discreet text points to the leaflet or the team."""
    if discreet:
        template = MISSED_DISCREET_CLINIC if entry.in_clinic else MISSED_DISCREET_HOME
        return [template.format(phone=phone)]
    if entry.missed_dose is None:
        return []
    return [MISSED.format(advice=entry.missed_dose[0].lower() + entry.missed_dose[1:])]


def _reply_lines(ordered: Sequence) -> list[str]:
    """How to reply (when a prompt asks for one), then how to stop."""
    kinds = {reminder.kind for reminder in ordered}
    if kinds & {"dose", "check_in", *_ASKING_AGAIN}:
        return [REPLY_TAKEN_OR_MISSED, STOP]
    if "clinic_due" in kinds:
        return [REPLY_WHEN_DONE, STOP]
    return [STOP]  # a welcome or a booking note asks nothing yet


def _when(due_on: date, sent_on: date) -> str:
    """How a follow-up names the day: "today" (a LATER reminder), "yesterday", else
    "on Tuesday 1 June"."""
    if sent_on == due_on:
        return "today"
    if sent_on - due_on == timedelta(days=1):
        return "yesterday"
    return f"on {_spoken_date(due_on)}"


def _spoken_date(day: date) -> str:
    """A date as people write it in a text: "Tuesday 1 June"."""
    return f"{day:%A} {day.day} {day:%B}"
