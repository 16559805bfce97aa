"""Possible serious side effects of bone medicines, as a patient might describe them in a text.

Each entry is one of the warning signs in `docs/clinical/side-effects.md`
(from the MHRA Drug Safety Updates, the ROS and the medicines' leaflets). A
reply that mentions one is flagged urgent for the nurse; the patterns match the
words people use ("my jaw hurts", "tooth came loose", "pins and needles"), on
text already normalised by `webapp.reminders.replies.normalise`.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SideEffect:
    """A warning sign: what the nurse is told, and whether the patient must call 999."""

    code: str
    nurse_summary: str
    patterns: tuple[str, ...]
    call_999: bool = False

    def mentioned_in(self, text: str) -> bool:
        return any(re.search(pattern, text) for pattern in self.patterns)


_PAIN = r"(?:pain|painful|pains|hurts?|hurting|ache|aches|aching|achy|sore|throbbing|agony)"
_NEAR = r"(?:\w+ ){0,4}"  # up to four words between, as in "pain in my left thigh"


def _around(words: str) -> tuple[str, ...]:
    """One of `words` (an alternation) with a word of pain before or after it, or "…ache"."""
    part = rf"\b(?:{words})\b"
    return (
        rf"\b{_PAIN}\b {_NEAR}{part}",
        rf"{part} {_NEAR}\b{_PAIN}\b",
        rf"\b(?:{words})ache\b",
    )


SIDE_EFFECTS = (
    SideEffect(
        code="chest_or_stroke",
        nurse_summary=(
            "Chest pain, breathlessness, sudden weakness or numbness, "
            "or speech or sight problems"
        ),
        call_999=True,
        patterns=(
            *_around("chest"),
            r"\bchest (?:tight|tightness|pressure)\b",
            r"\btight (?:\w+ )?chest\b",
            r"\b(?:breathless|short of breath|cant breathe|can t breathe|struggling to breathe)\b",
            r"\bsudden(?:ly)? (?:\w+ ){0,2}(?:weak|weakness|numb|numbness)\b",
            r"\b(?:face|arm|side) (?:\w+ ){0,2}(?:droop|drooping|numb|weak|dead)\b",
            r"\b(?:slurred|slurring) (?:speech|words)\b",
            r"\bcant (?:speak|talk) properly\b",
            r"\b(?:lost|losing|blurred|double|loss of) (?:my )?(?:sight|vision)\b",
            r"\bstroke\b",
            r"\bheart attack\b",
        ),
    ),
    SideEffect(
        code="jaw_or_mouth",
        nurse_summary=(
            "Jaw or mouth: pain, swelling or numbness, loose teeth, gum infection "
            "or a sore that will not heal"
        ),
        patterns=(
            *_around("jaw|gums?|teeth|tooth|mouth"),
            r"\bjaw\b",
            r"\bloose (?:tooth|teeth)\b",
            r"\b(?:tooth|teeth) (?:\w+ ){0,3}(?:loose|wobbly|fell out|came out)\b",
            r"\b(?:gum|gums) (?:\w+ ){0,2}(?:infection|infected|swollen|bleeding)\b",
            r"\b(?:mouth|gum) (?:ulcer|sore|infection)\b",
            r"\b(?:sore|ulcer|wound) (?:\w+ ){0,4}(?:wont|won t|will not|not) heal",
            r"\bexposed bone\b",
        ),
    ),
    SideEffect(
        code="thigh_hip_groin",
        nurse_summary="New or unusual thigh, hip or groin pain",
        patterns=_around("thigh|thighs|hip|hips|groin"),
    ),
    SideEffect(
        code="ear",
        nurse_summary="Ear pain, discharge from the ear or an ear infection",
        patterns=(
            *_around("ears?"),
            r"\bear (?:\w+ ){0,2}(?:infection|discharge|leaking|oozing)\b",
            r"\b(?:discharge|pus|fluid) (?:\w+ ){0,3}ears?\b",
        ),
    ),
    SideEffect(
        code="swallowing",
        nurse_summary="Heartburn, pain or difficulty swallowing, or pain behind the breastbone",
        patterns=(
            r"\bheartburn\b",
            r"\bindigestion\b",
            r"\bacid reflux\b",
            r"\breflux\b",
            r"\b(?:hard|difficult|difficulty|trouble|pain|painful|hurts?) "
            r"(?:\w+ ){0,2}(?:to )?swallow",
            r"\bswallow\w* (?:\w+ ){0,2}(?:hurts?|painful|pain|difficult|hard)\b",
            r"\bbreastbone\b",
            r"\bgullet\b",
        ),
    ),
    SideEffect(
        code="low_calcium",
        nurse_summary=(
            "Muscle spasms or cramps, or tingling in the fingers, toes or around the mouth"
        ),
        patterns=(
            r"\bcramps?\b",
            r"\bcramping\b",
            r"\bspasms?\b",
            r"\btingl\w*",
            r"\bpins and needles\b",
            r"\b(?:numb|numbness) (?:\w+ ){0,3}(?:fingers|toes|lips|mouth)\b",
        ),
    ),
    SideEffect(
        code="eye",
        nurse_summary="Eye pain or redness",
        patterns=(
            *_around("eyes?"),
            r"\b(?:red|bloodshot|inflamed) eyes?\b",
            r"\beyes? (?:\w+ ){0,2}(?:red|bloodshot|inflamed)\b",
        ),
    ),
    SideEffect(
        code="kidney",
        nurse_summary="Passing less urine, or kidney problems",
        patterns=(
            r"\b(?:not|hardly|barely|less|cant|can t|cannot) (?:\w+ ){0,2}"
            r"(?:wee|weeing|pee|peeing|urine|urinating|pass water|passing water)\b",
            r"\b(?:less|little|no) (?:urine|wee|pee)\b",
            r"\bkidneys?\b",
        ),
    ),
    SideEffect(
        code="severe_pain",
        nurse_summary="Severe bone, joint or muscle pain",
        patterns=(
            r"\b(?:severe|terrible|awful|really bad|very bad|unbearable|excruciating|agonising"
            r"|agonizing) (?:\w+ ){0,2}(?:pain|pains|ache|aches)\b",
            *_around("bones?|joints?|muscles?"),
            r"\bagony\b",
        ),
    ),
)


def find_side_effects(normalised_text: str) -> tuple[SideEffect, ...]:
    """Every warning sign `normalised_text` mentions, the 999 ones first."""
    found = [effect for effect in SIDE_EFFECTS if effect.mentioned_in(normalised_text)]
    return tuple(sorted(found, key=lambda effect: not effect.call_999))
