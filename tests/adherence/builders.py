"""Plain builders of PatientFacts for the pure measures' tests (no database).

`patient(regimen(...), prompts=[...])` gives an active patient enrolled on
ENROLLED; every field can be overridden. Ids are unique within a run.
"""

from datetime import date, timedelta
from itertools import count

from webapp.adherence.facts import (
    ContactFacts,
    PatientFacts,
    PromptFacts,
    RegimenFacts,
    ReplyFacts,
    TextFacts,
)

ENROLLED = date(2026, 1, 5)  # a Monday
_ids = count(1000)


def regimen(medicine: str = "alendronic_acid_weekly", first_dose_date: date = ENROLLED,
            **overrides) -> RegimenFacts:  # fmt: skip
    """A regimen, current unless stopped or ended by an override."""
    values = {
        "id": next(_ids), "medicine": medicine, "first_dose_date": first_dose_date,
        "end_date": None, "last_given_date": None, "stopped_on": None, "switched_to_id": None,
        "daily_texts": False, **overrides,
    }  # fmt: skip
    return RegimenFacts(**values)


def prompt(of: RegimenFacts, due_on: date, outcome: str | None = "taken", kind: str = "dose",
           **overrides) -> PromptFacts:  # fmt: skip
    """A prompt about `of`'s dose due on `due_on`, sent and delivered that day."""
    values = {
        "id": next(_ids), "regimen_id": of.id, "kind": kind, "due_on": due_on,
        "sent_on": due_on, "status": "delivered", "outcome": outcome, **overrides,
    }  # fmt: skip
    return PromptFacts(**values)


def weekly(of: RegimenFacts, outcomes: str, kind: str = "dose", start: date | None = None
           ) -> list[PromptFacts]:  # fmt: skip
    """One prompt a week from `start` (the first dose), outcomes spelt one letter each:
    T taken, M missed, N no response, ? still unanswered."""
    letters = {"T": "taken", "M": "missed", "N": "no_response", "?": None}
    first = start or of.first_dose_date
    return [prompt(of, first + timedelta(weeks=week), letters[letter], kind=kind)
            for week, letter in enumerate(outcomes)]  # fmt: skip


def reply(received_on: date, outcome: str | None = "taken", urgent: bool = False,
          read: bool = True) -> ReplyFacts:  # fmt: skip
    return ReplyFacts(id=next(_ids), received_on=received_on, outcome=outcome, urgent=urgent,
                      read=read)  # fmt: skip


def contact(kind: str, happened_on: date, of: RegimenFacts | None = None) -> ContactFacts:
    return ContactFacts(id=next(_ids), kind=kind, happened_on=happened_on,
                        regimen_id=of.id if of else None)  # fmt: skip


def text(sent_on: date, status: str = "delivered", failed_in_a_row: int = 0) -> TextFacts:
    return TextFacts(id=next(_ids), status=status, sent_on=sent_on,
                     failed_in_a_row=failed_in_a_row)  # fmt: skip


def patient(*regimens: RegimenFacts, prompts=(), replies=(), contacts=(), **overrides
            ) -> PatientFacts:  # fmt: skip
    """An active patient enrolled on ENROLLED with these regimens and rows."""
    values = {
        "id": next(_ids), "status": "active", "enrolled_on": ENROLLED, "fracture_date": None,
        "paused_on": None, "opted_out_on": None, "discharged_on": None, "sms_blocked_on": None,
        "last_text": None, "regimens": tuple(regimens), "prompts": tuple(prompts),
        "replies": tuple(replies), "contacts": tuple(contacts), **overrides,
    }  # fmt: skip
    return PatientFacts(**values)
