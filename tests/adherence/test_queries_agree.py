"""The rows, the rollups and the overview's SQL agree with the pure measures, on generated data.

Hypothesis makes a handful of patients (statuses, fracture and enrolment times
near the UK's month edges, regimens, reminders with outcomes and the texts that
carried them, replies, contacts, a pause in the audit log) and writes them as
rows. Then, on SQLite and on PostgreSQL:

(a) load_facts returns exactly the facts built here from what was generated;
(b) after refresh_patients, the stored rollups are summarise() of those facts;
(c) service_overview's SQL aggregates equal the pure aggregations of
    webapp.adherence.measures over those summaries, for every filter.
"""

import math
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests.accounts.factories import create_staff_member
from tests.reminders.factories import create_service
from webapp.accounts.audit import record_change
from webapp.adherence.facts import (
    ContactFacts,
    PatientFacts,
    PromptFacts,
    RegimenFacts,
    ReplyFacts,
    TextFacts,
)
from webapp.adherence.loading import LAST_TEXTS, load_facts
from webapp.adherence.measures import (
    adherent_rate,
    kpi_rate,
    mean_pdc,
    persistent_rate,
    replies_rate,
)
from webapp.adherence.overview import OverviewFilters, service_overview
from webapp.adherence.refresh import refresh_patients
from webapp.adherence.summary import months_from_store, summarise
from webapp.clock import to_uk, uk_today
from webapp.models.follow_up import ContactKind, PatientMeasures, WorklistEntry
from webapp.models.patients import PatientStatus
from webapp.models.reminders import ReminderKind
from webapp.models.replies import InboundMessage
from webapp.models.staff import AuditEvent, Role
from webapp.reminders.medicines import MEDICINES

NOW = datetime(2027, 7, 20, 9, 0)
TODAY = to_uk(NOW).date()
WENT = {"sent", "delivered", "undelivered", "unknown"}
FAILED = {"failed", "undelivered"}
IN_FLIGHT = {"sending", "retry"}
# The last evening of some months, in winter and summer time: where the UK month differs
# from the UTC month.
MONTH_EDGES = [date(2026, 3, 31), date(2026, 10, 31), date(2026, 12, 31), date(2027, 3, 31),
               date(2027, 4, 30), date(2027, 6, 30), date(2026, 9, 30)]  # fmt: skip
TABLES = ("service_measures", "worklist_handled", "worklist_entry", "patient_measures", "contact",
          "reminder", "inbound_message", "sms_message", "regimen", "patient")  # fmt: skip


def _moment():
    """A naive-UTC time in the last two years, often on a month's last evening."""
    day = st.one_of(st.sampled_from(MONTH_EDGES),
                    st.integers(0, 700).map(lambda back: TODAY - timedelta(days=back)))
    clock = st.sampled_from([time(0, 30), time(9, 0), time(22, 59), time(23, 30)])
    return st.builds(datetime.combine, day, clock)


def _day(back: int = 700, ahead: int = 0):
    return st.integers(-ahead, back).map(lambda days: TODAY - timedelta(days=days))


_reminder = st.fixed_dictionaries({
    "kind": st.sampled_from([str(kind) for kind in ReminderKind]),
    "due_on": _day(400, ahead=10),
    "status": st.sampled_from(["planned", "sent", "delivered", "undelivered", "failed",
                               "expired", "skipped", "unknown", "needs_check", "sending"]),
    "outcome": st.sampled_from([None, "taken", "taken", "missed", "no_response"]),
    "text_hour": st.sampled_from([7, 23]),
    "keeps_text": st.booleans(),
})  # fmt: skip
_regimen = st.fixed_dictionaries({
    "medicine": st.sampled_from(sorted(MEDICINES)),
    "first_dose_date": _day(500, ahead=5),
    "stopped_after": st.one_of(st.none(), st.integers(0, 400)),
    "last_given_back": st.one_of(st.none(), st.integers(0, 400)),
    "daily_texts": st.booleans(),
    "reminders": st.lists(_reminder, max_size=8,
                          unique_by=lambda r: (r["kind"], r["due_on"])),
})  # fmt: skip
_patient = st.fixed_dictionaries({
    "status": st.sampled_from([str(status) for status in PatientStatus]),
    "fracture_date": st.one_of(st.none(), st.sampled_from(MONTH_EDGES), _day(500)),
    "created_at": _moment(),
    "nurse": st.sampled_from([None, 0, 1]),
    "opted_out_at": st.one_of(st.none(), _moment()),
    "paused_at": st.one_of(st.none(), _moment()),
    "regimens": st.lists(_regimen, max_size=2),
    "replies": st.lists(st.fixed_dictionaries({
        "received_at": _moment(), "urgent": st.booleans(), "read": st.booleans(),
        "outcome": st.sampled_from([None, "taken", "missed", "side_effect", "stop", "unclear"]),
    }), max_size=3),
    "contacts": st.lists(st.fixed_dictionaries({
        "kind": st.sampled_from([str(kind) for kind in ContactKind]),
        "happened_on": _day(500), "about_a_regimen": st.booleans(),
    }), max_size=2),
    "texts": st.lists(st.fixed_dictionaries({
        "status": st.sampled_from(["delivered", "failed", "undelivered", "sending", "retry",
                                   "sent"]),
        "claimed_at": _moment(), "sent": st.booleans(),
    }), max_size=3),
})  # fmt: skip


@pytest.fixture
def staff(database):
    service = create_service(database, name="Property FLS")
    nurses = [create_staff_member(database, Role.NURSE, fls_service=service) for _ in range(2)]
    return service, nurses


@settings(max_examples=12, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])  # fmt: skip
@given(specs=st.lists(_patient, min_size=1, max_size=5))
def test_rows_rollups_and_overview_agree_with_the_measures(database, staff, specs):
    service, nurses = staff
    _empty(database)
    expected = {}
    for serial, spec in enumerate(specs):
        patient_id, facts = _write_patient(database, service, nurses, serial, spec)
        expected[patient_id] = (spec, facts)
    database.flush()
    facts = {patient_id: _expected_facts(patient_id, spec, rows)
             for patient_id, (spec, rows) in expected.items()}  # fmt: skip

    assert load_facts(database, list(facts), TODAY) == facts  # (a)

    refresh_patients(database, list(facts), NOW)
    summaries = {patient_id: summarise(one, TODAY) for patient_id, one in facts.items()}
    _assert_stored(database, summaries)  # (b)

    people = {patient_id: (spec, summaries[patient_id], nurses)
              for patient_id, (spec, _) in expected.items()}  # fmt: skip
    for filters in _filters(people, nurses):  # (c)
        chosen = [p for p in people.values() if _kept(p, filters)]
        _assert_overview(service_overview(database, service.id, filters), chosen)


def _empty(database) -> None:
    for table in TABLES:
        database.execute(delete(PatientMeasures.metadata.tables[table]))
    database.execute(delete(AuditEvent).where(AuditEvent.entity_type == "patient"))


def _write_patient(database, service, nurses, serial, spec):
    """Write one generated patient's rows; returns its id and the rows' ids and values."""
    from webapp.models.follow_up import Contact
    from webapp.models.patients import Patient, Regimen
    from webapp.models.reminders import Reminder, SmsMessage

    patient = Patient(
        fls_service_id=service.id, nhs_number=f"6{serial:09d}", first_name="Prop",
        last_name=f"Patient{serial}", date_of_birth=date(1950, 1, 1),
        mobile=f"+4477009{serial:05d}", sms_consent=True, reminder_time=time(8, 0),
        status=spec["status"], fracture_date=spec["fracture_date"],
        named_nurse_id=None if spec["nurse"] is None else nurses[spec["nurse"]].id,
        opted_out_at=spec["opted_out_at"], created_at=spec["created_at"],
        updated_at=spec["created_at"],
    )  # fmt: skip
    database.add(patient)
    database.flush()
    rows = {"regimens": [], "reminders": [], "texts": [], "replies": [], "contacts": []}
    for regimen_spec in spec["regimens"]:
        first = regimen_spec["first_dose_date"]
        regimen = Regimen(
            patient_id=patient.id, medicine=regimen_spec["medicine"], first_dose_date=first,
            daily_texts=regimen_spec["daily_texts"], created_at=spec["created_at"],
            stopped_on=_after(first, regimen_spec["stopped_after"]),
            last_given_date=_back(regimen_spec["last_given_back"]),
        )  # fmt: skip
        database.add(regimen)
        database.flush()
        rows["regimens"].append(regimen)
        for reminder_spec in regimen_spec["reminders"]:
            send_at = datetime.combine(reminder_spec["due_on"], time(reminder_spec["text_hour"]))
            status = reminder_spec["status"]
            text = None
            if status in WENT | FAILED and reminder_spec["keeps_text"]:
                text = SmsMessage(patient_id=patient.id, to_number=patient.mobile, body="x",
                                  status=status, claimed_at=send_at,
                                  sent_at=send_at + timedelta(minutes=90)
                                  if status in WENT else None,
                                  status_changed_at=send_at)  # fmt: skip
                database.add(text)
                database.flush()
                rows["texts"].append(text)
            reminder = Reminder(
                patient_id=patient.id, regimen_id=regimen.id, kind=reminder_spec["kind"],
                due_on=reminder_spec["due_on"], send_at=send_at, status=status,
                status_changed_at=send_at, created_at=send_at,
                sms_message_id=text.id if text is not None else None,
                outcome=reminder_spec["outcome"] if status in WENT else None,
            )  # fmt: skip
            database.add(reminder)
            rows["reminders"].append((reminder, text))
    for text_spec in spec["texts"]:
        text = SmsMessage(patient_id=patient.id, to_number=patient.mobile, body="x",
                          status=text_spec["status"], claimed_at=text_spec["claimed_at"],
                          sent_at=text_spec["claimed_at"] if text_spec["sent"] else None,
                          status_changed_at=text_spec["claimed_at"])  # fmt: skip
        database.add(text)
        rows["texts"].append(text)
    for number, reply_spec in enumerate(spec["replies"]):
        reply = InboundMessage(
            provider_sid=f"SMprop{serial}x{number}", patient_id=patient.id,
            from_number=patient.mobile, outcome=reply_spec["outcome"],
            urgent=reply_spec["urgent"], received_at=reply_spec["received_at"],
            read_at=reply_spec["received_at"] if reply_spec["read"] else None,
        )  # fmt: skip
        database.add(reply)
        rows["replies"].append(reply)
    for contact_spec in spec["contacts"]:
        regimen = rows["regimens"][0] if rows["regimens"] and contact_spec[
            "about_a_regimen"] else None
        contact = Contact(patient_id=patient.id, kind=contact_spec["kind"],
                          happened_on=contact_spec["happened_on"],
                          regimen_id=regimen.id if regimen else None, recorded_at=NOW)
        database.add(contact)
        rows["contacts"].append(contact)
    if spec["paused_at"] is not None:
        record_change(database, None, "pause", patient, None, None, now=spec["paused_at"])
    database.flush()
    return patient.id, rows


def _after(first: date, days: int | None) -> date | None:
    return None if days is None else first + timedelta(days=days)


def _back(days: int | None) -> date | None:
    return None if days is None else TODAY - timedelta(days=days)


def _uk(moment: datetime | None) -> date | None:
    return None if moment is None else to_uk(moment).date()


def _expected_facts(patient_id: int, spec: dict, rows: dict) -> PatientFacts:
    """The facts built from what was generated, by the rules load_facts documents."""
    prompts = sorted(
        (PromptFacts(reminder.id, reminder.regimen_id, reminder.kind, reminder.due_on,
                     _uk(text.sent_at if text is not None and text.sent_at else reminder.send_at)
                     if reminder.status in WENT else None,
                     reminder.status, reminder.outcome)
         for reminder, text in rows["reminders"]
         if reminder.status != "planned" or reminder.due_on <= TODAY),
        key=lambda prompt: prompt.id,
    )  # fmt: skip
    return PatientFacts(
        id=patient_id, status=spec["status"], enrolled_on=_uk(spec["created_at"]),
        fracture_date=spec["fracture_date"],
        paused_on=_uk(spec["paused_at"]) if spec["status"] == "paused" else None,
        opted_out_on=_uk(spec["opted_out_at"]), discharged_on=None, sms_blocked_on=None,
        last_text=_expected_last_text(rows["texts"]),
        regimens=tuple(RegimenFacts(r.id, r.medicine, r.first_dose_date, None,
                                    r.last_given_date, r.stopped_on, None, r.daily_texts)
                       for r in rows["regimens"]),
        prompts=tuple(prompts),
        replies=tuple(ReplyFacts(r.id, _uk(r.received_at), r.outcome, r.urgent,
                                 r.read_at is not None) for r in rows["replies"]),
        contacts=tuple(ContactFacts(c.id, c.kind, c.happened_on, c.regimen_id)
                       for c in rows["contacts"]),
    )  # fmt: skip


def _expected_last_text(texts: list) -> TextFacts | None:
    settled = sorted((t for t in texts if t.status not in IN_FLIGHT),
                     key=lambda t: (t.claimed_at, t.id), reverse=True)[:LAST_TEXTS]
    if not settled:
        return None
    failed = 0
    for text in settled:
        if text.status not in FAILED:
            break
        failed += 1
    last = settled[0]
    return TextFacts(last.id, last.status, _uk(last.sent_at or last.claimed_at), failed)


def _assert_stored(database, summaries: dict) -> None:
    names = ("medicine", "pdc_90", "pdc_180", "pdc_365", "days_covered_365",
             "days_measured_365", "persistent_12m", "prompts_asked", "prompts_answered",
             "kpi_9", "kpi_10", "kpi_11")  # fmt: skip
    stored = {row.patient_id: row for row in database.scalars(select(PatientMeasures))}
    assert set(stored) == set(summaries)
    for patient_id, summary in summaries.items():
        row = stored[patient_id]
        assert {n: getattr(row, n) for n in names} == {n: getattr(summary, n) for n in names}
        assert row.computed_at == NOW
        # The chart's months, read back as the patient page reads them.
        assert months_from_store(row.monthly_coverage, uk_today(row.computed_at)) == \
            list(summary.months)  # fmt: skip
    entries = {(e.patient_id, e.reason, e.urgency, e.cause_key, e.detail, e.since)
               for e in database.scalars(select(WorklistEntry))}  # fmt: skip
    assert entries == {(patient_id, str(r.reason), int(r.urgency), r.cause_key, r.detail,
                        r.since)
                       for patient_id, s in summaries.items() for r in s.worklist}  # fmt: skip


def _month(day: date | None) -> str:
    return "" if day is None else f"{day.year:04d}-{day.month:02d}"


def _filters(people: dict, nurses) -> list[OverviewFilters]:
    (spec, summary, _), *_ = people.values()
    found = [OverviewFilters(), OverviewFilters(status="active"),
             OverviewFilters(named_nurse_id=nurses[0].id),
             OverviewFilters(enrolment_month=_uk(spec["created_at"]))]
    if summary.medicine is not None:
        found.append(OverviewFilters(medicine=summary.medicine, status=spec["status"]))
    if spec["fracture_date"] is not None:
        found.append(OverviewFilters(fracture_month=spec["fracture_date"]))
    return found


def _kept(person, filters: OverviewFilters) -> bool:
    spec, summary, nurses = person
    nurse_id = None if spec["nurse"] is None else nurses[spec["nurse"]].id
    return all((
        filters.medicine is None or summary.medicine == filters.medicine,
        filters.status is None or spec["status"] == filters.status,
        filters.named_nurse_id is None or nurse_id == filters.named_nurse_id,
        filters.fracture_month is None
        or _month(spec["fracture_date"]) == _month(filters.fracture_month),
        filters.enrolment_month is None
        or _month(_uk(spec["created_at"])) == _month(filters.enrolment_month),
    ))  # fmt: skip


def _pure(summaries: list) -> tuple:
    pdcs = [s.pdc_365 for s in summaries]
    return (len(summaries), adherent_rate(pdcs), mean_pdc(pdcs),
            persistent_rate(s.persistent_12m for s in summaries),
            replies_rate((s.prompts_asked, s.prompts_answered) for s in summaries))


def _same(figures: tuple, pure: tuple) -> bool:
    (count, adherent, mean, persistent, replies), (p_count, p_adh, p_mean, p_pers, p_rep) = (
        figures, pure)
    means_agree = (mean is None and p_mean is None) or (
        mean is not None and p_mean is not None and math.isclose(mean, p_mean, rel_tol=1e-9))
    return (count, adherent, persistent, replies) == (p_count, p_adh, p_pers, p_rep) and (
        means_agree)


def _assert_overview(overview, chosen: list) -> None:
    summaries = [summary for _, summary, _ in chosen]
    assert overview.enrolled == len(chosen)
    assert overview.patients_by_status == {
        str(status): Counter(spec["status"] for spec, _, _ in chosen)[str(status)]
        for status in PatientStatus}  # fmt: skip
    assert _same((overview.enrolled, overview.adherent, overview.mean_pdc, overview.persistent,
                  overview.replies), _pure(summaries))  # fmt: skip
    assert overview.kpis == {9: kpi_rate(s.kpi_9 for s in summaries),
                             10: kpi_rate(s.kpi_10 for s in summaries),
                             11: kpi_rate(s.kpi_11 for s in summaries)}  # fmt: skip
    assert overview.computed_at == (NOW if chosen else None)
    groupings = {
        "by_medicine": lambda spec, summary: summary.medicine or "",
        "by_fracture_month": lambda spec, summary: _month(spec["fracture_date"]),
        "by_enrolment_month": lambda spec, summary: _month(_uk(spec["created_at"])),
    }
    for name, key_of in groupings.items():
        groups: dict[str, list] = {}
        for spec, summary, _ in chosen:
            groups.setdefault(key_of(spec, summary), []).append(summary)
        found = {g.key: (g.patients, g.adherent, g.mean_pdc, g.persistent, g.replies)
                 for g in getattr(overview, name)}  # fmt: skip
        assert set(found) == set(groups), name
        for key, members in groups.items():
            assert _same(found[key], _pure(members)), (name, key)
