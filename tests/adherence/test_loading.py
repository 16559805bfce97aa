"""Loading patients' facts from their rows, on SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta

from tests.adherence.support import counting_statements
from tests.reminders.factories import create_patient, create_regimen, create_reminder
from tests.reminders.inbound_support import sent_text
from webapp.accounts.audit import record_change
from webapp.adherence.facts import (
    ContactFacts,
    PatientFacts,
    PromptFacts,
    RegimenFacts,
    ReplyFacts,
    TextFacts,
)
from webapp.adherence.loading import load_facts, uk_date
from webapp.clock import to_uk
from webapp.models.follow_up import Contact
from webapp.models.patients import PatientStatus
from webapp.models.reminders import SmsMessage
from webapp.models.replies import InboundMessage

TODAY = date(2027, 7, 20)


def _text(session, patient, status, claimed_at, sent_at=None):
    message = SmsMessage(
        patient=patient, to_number=patient.mobile, body="Leeds FLS: reminder", status=status,
        claimed_at=claimed_at, sent_at=sent_at, status_changed_at=claimed_at, attempts=1,
    )  # fmt: skip
    session.add(message)
    session.flush()
    return message


def test_facts_hold_every_row_with_uk_dates(database):
    patient = create_patient(database, medicine=None, fracture_date=date(2027, 1, 2),
                             created_at=datetime(2027, 3, 31, 23, 30))  # 00:30 on 1 April UK
    first = create_regimen(database, patient, "teriparatide_daily", date(2027, 4, 5),
                           stopped_on=date(2027, 6, 1), daily_texts=True)  # fmt: skip
    second = create_regimen(database, patient, "denosumab_6_monthly", date(2027, 6, 1),
                            last_given_date=date(2027, 6, 1))  # fmt: skip
    first.switched_to_id = second.id
    # Sent at 23:30 UTC in summer time: 00:30 the next day in the UK.
    _, (dose,) = sent_text(database, patient, [(first, "dose", date(2027, 5, 10))],
                           datetime(2027, 5, 9, 23, 30))  # fmt: skip
    dose.outcome = "taken"
    planned_today = create_reminder(database, second, "clinic_due", TODAY,
                                    datetime(2027, 7, 20, 8, 0))  # fmt: skip
    create_reminder(database, second, "book", date(2027, 11, 30), datetime(2027, 7, 21, 8, 0))
    skipped = create_reminder(database, first, "dose", date(2027, 6, 7),
                              datetime(2027, 6, 7, 7, 0), status="skipped")  # fmt: skip
    reply = InboundMessage(provider_sid="SMloading1", patient=patient, from_number=patient.mobile,
                           body="taken", outcome="taken", urgent=True,
                           received_at=datetime(2027, 5, 10, 7, 0))  # fmt: skip
    contact = Contact(patient=patient, regimen_id=second.id, kind="dose_given_clinic",
                      happened_on=date(2027, 6, 1), recorded_at=datetime(2027, 6, 1, 12, 0))
    database.add_all([reply, contact])
    database.flush()

    facts = load_facts(database, [patient.id, 987654], TODAY)

    assert facts == {patient.id: PatientFacts(
        id=patient.id, status=PatientStatus.ACTIVE, enrolled_on=date(2027, 4, 1),
        fracture_date=date(2027, 1, 2), paused_on=None, opted_out_on=None, discharged_on=None,
        sms_blocked_on=None,
        last_text=TextFacts(id=dose.sms_message_id, status="delivered",
                            sent_on=date(2027, 5, 10), failed_in_a_row=0),
        regimens=(
            RegimenFacts(id=first.id, medicine="teriparatide_daily",
                         first_dose_date=date(2027, 4, 5), end_date=None, last_given_date=None,
                         stopped_on=date(2027, 6, 1), switched_to_id=second.id,
                         daily_texts=True),
            RegimenFacts(id=second.id, medicine="denosumab_6_monthly",
                         first_dose_date=date(2027, 6, 1), end_date=None,
                         last_given_date=date(2027, 6, 1), stopped_on=None, switched_to_id=None),
        ),
        prompts=(
            PromptFacts(id=dose.id, regimen_id=first.id, kind="dose", due_on=date(2027, 5, 10),
                        sent_on=date(2027, 5, 10), status="delivered", outcome="taken"),
            PromptFacts(id=planned_today.id, regimen_id=second.id, kind="clinic_due",
                        due_on=TODAY, sent_on=None, status="planned", outcome=None),
            PromptFacts(id=skipped.id, regimen_id=first.id, kind="dose",
                        due_on=date(2027, 6, 7), sent_on=None, status="skipped", outcome=None),
        ),
        replies=(ReplyFacts(id=reply.id, received_on=date(2027, 5, 10), outcome="taken",
                            urgent=True, read=False),),
        contacts=(ContactFacts(id=contact.id, kind="dose_given_clinic",
                               happened_on=date(2027, 6, 1), regimen_id=second.id),),
    )}  # fmt: skip


def test_the_last_text_counts_failures_in_a_row_and_ignores_texts_in_flight(database):
    patient = create_patient(database)
    _text(database, patient, "failed", datetime(2027, 7, 1, 8, 0))
    _text(database, patient, "delivered", datetime(2027, 7, 2, 8, 0), datetime(2027, 7, 2, 8, 0))
    _text(database, patient, "undelivered", datetime(2027, 7, 3, 8, 0),
          datetime(2027, 7, 3, 8, 0))  # fmt: skip
    last = _text(database, patient, "failed", datetime(2027, 7, 4, 8, 0))
    _text(database, patient, "sending", datetime(2027, 7, 5, 8, 0))
    _text(database, patient, "retry", datetime(2027, 7, 5, 9, 0))

    facts = load_facts(database, [patient.id], TODAY)[patient.id]

    assert facts.last_text == TextFacts(id=last.id, status="failed", sent_on=date(2027, 7, 4),
                                        failed_in_a_row=2)  # fmt: skip


def test_a_pause_dates_from_the_first_pause_after_it_last_ended(database):
    patient = create_patient(database, status=PatientStatus.PAUSED)
    for action, day in (("pause", 1), ("resume", 3), ("pause", 5), ("pause", 9)):
        record_change(database, None, action, patient, None, {"status": "paused"},
                      now=datetime(2027, 7, day, 12, 0))  # fmt: skip
    other = create_patient(database, status=PatientStatus.PAUSED)  # paused, nothing logged
    ended = create_patient(database, status=PatientStatus.PAUSED)
    for action, day in (("pause", 1), ("patient.opted_out_by_sms", 2)):
        record_change(database, None, action, ended, None, None,
                      now=datetime(2027, 7, day, 12, 0))  # fmt: skip

    facts = load_facts(database, [patient.id, other.id, ended.id], TODAY)

    assert facts[patient.id].paused_on == date(2027, 7, 5)
    assert facts[other.id].paused_on is None
    assert facts[ended.id].paused_on is None


def test_opt_out_discharge_and_refusal_are_uk_dates(database):
    patient = create_patient(database, status=PatientStatus.OPTED_OUT,
                             opted_out_at=datetime(2027, 6, 30, 23, 15),
                             discharged_at=datetime(2027, 1, 31, 23, 15),
                             sms_blocked_at=datetime(2027, 7, 1, 9, 0), sms_blocked_code=21610)
    facts = load_facts(database, [patient.id], TODAY)[patient.id]
    assert (facts.opted_out_on, facts.discharged_on, facts.sms_blocked_on) == (
        date(2027, 7, 1), date(2027, 1, 31), date(2027, 7, 1))
    assert (facts.regimens[0].medicine, facts.prompts, facts.last_text) == (
        "alendronic_acid_weekly", (), None)


def test_the_number_of_queries_does_not_grow_with_the_patients(database):
    def statements_for(patients: int) -> int:
        ids = []
        for _ in range(patients):
            patient = create_patient(database, status=PatientStatus.PAUSED)
            record_change(database, None, "pause", patient, None, None,
                          now=datetime(2027, 7, 1, 12, 0))  # fmt: skip
            sent_text(database, patient, [(patient.regimens[0], "dose", date(2027, 7, 5))],
                      datetime(2027, 7, 5, 7, 0))  # fmt: skip
            ids.append(patient.id)
        with counting_statements() as statements:
            facts = load_facts(database, ids, TODAY)
        assert len(facts) == patients and all(len(f.prompts) == 1 for f in facts.values())
        return len(statements)

    assert statements_for(1) == statements_for(30) == 7
    assert load_facts(database, [], TODAY) == {}


def test_uk_dates_agree_with_the_clock_every_minute_around_both_clock_changes():
    # 2027's changes: 28 March and 31 October, at 01:00 UTC; and the hours around UK midnight.
    for start in (datetime(2027, 3, 27, 0, 0), datetime(2027, 10, 30, 0, 0)):
        moments = [start + timedelta(minutes=minute) for minute in range(3 * 24 * 60)]
        assert [uk_date(moment) for moment in moments] == \
            [to_uk(moment).date() for moment in moments]  # fmt: skip
    assert uk_date(datetime(2027, 7, 1, 22, 59, 59, 999999)) == date(2027, 7, 1)
    assert uk_date(datetime(2027, 7, 1, 23, 0)) == date(2027, 7, 2)
    assert uk_date(datetime(2027, 12, 31, 23, 59, 59)) == date(2027, 12, 31)
    assert uk_date(None) is None
