"""What the measures read about one patient, and what they return. Pure data.

A `PatientFacts` is a snapshot of one patient's rows (regimens, the reminders
that asked them something, their replies, the nurse's contacts, the last text's
fate), loaded in batches by webapp.adherence.loading. Every date is a UK date.
The measures (webapp.adherence.summary.summarise) turn it into a
`PatientSummary`: the figures stored in `patient_measures` and the reasons
stored in `worklist_entry`.
"""

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from typing import NamedTuple


@dataclass(frozen=True)
class RegimenFacts:
    id: int
    medicine: str  # a code from webapp.reminders.medicines
    first_dose_date: date
    end_date: date | None
    last_given_date: date | None  # clinic medicines: the last dose the nurse recorded
    stopped_on: date | None
    switched_to_id: int | None
    # Daily medicines: a text every day (each answer covers its day) rather than the
    # weekly check-in (each answer covers the 7 days before it).
    daily_texts: bool = False


class PromptFacts(NamedTuple):
    """One reminder (a webapp.models.reminders.Reminder) and what became of it.

    A named tuple rather than a dataclass, as ReplyFacts: a service has a million, made on
    every refresh, and a tuple is made several times faster."""

    id: int
    regimen_id: int
    kind: str  # a ReminderKind: dose, check_in, clinic_due, book, welcome, follow_up, later
    # The dose's date. A weekly check-in goes on `due_on` and asks about the week just
    # gone, the 7 days before it (webapp.reminders.schedule.check_in_dates).
    due_on: date
    sent_on: date | None  # when it went; None if it never did (planned, skipped, expired…)
    status: str  # a ReminderStatus
    outcome: str | None  # taken, missed, no_response, or None while unanswered


class ReplyFacts(NamedTuple):
    """One text from the patient (an InboundMessage)."""

    id: int
    received_on: date
    outcome: str | None  # a ReplyOutcome; None when it was ignored
    urgent: bool
    read: bool


@dataclass(frozen=True)
class ContactFacts:
    """One contact the nurse recorded (a Contact)."""

    id: int
    kind: str  # a ContactKind
    happened_on: date
    regimen_id: int | None


@dataclass(frozen=True)
class TextFacts:
    """The most recent text we sent the patient, for "texts failing to deliver"."""

    id: int
    status: str  # a ReminderStatus
    sent_on: date
    failed_in_a_row: int  # this and the texts before it that failed or were undelivered


@dataclass(frozen=True)
class PatientFacts:
    id: int
    status: str  # a PatientStatus
    enrolled_on: date
    fracture_date: date | None
    paused_on: date | None  # when a pause, opt-out or discharge began, where known
    opted_out_on: date | None
    discharged_on: date | None
    sms_blocked_on: date | None  # the provider refused the number for good
    last_text: TextFacts | None
    regimens: tuple[RegimenFacts, ...]
    prompts: tuple[PromptFacts, ...]
    replies: tuple[ReplyFacts, ...]
    contacts: tuple[ContactFacts, ...]


class KpiResult(StrEnum):
    """One patient's standing on one FLS-DB indicator (KPIs 9, 10 and 11)."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_DUE = "not_due"  # its point has not come yet: outside the denominator for now
    NO_FRACTURE_DATE = "no_fracture_date"  # cannot be counted: outside the denominator
    NO_TREATMENT = "no_treatment"  # no regimen: not recommended treatment, outside it too


class Reason(StrEnum):
    """Why a patient is on the worklist. Each has a label and an urgency (REASONS)."""

    URGENT_SIDE_EFFECT = "urgent_side_effect"
    DENOSUMAB_LATE = "denosumab_late"
    DENOSUMAB_STOPPED = "denosumab_stopped"
    INJECTION_OVERDUE = "injection_overdue"
    COURSE_ENDING = "course_ending"
    MISSED_DOSES = "missed_doses"
    NO_REPLIES = "no_replies"
    UNREAD_REPLY = "unread_reply"
    OPTED_OUT = "opted_out"
    TEXTS_FAILING = "texts_failing"
    CONTACT_DUE = "contact_due"  # the 12–16-week contact after the fracture
    TREATMENT_CHECK_DUE = "treatment_check_due"  # treatment started by 16 weeks?
    YEAR_CHECK_DUE = "year_check_due"  # still on treatment at 52 weeks?


class Urgency(IntEnum):
    """Most urgent first: the worklist sorts on it, then on how long the cause has stood."""

    URGENT = 1
    HIGH = 2
    ROUTINE = 3
    AUDIT = 4


@dataclass(frozen=True)
class ReasonInfo:
    label: str  # what the nurse reads in the worklist's "Why" column
    urgency: Urgency


REASONS: dict[Reason, ReasonInfo] = {
    Reason.URGENT_SIDE_EFFECT: ReasonInfo("Urgent side effect reported", Urgency.URGENT),
    Reason.DENOSUMAB_LATE: ReasonInfo("Denosumab more than 4 weeks late", Urgency.URGENT),
    Reason.DENOSUMAB_STOPPED: ReasonInfo("Denosumab stopped with nothing to follow",
                                         Urgency.URGENT),
    Reason.INJECTION_OVERDUE: ReasonInfo("Injection or infusion overdue", Urgency.HIGH),
    Reason.COURSE_ENDING: ReasonInfo("Course ending with nothing to follow", Urgency.HIGH),
    Reason.MISSED_DOSES: ReasonInfo("Doses missed or unanswered", Urgency.HIGH),
    Reason.NO_REPLIES: ReasonInfo("No reply to the last 3 texts", Urgency.ROUTINE),
    Reason.UNREAD_REPLY: ReasonInfo("Reply to read", Urgency.ROUTINE),
    Reason.OPTED_OUT: ReasonInfo("Stopped the texts", Urgency.ROUTINE),
    Reason.TEXTS_FAILING: ReasonInfo("Texts not delivered", Urgency.ROUTINE),
    Reason.CONTACT_DUE: ReasonInfo("12 to 16 week contact due", Urgency.AUDIT),
    Reason.TREATMENT_CHECK_DUE: ReasonInfo("Check treatment has started (16 weeks)",
                                           Urgency.AUDIT),
    Reason.YEAR_CHECK_DUE: ReasonInfo("Check treatment continues (52 weeks)", Urgency.AUDIT),
}  # fmt: skip


@dataclass(frozen=True)
class WorklistReason:
    """One reason a patient needs a person, and the cause behind it.

    `cause_key` names this occurrence of the cause (the reply's id, the missed
    due date…): a handled mark covers this key only, so a new occurrence shows again.
    """

    reason: Reason
    cause_key: str
    detail: str  # plain words for the nurse: "Due 3 March 2026, 6 weeks ago". No name.
    since: date  # when the cause began: older first within an urgency

    @property
    def urgency(self) -> Urgency:
        return REASONS[self.reason].urgency


@dataclass(frozen=True)
class MonthCoverage:
    """One month of a patient's chart: days covered by a confirmed dose, of the days measured."""

    month: date  # the first day of the month
    days_covered: int
    days_measured: int  # days on treatment in the month up to today; 0: nothing to measure


@dataclass(frozen=True)
class PatientSummary:
    """Everything stored for one patient in `patient_measures` and `worklist_entry`."""

    patient_id: int
    medicine: str | None  # the current regimen's medicine, else the most recent
    pdc_90: float | None
    pdc_180: float | None
    pdc_365: float | None
    days_covered_365: int
    days_measured_365: int
    persistent_12m: bool | None
    prompts_asked: int
    prompts_answered: int
    kpi_9: KpiResult
    kpi_10: KpiResult
    kpi_11: KpiResult
    worklist: tuple[WorklistReason, ...]
    months: tuple[MonthCoverage, ...]  # the patient page's chart: the last 12 months, oldest first


@dataclass(frozen=True)
class Rate:
    """A count out of a count, as the overview shows it: "41 of 52 (79%)".

    Kept as two whole numbers, not a fraction, so a figure can always show what
    it was made from (the FLS-DB reports numerator and denominator beside each rate).
    """

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """The rate as a percentage; None when there is nobody to count."""
        if self.denominator == 0:
            return None
        return 100 * self.numerator / self.denominator
