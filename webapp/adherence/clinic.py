"""When a clinic dose is due, when an anabolic course ends, and what follows a treatment.

Read by the worklist rules (webapp.adherence.worklist). Due dates come from
the reminder schedule (webapp.reminders.schedule), counted from the last dose
recorded by any route, so the worklist agrees with the texts the patient got.
"""

from dataclasses import replace
from datetime import date, timedelta

from webapp.adherence.coverage import Treatment
from webapp.adherence.facts import RegimenFacts
from webapp.reminders.medicines import MEDICINES
from webapp.reminders.schedule import add_months, due_dates, next_due_date

_DAY = timedelta(days=1)


def last_dose_given(regimen: RegimenFacts, treatment: Treatment) -> date | None:
    """The latest confirmed dose of `regimen` (given in clinic, by the GP, or a TAKEN reply)."""
    return max((dose.day for dose in treatment.doses if dose.regimen_id == regimen.id),
               default=None)  # fmt: skip


def clinic_due_date(regimen: RegimenFacts, treatment: Treatment, enrolled_on: date
                    ) -> date | None:  # fmt: skip
    """The next clinic dose due after the last one recorded, by the reminder schedule.

    With no dose recorded, a first dose dated before enrolment is taken as given
    (the reminders count on from it too); a later one is itself the dose due.
    """
    entry = MEDICINES[regimen.medicine]
    given = last_dose_given(regimen, treatment)
    if given is None and regimen.first_dose_date < enrolled_on:
        given = regimen.first_dose_date
    counted = replace(regimen, last_given_date=given)
    return next_due_date(counted, entry, given + _DAY if given else regimen.first_dose_date)


def has_follow_on(regimen: RegimenFacts, treatment: Treatment, ended_on: date) -> bool:
    """Whether another bone treatment follows `regimen`, which ended (or ends) on `ended_on`:
    a switch recorded, or a regimen of another bone medicine, begun since this one began,
    still going on `ended_on` (current, yet to start, or stopped later)."""
    if regimen.switched_to_id is not None:
        return True
    return any(
        other.medicine != regimen.medicine and other.first_dose_date >= regimen.first_dose_date
        and (other.stopped_on is None or other.stopped_on > ended_on)
        and (other.end_date is None or other.end_date >= ended_on)
        for other in treatment.regimens.values()
    )  # fmt: skip


def course_end(regimen: RegimenFacts, treatment: Treatment) -> date | None:
    """The day after an anabolic course's last covered day, or None for a medicine with no
    course: 24 months of teriparatide, 12 monthly romosozumab doses from those given."""
    entry = MEDICINES[regimen.medicine]
    ends = []
    if entry.course_months is not None:
        ends.append(add_months(regimen.first_dose_date, entry.course_months))
    if entry.course_doses is not None:
        given = last_dose_given(regimen, treatment)
        counted = replace(regimen, last_given_date=given, end_date=None, stopped_on=None)
        far = add_months(regimen.first_dose_date, entry.course_doses * entry.every_months * 2)
        remaining = due_dates(counted, entry, regimen.first_dose_date, far)
        last = max([*remaining, given or regimen.first_dose_date])
        ends.append(add_months(last, entry.every_months))
    if not ends:
        return None
    if regimen.end_date is not None:
        ends.append(regimen.end_date + _DAY)
    if regimen.stopped_on is not None:
        ends.append(regimen.stopped_on)
    return min(ends)
