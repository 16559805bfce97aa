"""Why a patient needs a person today: one small rule per worklist reason.

Each rule returns a `WorklistReason` or None. Its `cause_key` names this
occurrence of the cause (the reply, the missed due date, the stop), so a
nurse's "handled" mark covers it alone and a new occurrence comes back. Its
`detail` is for the nurse, in plain words, with no name or number. Rules and
sources: docs/clinical/adherence.md, "The worklist".

Only active and paused patients get reasons about doses and texts. A
discharged patient gets none but "denosumab stopped with nothing to follow":
stopping denosumab risks spinal fractures whoever follows the patient now.
"""

from collections import defaultdict
from datetime import date, timedelta

from webapp.adherence.clinic import clinic_due_date, course_end, has_follow_on
from webapp.adherence.coverage import (
    Treatment,
    is_current,
    read_treatment,
)
from webapp.adherence.facts import PatientFacts, Reason, RegimenFacts, WorklistReason
from webapp.adherence.kpis import (
    FIFTY_TWO_WEEKS,
    SIXTEEN_WEEKS,
    confirmed_in_year_window,
    started_by,
)
from webapp.models.follow_up import MONITORING_CONTACTS
from webapp.models.patients import PatientStatus
from webapp.models.reminders import ReminderStatus
from webapp.reminders.follow_ups import NO_RESPONSE
from webapp.reminders.medicines import MEDICINES
from webapp.reminders.replies import ReplyOutcome

DENOSUMAB = "denosumab_6_monthly"
# ROS: the next denosumab injection should not be delayed by more than 4 weeks.
DENOSUMAB_LATE_AFTER = timedelta(weeks=4)
# Other clinic doses: flagged once the 7-day clinic follow-up has had its chance.
INJECTION_OVERDUE_AFTER = timedelta(days=7)
# Anabolic courses: flagged 8 weeks before they end, time to plan and start the
# antiresorptive that must follow (Design: docs/clinical/adherence.md, COURSE-END).
COURSE_LEAD = timedelta(weeks=8)
MISSED_IN_A_ROW = 2
NO_REPLIES_IN_A_ROW = 3
# The audit's follow-up points, in whole weeks after the fracture: shown from the first
# to the last (ROS standards, 12-16-week contact; FLS-DB KPIs 9-11; Design).
CONTACT_WEEKS = (11, 16)  # a week's notice before week 12, until the 16-week point
TREATMENT_CHECK_WEEKS = (15, 20)
YEAR_CHECK_WEEKS = (50, 56)  # until the KPI 11 window closes
_MISSED = frozenset({ReplyOutcome.MISSED, NO_RESPONSE})
_DOSE_STATUSES = frozenset({PatientStatus.ACTIVE, PatientStatus.PAUSED})
_AUDIT_STATUSES = frozenset({*_DOSE_STATUSES, PatientStatus.OPTED_OUT})
_NOT_DELIVERED = frozenset({ReminderStatus.FAILED, ReminderStatus.UNDELIVERED})
_DAY = timedelta(days=1)


def long_date(day: date) -> str:
    """A date as the nurse reads it: "3 March 2026"."""
    return f"{day.day} {day:%B %Y}"


def _ago(day: date, today: date) -> str:
    days = (today - day).days
    if days < 14:
        return "today" if days == 0 else f"{days} day{'s' * (days != 1)} ago"
    return f"{days // 7} weeks ago"


def _medicine_name(regimen: RegimenFacts) -> str:
    name = MEDICINES[regimen.medicine].name
    return name[0].upper() + name[1:]


# --- Replies ---


def urgent_side_effect(facts: PatientFacts, today: date, treatment: Treatment):
    """An urgent side-effect reply the nurse has not read yet (a red flag)."""
    if facts.status == PatientStatus.DISCHARGED:
        return None
    unread = [reply for reply in facts.replies if reply.urgent and not reply.read]
    if not unread:
        return None
    latest = max(unread, key=lambda reply: (reply.received_on, reply.id))
    detail = f"Urgent side effect reported on {long_date(latest.received_on)}"
    if len(unread) > 1:
        detail += f", and {len(unread) - 1} more urgent unread"
    since = min(reply.received_on for reply in unread)
    return WorklistReason(Reason.URGENT_SIDE_EFFECT, f"reply:{latest.id}", detail, since)


def unread_reply(facts: PatientFacts, today: date, treatment: Treatment):
    """Replies to read that are not urgent: free text, unclear, a side effect not urgent."""
    if facts.status == PatientStatus.DISCHARGED:
        return None
    unread = [reply for reply in facts.replies if not reply.urgent and not reply.read]
    if not unread:
        return None
    latest = max(unread, key=lambda reply: (reply.received_on, reply.id))
    count = "A reply" if len(unread) == 1 else f"{len(unread)} replies"
    detail = f"{count} to read, the latest on {long_date(latest.received_on)}"
    since = min(reply.received_on for reply in unread)
    return WorklistReason(Reason.UNREAD_REPLY, f"reply:{latest.id}", detail, since)


# --- Clinic doses ---


def denosumab_late(facts: PatientFacts, today: date, treatment: Treatment):
    """Denosumab more than 4 weeks past its due date, with no injection recorded since."""
    if facts.status not in _DOSE_STATUSES:
        return None
    for regimen in treatment.regimens.values():
        if regimen.medicine != DENOSUMAB or not is_current(regimen, today):
            continue
        due = clinic_due_date(regimen, treatment, facts.enrolled_on)
        if due is not None and today - due > DENOSUMAB_LATE_AFTER:
            detail = f"Injection was due on {long_date(due)}, {_ago(due, today)}"
            return WorklistReason(Reason.DENOSUMAB_LATE, f"due:{due}", detail, due)
    return None


def injection_overdue(facts: PatientFacts, today: date, treatment: Treatment):
    """Zoledronic acid or romosozumab past its due date with no dose recorded."""
    if facts.status not in _DOSE_STATUSES:
        return None
    for regimen in treatment.regimens.values():
        entry = MEDICINES[regimen.medicine]
        if not entry.in_clinic or regimen.medicine == DENOSUMAB:
            continue
        if not is_current(regimen, today):
            continue
        due = clinic_due_date(regimen, treatment, facts.enrolled_on)
        if due is not None and today - due > INJECTION_OVERDUE_AFTER:
            detail = f"{_medicine_name(regimen)} was due on {long_date(due)}, {_ago(due, today)}"
            return WorklistReason(Reason.INJECTION_OVERDUE, f"due:{due}", detail, due)
    return None


# --- Stops and course ends ---


def _denosumab_ending(facts: PatientFacts, regimen: RegimenFacts, today: date):
    """(cause key, date, words) of how denosumab stopped, or None while it goes on."""
    if regimen.stopped_on is not None and regimen.stopped_on <= today:
        day = regimen.stopped_on
        return f"stopped:regimen {regimen.id}:{day}", day, "Denosumab stopped"
    if regimen.end_date is not None and regimen.end_date < today:
        day = regimen.end_date
        return f"ended:regimen {regimen.id}:{day}", day, "Denosumab ended"
    status_days = {
        PatientStatus.PAUSED: (facts.paused_on, "Texts paused on denosumab"),
        PatientStatus.OPTED_OUT: (facts.opted_out_on or facts.paused_on,
                                  "Stopped the texts on denosumab"),
        PatientStatus.DISCHARGED: (facts.discharged_on or facts.paused_on,
                                   "Discharged on denosumab"),
    }  # fmt: skip
    if facts.status not in status_days:
        return None
    day, words = status_days[facts.status]
    day = max(day or facts.enrolled_on, regimen.first_dose_date)
    return f"{facts.status}:{day}", day, words


def denosumab_stopped(facts: PatientFacts, today: date, treatment: Treatment):
    """Denosumab stopped, or the patient paused, opted out or discharged while on it, with
    no follow-on bone treatment recorded: stopping it risks spinal fractures (ROS, MHRA)."""
    for regimen in treatment.regimens.values():
        if regimen.medicine != DENOSUMAB or regimen.first_dose_date > today:
            continue
        ending = _denosumab_ending(facts, regimen, today)
        if ending is None or has_follow_on(regimen, treatment, ending[1]):
            continue
        key, day, words = ending
        detail = f"{words} on {long_date(day)}, with no treatment to follow recorded"
        return WorklistReason(Reason.DENOSUMAB_STOPPED, key, detail, day)
    return None


def course_ending(facts: PatientFacts, today: date, treatment: Treatment):
    """A teriparatide or romosozumab course ending within 8 weeks, or ended, with nothing
    to follow: both are followed by an antiresorptive (TPTD, EVENITY-SMPC)."""
    if facts.status not in _DOSE_STATUSES:
        return None
    for regimen in treatment.regimens.values():
        end = course_end(regimen, treatment)
        if end is None or today < end - COURSE_LEAD:
            continue
        if has_follow_on(regimen, treatment, end - _DAY):
            continue
        tense = "ends" if end > today else "ended"
        detail = (f"{_medicine_name(regimen)} course {tense} on {long_date(end - _DAY)}, "
                  "with no treatment to follow recorded")  # fmt: skip
        key = f"course:regimen {regimen.id}:{end}"
        return WorklistReason(Reason.COURSE_ENDING, key, detail, end - COURSE_LEAD)
    return None


# --- Doses missed, no replies, texts ---


def missed_doses(facts: PatientFacts, today: date, treatment: Treatment):
    """The last two settled prompts of a current bone treatment missed or unanswered."""
    if facts.status not in _DOSE_STATUSES:
        return None
    by_regimen = defaultdict(list)
    for prompt in treatment.answered:
        by_regimen[prompt.regimen_id].append(prompt)
    found = []
    for regimen_id, prompts in by_regimen.items():
        regimen = treatment.regimens.get(regimen_id)
        last = prompts[-MISSED_IN_A_ROW:]
        if regimen is None or not is_current(regimen, today) or len(last) < MISSED_IN_A_ROW:
            continue
        if all(prompt.outcome in _MISSED for prompt in last):
            found.append((last[-1].due_on, regimen, last))
    if not found:
        return None
    _, regimen, last = max(found, key=lambda item: (item[0], item[1].id))
    detail = (f"{_medicine_name(regimen)}: {len(last)} doses in a row missed or unanswered, "
              f"the last due on {long_date(last[-1].due_on)}")  # fmt: skip
    key = f"missed:regimen {regimen.id}:{last[-1].due_on}"
    return WorklistReason(Reason.MISSED_DOSES, key, detail, last[0].due_on)


def no_replies(facts: PatientFacts, today: date, treatment: Treatment):
    """No reply to the last three prompts that asked about a dose (follow-ups not counted)."""
    if facts.status not in _DOSE_STATUSES:
        return None
    last = treatment.answered[-NO_REPLIES_IN_A_ROW:]
    if len(last) < NO_REPLIES_IN_A_ROW or any(p.outcome != NO_RESPONSE for p in last):
        return None
    detail = (f"No reply to the last {len(last)} texts, the latest about "
              f"{long_date(last[-1].due_on)}")  # fmt: skip
    return WorklistReason(Reason.NO_REPLIES, f"no_reply:{last[-1].due_on}", detail,
                          last[0].due_on)  # fmt: skip


def opted_out(facts: PatientFacts, today: date, treatment: Treatment):
    """The patient stopped the texts (by SMS or through the nurse), until discharged."""
    if facts.status != PatientStatus.OPTED_OUT:
        return None
    day = facts.opted_out_on or facts.paused_on or facts.enrolled_on
    detail = f"Stopped the texts on {long_date(day)}: reminders and questions no longer go"
    return WorklistReason(Reason.OPTED_OUT, f"opted_out:{day}", detail, day)


def texts_failing(facts: PatientFacts, today: date, treatment: Treatment):
    """The provider refused the number for good, or the last text was not delivered."""
    if facts.status not in _DOSE_STATUSES:
        return None
    if facts.sms_blocked_on is not None:
        day = facts.sms_blocked_on
        detail = f"The text provider refused the number on {long_date(day)}: check it"
        return WorklistReason(Reason.TEXTS_FAILING, f"blocked:{day}", detail, day)
    text = facts.last_text
    if text is None or text.status not in _NOT_DELIVERED:
        return None
    detail = f"The text sent on {long_date(text.sent_on)} was not delivered"
    if text.failed_in_a_row > 1:
        detail += f" ({text.failed_in_a_row} in a row)"
    return WorklistReason(Reason.TEXTS_FAILING, f"text:{text.id}", detail, text.sent_on)


# --- The audit's follow-up points ---


def _audit_fracture(facts: PatientFacts, treatment: Treatment) -> date | None:
    """The fracture date when the audit's follow-up points apply to the patient."""
    if facts.status not in _AUDIT_STATUSES or not treatment.regimens:
        return None
    return facts.fracture_date


def contact_due(facts: PatientFacts, today: date, treatment: Treatment):
    """The 12–16-week contact: shown from week 11 (a week's notice) to week 16, unless a
    call or visit is recorded from week 11 on (ROS standards; FLS-DB KPI 9)."""
    fracture = _audit_fracture(facts, treatment)
    if fracture is None:
        return None
    opens, closes = (fracture + timedelta(weeks=week) for week in CONTACT_WEEKS)
    if not opens <= today <= closes:
        return None
    if any(c.kind in MONITORING_CONTACTS and c.happened_on >= opens for c in facts.contacts):
        return None
    detail = f"Call or see the patient by {long_date(closes)}, 16 weeks after the fracture"
    return WorklistReason(Reason.CONTACT_DUE, "week12", detail, opens)


def treatment_check_due(facts: PatientFacts, today: date, treatment: Treatment):
    """From week 15 to week 20, no dose confirmed yet: check treatment has started (KPI 10)."""
    fracture = _audit_fracture(facts, treatment)
    if fracture is None:
        return None
    opens, closes = (fracture + timedelta(weeks=week) for week in TREATMENT_CHECK_WEEKS)
    if not opens <= today <= closes or started_by(facts, treatment, today):
        return None
    point = fracture + SIXTEEN_WEEKS
    detail = f"No dose confirmed yet; 16 weeks after the fracture is {long_date(point)}"
    return WorklistReason(Reason.TREATMENT_CHECK_DUE, "week16", detail, opens)


def year_check_due(facts: PatientFacts, today: date, treatment: Treatment):
    """From week 50 to week 56, nothing yet confirming treatment in weeks 48–56 (KPI 11)."""
    fracture = _audit_fracture(facts, treatment)
    if fracture is None:
        return None
    opens, closes = (fracture + timedelta(weeks=week) for week in YEAR_CHECK_WEEKS)
    if not opens <= today <= closes or confirmed_in_year_window(facts, treatment):
        return None
    point = fracture + FIFTY_TWO_WEEKS
    detail = f"Nothing confirms treatment yet; 52 weeks after the fracture is {long_date(point)}"
    return WorklistReason(Reason.YEAR_CHECK_DUE, "week52", detail, opens)


RULES = (
    urgent_side_effect, denosumab_late, denosumab_stopped, injection_overdue, course_ending,
    missed_doses, no_replies, unread_reply, opted_out, texts_failing, contact_due,
    treatment_check_due, year_check_due,
)  # fmt: skip


def worklist_reasons(facts: PatientFacts, today: date, treatment: Treatment | None = None
                     ) -> tuple[WorklistReason, ...]:  # fmt: skip
    """Every reason the patient needs a person today, most urgent first, oldest first."""
    treatment = treatment or read_treatment(facts, today)
    found = [reason for rule in RULES if (reason := rule(facts, today, treatment)) is not None]
    return tuple(sorted(found, key=lambda item: (item.urgency, item.since, item.reason)))
