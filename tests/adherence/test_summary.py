"""One patient's summary and monthly chart (fast, unit), on a hand-worked patient."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.adherence.builders import contact, patient, prompt, regimen, reply, text, weekly
from webapp.adherence.facts import KpiResult, MonthCoverage, Reason
from webapp.adherence.summary import (
    monthly_coverage,
    months_from_store,
    shown_medicine,
    stored_months,
    summarise,
)
from webapp.reminders.medicines import MEDICINES

D = date(2026, 1, 5)


def _alendronate_patient(outcomes: str, **overrides):
    alendronate = regimen(first_dose_date=D)
    return patient(alendronate, prompts=weekly(alendronate, outcomes), **overrides)


def test_summarise_puts_the_measures_together():
    """Weekly alendronate from 5 January, 4 doses: taken, taken, missed, taken. Today
    1 February: 21 of 28 days; asked 4, answered 4; fracture 1 December 2025, a call on
    1 February: KPI 9 not yet due (16 weeks is 23 March)."""
    facts = _alendronate_patient("TTMT", fracture_date=date(2025, 12, 1),
                                 contacts=[contact("phone_call", date(2026, 2, 1))])
    summary = summarise(facts, date(2026, 2, 1))
    assert summary.patient_id == facts.id
    assert summary.medicine == "alendronic_acid_weekly"
    assert summary.pdc_90 == summary.pdc_180 == summary.pdc_365 == 0.75
    assert (summary.days_covered_365, summary.days_measured_365) == (21, 28)
    assert summary.persistent_12m is None
    assert (summary.prompts_asked, summary.prompts_answered) == (4, 4)
    assert summary.kpi_9 == summary.kpi_10 == summary.kpi_11 == KpiResult.NOT_DUE
    assert summary.worklist == ()


def test_summarise_carries_the_worklist():
    """Two doses in a row missed (high), then the audit points, oldest first: fracture
    1 October 2025, so the 12-16-week contact is open from 17 December (week 11) and the
    16-week check from 14 January (week 15), with no call and no dose confirmed."""
    facts = _alendronate_patient("MM", fracture_date=date(2025, 10, 1))
    summary = summarise(facts, date(2026, 1, 20))
    assert [item.reason for item in summary.worklist] == [
        Reason.MISSED_DOSES, Reason.CONTACT_DUE, Reason.TREATMENT_CHECK_DUE]


def test_the_medicine_shown_is_the_current_bone_treatment_else_the_most_recent():
    stopped = regimen(first_dose_date=D, stopped_on=date(2026, 3, 1))
    calcium = regimen("calcium_vitamin_d_daily", D)
    zoledronic = regimen("zoledronic_acid_yearly", date(2026, 3, 1))
    today = date(2026, 4, 1)
    assert shown_medicine(patient(stopped, calcium, zoledronic), today) == "zoledronic_acid_yearly"
    assert shown_medicine(patient(stopped, calcium), today) == "calcium_vitamin_d_daily"
    assert shown_medicine(patient(stopped), today) == "alendronic_acid_weekly"
    assert shown_medicine(patient(), today) is None


def test_monthly_coverage_counts_each_calendar_month_to_today():
    """Weekly alendronate from 5 January, every dose taken to 9 February (6 doses, covering
    5 January .. 15 February), then missed. Today 10 March:
    December: nothing measured; January 5..31: 27 of 27; February: 15 of 28;
    March 1..10: 0 of 10."""
    facts = _alendronate_patient("TTTTTTMMMM")
    months = monthly_coverage(facts, date(2026, 3, 10), months=4)
    assert months == [
        MonthCoverage(date(2025, 12, 1), 0, 0),
        MonthCoverage(date(2026, 1, 1), 27, 27),
        MonthCoverage(date(2026, 2, 1), 15, 28),
        MonthCoverage(date(2026, 3, 1), 0, 10),
    ]


def test_twelve_months_by_default_oldest_first():
    facts = _alendronate_patient("T")
    months = monthly_coverage(facts, date(2026, 1, 15))
    assert len(months) == 12
    assert months[0].month == date(2025, 2, 1) and months[-1].month == date(2026, 1, 1)
    assert months[-1] == MonthCoverage(date(2026, 1, 1), 7, 11)  # 5..15 January, 5..11 covered


def test_summarise_over_a_year_of_weekly_doses():
    """A year of weekly doses, each taken: 365 of 365, persistent, asked 52 of 52 in the
    last 12 months (the one sent 5 January 2026 is more than 12 months before 6 January 2027)."""
    facts = _alendronate_patient("T" * 53)
    today = D + timedelta(days=366)
    summary = summarise(facts, today)
    assert summary.pdc_365 == 1.0
    assert summary.persistent_12m is True
    assert (summary.prompts_asked, summary.prompts_answered) == (52, 52)


_MEDICINES = st.sampled_from(sorted(MEDICINES))
_OFFSET = st.integers(min_value=-60, max_value=800)


@st.composite
def _patients(draw):
    """A patient with random regimens, answers, replies, contacts and status."""
    regimens = [
        regimen(draw(_MEDICINES), D + timedelta(draw(_OFFSET)),
                stopped_on=draw(st.one_of(st.none(), _OFFSET.map(lambda n: D + timedelta(n)))),
                last_given_date=draw(st.one_of(st.none(), _OFFSET.map(lambda n: D + timedelta(n)))),
                daily_texts=draw(st.booleans()))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    prompts = [
        prompt(reg, reg.first_dose_date + timedelta(draw(st.integers(0, 400))),
               draw(st.sampled_from(["taken", "missed", "no_response", None])),
               kind=draw(st.sampled_from(["dose", "check_in", "clinic_due", "follow_up", "book"])),
               status=draw(st.sampled_from(["delivered", "planned", "skipped", "failed"])))
        for reg in regimens for _ in range(draw(st.integers(0, 12)))
    ]  # fmt: skip
    day = _OFFSET.map(lambda n: D + timedelta(n))
    replies = [reply(draw(day), draw(st.sampled_from(["taken", "unclear", "side_effect", None])),
                     urgent=draw(st.booleans()), read=draw(st.booleans()))
               for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    kinds = st.sampled_from(["phone_call", "visit", "dose_given_clinic", "confirmed_by_gp"])
    contacts = [contact(draw(kinds), draw(day), draw(st.sampled_from([None, *regimens])))
                for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    status = draw(st.sampled_from(["active", "paused", "opted_out", "discharged"]))
    return patient(
        *regimens, prompts=prompts, replies=replies, contacts=contacts, status=status,
        fracture_date=draw(st.one_of(st.none(), day)), paused_on=draw(st.one_of(st.none(), day)),
        opted_out_on=draw(st.one_of(st.none(), day)), discharged_on=draw(st.one_of(st.none(), day)),
        sms_blocked_on=draw(st.one_of(st.none(), day)),
        last_text=draw(st.one_of(st.none(), st.builds(text, day, st.sampled_from(
            ["delivered", "failed", "undelivered"]), st.integers(0, 3)))),
    )  # fmt: skip


@given(_patients(), _OFFSET)
def test_any_patient_summarises_within_the_rollup_tables_limits(facts, today_offset):
    """Whatever the rows: PDCs are proportions, covered never exceeds measured, each reason
    appears once (worklist_entry is unique on patient and reason), keys and details fit their
    columns, the list is sorted, and every month's bar is within the month."""
    today = D + timedelta(today_offset)
    summary = summarise(facts, today)
    for value in (summary.pdc_90, summary.pdc_180, summary.pdc_365):
        assert value is None or 0 <= value <= 1
    assert 0 <= summary.days_covered_365 <= summary.days_measured_365 <= 365
    assert 0 <= summary.prompts_answered <= summary.prompts_asked
    reasons = [item.reason for item in summary.worklist]
    assert len(reasons) == len(set(reasons))
    assert all(len(item.cause_key) <= 80 and len(item.detail) <= 200 for item in summary.worklist)
    assert list(summary.worklist) == sorted(summary.worklist, key=lambda item: item.urgency)
    if facts.status == "discharged":
        assert set(reasons) <= {Reason.DENOSUMAB_STOPPED}
    for month in monthly_coverage(facts, today):
        assert 0 <= month.days_covered <= month.days_measured <= 31
    # The months stored with the rollup are the chart's, and come back from the store whole.
    assert list(summary.months) == monthly_coverage(facts, today)
    assert months_from_store(stored_months(summary.months), today) == list(summary.months)


def test_monthly_coverage_stops_at_discharge():
    """Every dose taken from 5 January; discharged on 1 March: March measures nothing."""
    facts = _alendronate_patient("T" * 10, status="discharged", discharged_on=date(2026, 3, 1))
    months = monthly_coverage(facts, date(2026, 3, 20), months=3)
    assert [(month.days_covered, month.days_measured) for month in months] == [
        (27, 27), (28, 28), (0, 0)]
