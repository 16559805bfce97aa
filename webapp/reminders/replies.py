"""Understanding a patient's SMS reply: one outcome for each message.

Pure Python. Case, spacing, punctuation, emoji and common typos do not matter.
The order of the checks is the clinical order of importance: a possible serious
side effect wins over everything (the dose is still recorded as taken when the
text also says so), then the commands (STOP, START, HELP) win over an open "did
you take it?" question, then taken / missed / later, and anything else is kept
for the nurse as unclear.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from webapp.reminders.side_effects import SideEffect, find_side_effects


class ReplyOutcome(StrEnum):
    TAKEN = "taken"
    MISSED = "missed"
    LATER = "later"
    STOP = "stop"
    START = "start"
    HELP = "help"
    SIDE_EFFECT = "side_effect"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class UnderstoodReply:
    """What a reply means: its outcome, and what else it said."""

    outcome: ReplyOutcome
    side_effects: tuple[SideEffect, ...] = ()
    # A side-effect message that also says the dose was taken: it still counts as taken.
    also_taken: bool = False

    @property
    def urgent(self) -> bool:
        """Whether the nurse must see it first: any possible serious side effect."""
        return bool(self.side_effects)

    @property
    def needs_999(self) -> bool:
        """Whether the answer must say to call 999 (chest pain, stroke signs…)."""
        return any(effect.call_999 for effect in self.side_effects)


# Opt-out words as carriers and Twilio treat them, plus the polite forms people send.
STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt out"}
)
START_WORDS = frozenset({"start", "unstop", "subscribe", "optin", "opt in", "resume"})
HELP_WORDS = frozenset({"help", "info"})
_POLITE = r"(?:please|pls|plz|thanks|thank you|thankyou|thx|ta|asap|x+|cheers)"
_ME = r"(?:(?:the |these |your |all )?(?:texts?|messages?|reminders?|sms)(?: to me)?)"

TAKEN_PHRASES = (
    r"taken?",
    r"took (?:it|them|mine|my (?:tablet|tablets|pill|pills|medicine|medication|injection|dose))",
    r"(?:i have|ive|i ve|have|i had|had) (?:taken|had|done) (?:it|them|mine)",
    r"(?:i have|ive|i ve|have) taken",
    r"taken (?:it|them|mine|today|this morning)",
    r"had (?:it|them|mine|my (?:injection|infusion|jab|dose|tablet|tablets))",
    r"done(?: it)?",
    r"all done",
    r"yes",
    r"yep",
    r"yeah",
    r"yup",
    r"yes i have",
    r"yes i did",
    r"yes done",
    r"yes taken",
    r"y",
    r"ok",
    r"okay",
    r"1",
    r"did it",
    r"i did",
    r"got it done",
    r"every day",
    r"yes every day",
    r"all of them",
)
MISSED_PHRASES = (
    r"missed(?: it| them| my (?:tablet|dose|injection|pill))?",
    r"miss(?:ed)?",
    r"no",
    r"n",
    r"nope",
    r"nah",
    r"2",
    r"forgot(?: it| them| to take it| again)?",
    r"forgotten(?: it| them)?",
    r"i forgot(?: it| them| to take (?:it|them))?",
    r"not yet",
    r"no not yet",
    r"no i forgot",
    r"not taken(?: it| them)?",
    r"(?:i )?(?:have not|havent|haven t|did not|didnt|didn t) (?:taken|take|had|done) (?:it|them)",
    r"(?:i )?(?:have not|havent|haven t|did not|didnt|didn t)",
    r"not today",
    r"no i havent",
    r"no i haven t",
    r"no i didnt",
    r"no i didn t",
    r"no sorry",
)
LATER_PHRASES = (
    r"later",
    r"snooze",
    r"remind me later",
    r"remind me tomorrow",
    r"tomorrow",
    r"not now",
    r"in a bit",
)

_KEYWORDS_FOR_TYPOS = {
    "taken": ReplyOutcome.TAKEN,
    "missed": ReplyOutcome.MISSED,
    "forgot": ReplyOutcome.MISSED,
    "later": ReplyOutcome.LATER,
    "snooze": ReplyOutcome.LATER,
}


def understand_reply(body: str, *, opted_out: bool = False) -> UnderstoodReply:
    """The outcome of one inbound message.

    `opted_out` says the patient had stopped the texts, so a YES means start
    again, as the carriers' own opt-in handling reads it.
    """
    text = normalise(body)
    side_effects = find_side_effects(text)
    if side_effects:
        taken = _outcome_of_words(text) == ReplyOutcome.TAKEN or _mentions_taken(text)
        return UnderstoodReply(ReplyOutcome.SIDE_EFFECT, side_effects, also_taken=taken)
    command = _command(text, opted_out=opted_out)
    if command is not None:
        return UnderstoodReply(command)
    outcome = _outcome_of_words(text) or _outcome_of_typo(text)
    return UnderstoodReply(outcome or ReplyOutcome.UNCLEAR)


def normalise(body: str) -> str:
    """Lower case, ASCII letters, digits and single spaces: what the phrases match against.

    Compatibility forms are folded (full-width letters, accents), apostrophes are
    dropped inside words ("haven't" -> "havent"), everything else (punctuation,
    emoji) becomes a space.
    """
    folded = unicodedata.normalize("NFKD", body or "")
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"(?<=[a-z])['`](?=[a-z])", "", ascii_text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def _command(text: str, *, opted_out: bool) -> ReplyOutcome | None:
    core = _strip_politeness(text)
    if core in STOP_WORDS or re.fullmatch(rf"(?:please )?stop(?: sending)?(?: {_ME})?", core):
        return ReplyOutcome.STOP
    if core in START_WORDS or re.fullmatch(rf"(?:please )?start(?: again)?(?: {_ME})?", core):
        return ReplyOutcome.START
    if opted_out and core in {"yes", "y", "yes please"}:
        return ReplyOutcome.START
    if core in HELP_WORDS or re.fullmatch(r"(?:i need |can i have |can you )?help(?: me)?", core):
        return ReplyOutcome.HELP
    return None


def _outcome_of_words(text: str) -> ReplyOutcome | None:
    core = _strip_politeness(text)
    for phrases, outcome in (
        (MISSED_PHRASES, ReplyOutcome.MISSED),  # before taken: "not taken" holds "taken"
        (TAKEN_PHRASES, ReplyOutcome.TAKEN),
        (LATER_PHRASES, ReplyOutcome.LATER),
    ):
        if any(re.fullmatch(phrase, core) for phrase in phrases):
            return outcome
    return None


def _outcome_of_typo(text: str) -> ReplyOutcome | None:
    """A one-word reply one or two letters off a keyword: "takne", "mised", "forgott"."""
    core = _strip_politeness(text)
    if " " in core or len(core) < 4:
        return None
    match = difflib.get_close_matches(core, _KEYWORDS_FOR_TYPOS, n=1, cutoff=0.75)
    return _KEYWORDS_FOR_TYPOS[match[0]] if match else None


_NEGATED_TAKEN = r"\b(?:not|havent|haven t|didnt|didn t|never|no)\b (?:\w+ )?(?:taken|took|take)"


def _mentions_taken(text: str) -> bool:
    """Whether a longer message says the dose was taken ("took it but my jaw aches")."""
    negated = re.search(_NEGATED_TAKEN, text)
    return not negated and bool(re.search(r"\b(?:taken|took it|took them|had it)\b", text))


def _strip_politeness(text: str) -> str:
    """Drop greetings and thanks around the words that matter: "yes thanks" -> "yes"."""
    core = re.sub(rf"(?:\s{_POLITE})+$", "", text)
    # "ok" leads as often as it answers: "ok taken" is taken, "ok" alone is too.
    core = re.sub(r"^(?:(?:hi|hello|hiya|ok|okay|oh|er|um)\s)+(?=\S)", "", core)
    core = re.sub(rf"^{_POLITE}\s(?=\S)", "", core)
    return core.strip()
