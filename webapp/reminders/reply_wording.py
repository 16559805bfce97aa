"""What BoneCheck texts back when a patient replies, and how each answer is put together.

Every sentence is a constant below, listed with its source in
`docs/clinical/reply-wording.md` (a test fails if one is missing there). The
side-effect answers say whom to contact and nothing else: no reassurance,
and they await clinical sign-off. A missed dose's advice is the catalogue's
own (the same `MISSED` sentence the follow-up texts use).
"""

from datetime import datetime

from webapp.clock import to_uk
from webapp.phones import national_format
from webapp.reminders import wording
from webapp.reminders.medicines import Medicine

# --- The sentences (each traced in docs/clinical/reply-wording.md) ---
TAKEN = "Thank you, we have recorded it as taken."
MISSED_RECORDED = "Thank you for telling us, we have recorded it as missed."
NOTHING_OPEN = "Thank you, we have passed your message to the team."
LATER_TODAY = "We will remind you once more at {time}."
LATER_TOMORROW = "We will remind you once more tomorrow at {time}."
LATER_ONLY_ONCE = "We can only remind you once more. Please reply TAKEN or MISSED when you can."
HELP = "For help with these texts or your treatment, call us on {phone}."
HOURS = "Our opening hours: {hours}."
UNCLEAR = "Sorry, we did not understand. Please reply with one word: TAKEN, MISSED, LATER or HELP."
PASSED_TO_TEAM = "A member of the team will also read your message."
SIDE_EFFECT_999 = (
    "If you have chest pain, breathlessness, sudden weakness or numbness, "
    "or problems with speech or vision, call 999 now."
)
SIDE_EFFECT_CONTACT = (
    "Please call us on {phone} or speak to your GP about this. "
    "If you need help sooner, call 111."
)
SIDE_EFFECT_TAKEN = "We have recorded your dose as taken."
STOP_LINE = "Reply STOP to stop these texts."
UNKNOWN_NUMBER = (
    "This number cannot help with your message. "
    "If you need medical help, call 111, or 999 in an emergency."
)
# Longest opening hours quoted in an answer; longer ones would split the text in many parts.
HOURS_MAX = 80


def _opening(service) -> str:
    return wording.GREETING.format(service=wording.sms_name(service))


def _phone(service) -> str:
    return national_format(service.phone)


def taken_answer(service) -> str:
    """Answer to TAKEN when a reminder awaited it."""
    return " ".join([_opening(service), TAKEN])


def missed_answer(service, medicines: list[Medicine], discreet: bool) -> str:
    """Answer to MISSED: recorded, then each medicine's missed-dose advice (the catalogue's)."""
    sentences = [_opening(service), MISSED_RECORDED]
    for entry in medicines:
        sentences += missed_advice(entry, discreet, _phone(service))
    return " ".join(dict.fromkeys(sentences))  # one medicine twice gives its advice once


def missed_advice(entry: Medicine, discreet: bool, phone: str) -> list[str]:
    """The missed-dose sentence: the catalogue's rule, or the leaflet or team when discreet."""
    if discreet:
        template = (
            wording.MISSED_DISCREET_CLINIC if entry.in_clinic else wording.MISSED_DISCREET_HOME
        )
        return [template.format(phone=phone)]
    if entry.missed_dose is None:
        return []
    return [wording.MISSED.format(advice=entry.missed_dose[0].lower() + entry.missed_dose[1:])]


def nothing_open_answer(service) -> str:
    """Answer to TAKEN or MISSED when no reminder awaited an answer: kept for the team."""
    return " ".join([_opening(service), NOTHING_OPEN])


def later_answer(service, send_at: datetime | None, now: datetime) -> str:
    """Answer to LATER: when the one extra reminder goes, or that there is no other."""
    if send_at is None:
        return " ".join([_opening(service), LATER_ONLY_ONCE])
    at = to_uk(send_at)
    template = LATER_TODAY if at.date() == to_uk(now).date() else LATER_TOMORROW
    return " ".join([_opening(service), template.format(time=f"{at:%H:%M}")])


def help_answer(service) -> str:
    """Answer to HELP: the service's phone number and, when set, its opening hours."""
    sentences = [_opening(service), HELP.format(phone=_phone(service))]
    hours = " ".join((service.opening_hours or "").split()).rstrip(".")
    if hours and len(hours) <= HOURS_MAX:
        sentences.append(HOURS.format(hours=hours))
    return " ".join([*sentences, STOP_LINE])


def unclear_answer(service) -> str:
    """Answer to anything not understood: one word from a short list; the team reads it too."""
    return " ".join([_opening(service), UNCLEAR, PASSED_TO_TEAM])


def side_effect_answer(service, needs_999: bool, taken: bool) -> str:
    """Answer to a possible serious side effect: 999 first when its signs are named,
    then whom to contact. Never reassurance."""
    sentences = [_opening(service)]
    if needs_999:
        sentences.append(SIDE_EFFECT_999)
    sentences.append(SIDE_EFFECT_CONTACT.format(phone=_phone(service)))
    if taken:
        sentences.append(SIDE_EFFECT_TAKEN)
    return " ".join(sentences)


def unknown_number_answer() -> str:
    """The one answer to a number that is no patient's: it names no one and no service."""
    return UNKNOWN_NUMBER
