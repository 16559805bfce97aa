"""A patient's past, written straight to the tables as the reminder, SMS and reply code leaves it.

`add_dose_history` gives a patient weekly dose reminders going back from now,
each in its own text and answered in turn (taken, missed, no reply);
`add_reply` a text from the patient; `add_worklist_entry` a reason they are on
the worklist. Plain rows, so a test can give a patient 500 doses in a moment.
"""

from datetime import datetime, timedelta
from itertools import count

from sqlalchemy import insert

from webapp.adherence.facts import REASONS, Reason
from webapp.clock import to_uk
from webapp.models.follow_up import WorklistEntry
from webapp.models.patients import Patient
from webapp.models.reminders import Reminder, SmsMessage
from webapp.models.replies import InboundMessage

OUTCOMES = ("taken", "missed", "no_response")
_sids = count(1)


def add_dose_history(session, patient: Patient, doses: int, now: datetime, *,
                     every_days: int = 7) -> None:  # fmt: skip
    """`doses` dose reminders before `now`, a week apart unless told, each sent and answered."""
    regimen = patient.regimens[0]
    for week in range(1, doses + 1):
        sent = now - timedelta(days=every_days * week)
        text = SmsMessage(patient_id=patient.id, to_number=patient.mobile, segments=1,
                          body=f"BoneCheck: time for your weekly tablet ({week})",
                          status="delivered", claimed_at=sent, sent_at=sent,
                          status_changed_at=sent, attempts=1)  # fmt: skip
        session.add(text)
        session.flush()
        session.execute(insert(Reminder).values(
            patient_id=patient.id, regimen_id=regimen.id, kind="dose",
            due_on=to_uk(sent).date(), send_at=sent, status="delivered",
            status_changed_at=sent, sms_message_id=text.id,
            outcome=OUTCOMES[week % len(OUTCOMES)], created_at=sent,
        ))  # fmt: skip
    session.commit()


def add_reply(session, patient: Patient, body: str, received_at: datetime, *,
              outcome: str | None = "taken", urgent: bool = False,
              read: bool = False) -> InboundMessage:  # fmt: skip
    """A text from the patient, as the inbound webhook keeps it."""
    reply = InboundMessage(
        provider_sid=f"SMtest{next(_sids):034d}", patient_id=patient.id,
        from_number=patient.mobile, body=body, outcome=outcome, urgent=urgent,
        received_at=received_at, read_at=received_at if read else None,
    )  # fmt: skip
    session.add(reply)
    session.commit()
    return reply


def add_worklist_entry(session, patient: Patient, reason: Reason, cause_key: str,
                       detail: str, now: datetime) -> WorklistEntry:  # fmt: skip
    """A reason the patient is on the worklist, as the rollup writes it."""
    entry = WorklistEntry(
        patient_id=patient.id, fls_service_id=patient.fls_service_id, reason=reason,
        urgency=int(REASONS[reason].urgency), cause_key=cause_key, detail=detail,
        since=to_uk(now).date(), computed_at=now,
    )  # fmt: skip
    session.add(entry)
    session.commit()
    return entry
