"""The schedule: one table of named jobs, like GOV.UK Notify's `beat_schedule`.

Each job pushes an app context, calls one service function, commits, and logs
a one-line summary. Every job is safe to run twice, or in two processes at
once: planning has a natural unique key, dispatch claims rows before it sends
(webapp.reminders.claiming), and every sweep changes a row only from the status
it read. `webapp.scheduler` turns this table into an APScheduler scheduler; the
CLI runs a job once by calling the same function.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy.orm import sessionmaker

from webapp.adherence.refresh import RECENT_LOOK_BACK, refresh_all, refresh_recent
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.patients.records import resume_due_patients
from webapp.reminders.dispatch import (
    DispatchSettings,
    DispatchSummary,
    reconcile_stuck_messages,
    send_due_reminders,
)
from webapp.reminders.planning import plan_follow_ups, plan_reminders
from webapp.sms.factory import gateway_from_config
from webapp.sms.gateway import SmsGateway
from webapp.sms.receipts import mark_silent_messages_unknown

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A named job: what it runs, and when (APScheduler trigger arguments)."""

    name: str
    run: Callable[[Flask], Mapping[str, int]]
    trigger: Mapping[str, object]
    at_start: bool = False  # also once when the scheduler starts
    description: str = field(default="", compare=False)


def sms_gateway(app: Flask) -> SmsGateway:
    """The app's one gateway (the Twilio one holds a connection pool, so it is reused)."""
    if "sms_gateway" not in app.extensions:
        app.extensions["sms_gateway"] = gateway_from_config(app.config)
    return app.extensions["sms_gateway"]


def _sessions() -> sessionmaker:
    """Dispatch opens its own short transactions, apart from the request-style db.session."""
    return sessionmaker(db.engine, expire_on_commit=False)


def plan_ahead(app: Flask) -> dict[str, int]:
    """Resume patients whose pause has ended, then plan every active patient's reminders
    for the coming REMINDER_PLAN_DAYS days."""
    days, now = app.config["REMINDER_PLAN_DAYS"], utc_now()
    resumed = resume_due_patients(db.session, now)
    return plan_reminders(db.session, now, days).as_dict() | {"resumed": resumed}


def follow_up_unanswered(app: Flask) -> dict[str, int]:
    """Plan one follow-up to each unanswered prompt; count the twice-unanswered as no response."""
    return plan_follow_ups(db.session, utc_now()).as_dict()


def dispatch_reminders(app: Flask) -> DispatchSummary:
    """Send every reminder due now, once (webapp.reminders.dispatch)."""
    settings = DispatchSettings.from_config(app.config)
    return send_due_reminders(_sessions(), sms_gateway(app), utc_now(), settings,
                              stop=app.extensions.get("stop_sending"))  # fmt: skip


def sweep_messages(app: Flask) -> dict[str, int]:
    """Settle texts stuck in `sending` (their process died) by asking the provider, and
    mark `unknown` the texts with no final status after a few days (SMS_UNKNOWN_AFTER)."""
    now = utc_now()
    settings = DispatchSettings.from_config(app.config)
    settled = reconcile_stuck_messages(_sessions(), sms_gateway(app), now, settings)
    unknown = mark_silent_messages_unknown(db.session, now, app.config["SMS_UNKNOWN_AFTER"])
    return {"reconciled as sent": settled.get("sent", 0),
            "needing a check": settled.get("needs_check", 0),
            "texts now unknown": unknown}  # fmt: skip


def forget_old_replies(app: Flask) -> dict[str, int]:
    """Delete the words of replies older than REPLY_BODY_KEEP, keeping their outcomes."""
    from webapp.reminders.inbound import forget_reply_bodies

    forgotten = forget_reply_bodies(db.session, utc_now(), app.config["REPLY_BODY_KEEP"])
    return {"reply texts deleted": forgotten}


def refresh_recent_measures(app: Flask) -> dict[str, int]:
    """Work out again the adherence figures and worklist of patients whose rows changed in
    the last RECENT_LOOK_BACK (a text sent or delivered, a reply, a contact, a nurse's change)."""
    return {"patients refreshed": refresh_recent(db.session, utc_now(), RECENT_LOOK_BACK)}


def refresh_every_patients_measures(app: Flask) -> dict[str, int]:
    """Work out every patient's adherence figures and worklist again: time passing alone
    makes a dose overdue or an audit point due, with no row changing."""
    return {"patients refreshed": refresh_all(db.session, utc_now())}


SCHEDULE: tuple[Job, ...] = (
    # 05:30 UK time, before any sending hours start, and whenever the scheduler starts.
    Job("plan-ahead", plan_ahead, {"trigger": "cron", "hour": 5, "minute": 30}, at_start=True,
        description="Plan the coming days' reminders"),
    Job("follow-ups", follow_up_unanswered, {"trigger": "interval", "minutes": 15},
        description="Follow up prompts with no reply"),
    Job("dispatch", lambda app: dispatch_reminders(app).as_counts(),
        {"trigger": "interval", "minutes": 1}, at_start=True,
        description="Send the reminders due now"),
    Job("sweep-messages", sweep_messages, {"trigger": "interval", "minutes": 10},
        description="Settle texts stuck in sending"),
    Job("forget-replies", forget_old_replies, {"trigger": "cron", "hour": 4, "minute": 15},
        description="Delete the words of old replies"),
    # Changes reach the worklist within 5 minutes (a reply or a nurse's change at once: they
    # refresh their patient themselves); a pass costs little when little has changed.
    Job("refresh-measures", refresh_recent_measures, {"trigger": "interval", "minutes": 5},
        description="Work out again the figures of patients with news"),
    # Every patient just after midnight UK time, when "today" moves on, and at start (the
    # scheduler may have been down over a midnight). 10,000 patients with two years of texts
    # took 90 to 140 s on a busy two-core machine (PostgreSQL), a batch of 500 committed at a time.
    Job("refresh-all-measures", refresh_every_patients_measures,
        {"trigger": "cron", "hour": 0, "minute": 20}, at_start=True,
        description="Work out again every patient's figures and worklist"),
)  # fmt: skip


def run_job(app: Flask, job: Job) -> Mapping[str, int]:
    """Run `job` once in an app context and log one summary line; roll back on error."""
    with app.app_context():
        try:
            counts = job.run(app)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Job %s failed", job.name, extra={"job": job.name})
            raise
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    fields = {name.replace(" ", "_"): count for name, count in counts.items()}
    log.info("Job %s: %s", job.name, summary, extra={"job": job.name, **fields})
    return counts


def job_named(name: str) -> Job:
    """The job in the schedule with this name (KeyError if none)."""
    for job in SCHEDULE:
        if job.name == name:
            return job
    raise KeyError(name)
