"""PDC, persistence, reply rate and the service sums (fast, unit), on hand-worked examples.

Dates: the first dose is Monday 5 January 2026; weekly prompts follow on Mondays.
"""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.adherence.builders import contact, patient, prompt, regimen, weekly
from webapp.adherence.coverage import read_treatment
from webapp.adherence.facts import KpiResult, Rate
from webapp.adherence.measures import (
    ADHERENT_PDC,
    PERMISSIBLE_GAP_DAYS,
    adherent_rate,
    days_covered,
    kpi_rate,
    mean_pdc,
    pdc,
    persistence_at_12_months,
    persistent_rate,
    replies_rate,
    reply_rate,
)

D = date(2026, 1, 5)


def _weeks(n: int) -> timedelta:
    return timedelta(weeks=n)


def test_four_weekly_doses_three_taken_is_three_quarters():
    """4 weekly doses (5, 12, 19, 26 January), the third missed; today 1 February, the last
    day the fourth covers. Measured 5 Jan .. 1 Feb = 28 days; covered 3 x 7 = 21: 0.75."""
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, "TTMT"))
    today = date(2026, 2, 1)
    assert pdc(facts, today, 90) == 0.75
    assert days_covered(read_treatment(facts, today), today, 90) == (21, 28)


def test_measurement_starts_at_the_window_when_the_first_dose_is_older():
    """52 weekly prompts, the first 42 taken, the last 10 missed. Today 28 December 2026.
    The 90-day window: 30 September .. 28 December. The 42nd prompt (19 October) is the
    last taken and covers 19..25 October: 30 September .. 25 October = 26 days of 90."""
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, "T" * 42 + "M" * 10))
    today = date(2026, 12, 28)
    assert D + _weeks(41) == date(2026, 10, 19)
    assert today - timedelta(days=89) == date(2026, 9, 30)
    assert pdc(facts, today, 90) == 26 / 90


def test_a_dose_still_awaiting_its_answer_is_not_measured_yet():
    """Taken, taken, taken, then the dose of 26 January unanswered. On 26 January its days
    are not measured: 5..25 January, 21 of 21 days. Its answer settles by 29 January
    (follow-up a day later, no response a day after that, a day's grace); on 30 January,
    still unanswered, its days count: 21 covered of 5..30 January, 26 days."""
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, "TTT?"))
    assert pdc(facts, date(2026, 1, 26), 90) == 1.0
    assert pdc(facts, date(2026, 1, 29), 90) == 1.0
    assert pdc(facts, date(2026, 1, 30), 90) == 21 / 26


def test_a_prompt_that_never_went_is_not_awaited():
    """The fourth prompt was skipped (texts paused): no answer will come, so its days count
    as uncovered at once. 26 January: 21 of 22 days."""
    alendronate = regimen(first_dose_date=D)
    prompts = [*weekly(alendronate, "TTT"),
               prompt(alendronate, D + _weeks(3), None, status="skipped", sent_on=None)]
    facts = patient(alendronate, prompts=prompts)
    assert pdc(facts, date(2026, 1, 26), 90) == 21 / 22


def test_the_check_in_week_in_progress_is_not_measured_yet():
    """Teriparatide from 5 January, weekly check-ins on 12 and 19 January, both taken.
    Today 23 January: 5..18 covered (14 days); 19..23 January wait for the check-in of
    26 January, so they are not measured: 14 of 14."""
    teriparatide = regimen("teriparatide_daily", D)
    facts = patient(teriparatide, prompts=weekly(teriparatide, "TT", "check_in",
                                                 start=D + _weeks(1)))  # fmt: skip
    assert pdc(facts, date(2026, 1, 23), 90) == 1.0


def test_discharge_ends_measurement_but_a_stop_does_not():
    """Taken 5 and 12 January. Discharged on 19 January: measured 5..18 January, 14 of 14.
    Stopped on 19 January instead (still under the service): on 1 March, measured
    5 January .. 1 March = 56 days, covered 14: 0.25."""
    alendronate = regimen(first_dose_date=D)
    discharged = patient(alendronate, prompts=weekly(alendronate, "TT"), status="discharged",
                         discharged_on=date(2026, 1, 19))  # fmt: skip
    assert pdc(discharged, date(2026, 3, 1), 90) == 1.0
    stopped_regimen = regimen(first_dose_date=D, stopped_on=date(2026, 1, 19))
    stopped = patient(stopped_regimen, prompts=weekly(stopped_regimen, "TT"))
    assert pdc(stopped, date(2026, 3, 1), 90) == 14 / 56


def test_no_bone_treatment_or_nothing_yet_to_measure_is_none():
    calcium = regimen("calcium_vitamin_d_daily", D)
    assert pdc(patient(calcium), date(2026, 3, 1), 90) is None
    later = regimen(first_dose_date=date(2026, 4, 1))
    assert pdc(patient(later), date(2026, 3, 1), 90) is None


def test_a_denosumab_injection_covers_six_months():
    """Given 5 January; today 4 July (day 181 of 181 covered: 5 Jan .. 4 Jul is 181 days).
    On 5 August the 6 months ended on 4 July: 181 covered of 213 measured (5 Jan .. 5 Aug);
    the 180-day window (7 Feb .. 5 Aug): 148 covered of 180."""
    denosumab = regimen("denosumab_6_monthly", D, last_given_date=D)
    facts = patient(denosumab)
    assert pdc(facts, date(2026, 7, 4), 365) == 1.0
    assert pdc(facts, date(2026, 8, 5), 365) == 181 / 213
    assert pdc(facts, date(2026, 8, 5), 180) == 148 / 180


def test_persistence_is_unknown_until_12_months_have_passed():
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, "T" * 53))
    assert persistence_at_12_months(facts, date(2027, 1, 4)) is None
    assert persistence_at_12_months(facts, date(2027, 1, 5)) is True


def test_a_gap_of_60_days_is_permitted_and_61_is_not():
    """53 weekly prompts from 5 January 2026 (the year ends 5 January 2027). 8 missed in a
    row: a 56-day gap, no longer than 60, persistent. 9 missed in a row: 63 days, longer
    than 60, not persistent; with a permitted gap of 63 days it would be."""
    assert PERMISSIBLE_GAP_DAYS == 60
    alendronate = regimen(first_dose_date=D)
    eight = patient(alendronate, prompts=weekly(alendronate, "T" * 10 + "M" * 8 + "T" * 35))
    nine = patient(alendronate, prompts=weekly(alendronate, "T" * 10 + "M" * 9 + "T" * 34))
    today = date(2027, 2, 1)
    assert persistence_at_12_months(eight, today) is True
    assert persistence_at_12_months(nine, today) is False
    assert persistence_at_12_months(nine, today, gap_days=63) is True


def test_switching_medicine_is_not_a_stop():
    """Alendronate taken for 26 weeks (5 Jan .. 5 Jul), stopped; zoledronic acid given on
    6 July covers the next 12 months: a one-day gap, persistent."""
    alendronate = regimen(first_dose_date=D, stopped_on=D + _weeks(26))
    zoledronic = regimen("zoledronic_acid_yearly", date(2026, 7, 6),
                         last_given_date=date(2026, 7, 6))  # fmt: skip
    facts = patient(alendronate, zoledronic, prompts=weekly(alendronate, "T" * 26))
    assert persistence_at_12_months(facts, date(2027, 2, 1)) is True


def test_a_stop_with_nothing_after_is_a_trailing_gap():
    """Taken for 40 weeks, then stopped: 5 January 2027 - 12 October 2026 = 85 days uncovered."""
    stopped = regimen(first_dose_date=D, stopped_on=D + _weeks(40))
    facts = patient(stopped, prompts=weekly(stopped, "T" * 40))
    assert persistence_at_12_months(facts, date(2027, 2, 1)) is False


def test_discharge_before_12_months_leaves_persistence_unknown():
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, "T" * 20), status="discharged",
                    discharged_on=D + _weeks(20))  # fmt: skip
    assert persistence_at_12_months(facts, date(2027, 2, 1)) is None


def test_reply_rate_counts_settled_dose_prompts_of_the_last_12_months():
    """Asked: 3 taken + 1 missed + 1 no response = 5; answered 4. Not counted: the open one,
    a follow-up, a welcome, a booking note, and a taken prompt 13 months old."""
    alendronate = regimen(first_dose_date=date(2025, 1, 6))
    today = date(2026, 3, 2)
    prompts = [
        *weekly(alendronate, "TTTMN?", start=date(2026, 1, 5)),
        prompt(alendronate, date(2026, 2, 16), "no_response", kind="follow_up"),
        prompt(alendronate, date(2025, 1, 6), None, kind="welcome"),
        prompt(alendronate, date(2026, 2, 1), None, kind="book"),
        prompt(alendronate, date(2025, 2, 2), "taken"),
    ]
    assert reply_rate(patient(alendronate, prompts=prompts), today) == (5, 4)


def test_service_sums():
    # PDCs 0.8, 0.79, unknown, 1.0: 2 of 3 adherent at 80%; mean of 0.5 and 1.0 is 0.75.
    assert ADHERENT_PDC == 0.80
    assert adherent_rate([0.8, 0.79, None, 1.0]) == Rate(2, 3)
    assert mean_pdc([0.5, None, 1.0]) == 0.75
    assert mean_pdc([None]) is None
    assert persistent_rate([True, False, None, True]) == Rate(2, 3)
    assert replies_rate([(5, 4), (0, 0), (3, 1)]) == Rate(5, 8)
    results = [KpiResult.MET, KpiResult.NOT_MET, KpiResult.NOT_DUE, "met",
               KpiResult.NO_TREATMENT, KpiResult.NO_FRACTURE_DATE]  # fmt: skip
    assert kpi_rate(results) == Rate(2, 3)


def test_rate_percent():
    assert Rate(41, 52).percent == 100 * 41 / 52
    assert Rate(0, 0).percent is None


@given(
    st.text(alphabet="TMN?", max_size=60),
    st.integers(min_value=-10, max_value=500),
    st.sampled_from([90, 180, 365]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
    st.lists(st.integers(min_value=0, max_value=420), max_size=3),
)
def test_pdc_is_a_proportion_and_covered_never_exceeds_measured(
    outcomes, today_offset, days, discharged_after, clinic_days
):
    """Whatever the answers, the day and the discharge: 0 <= covered <= measured, PDC in [0, 1]."""
    alendronate = regimen(first_dose_date=D)
    denosumab = regimen("denosumab_6_monthly", D + timedelta(30))
    facts = patient(
        alendronate, denosumab, prompts=weekly(alendronate, outcomes),
        contacts=[contact("dose_given_clinic", D + timedelta(n), denosumab) for n in clinic_days],
        status="discharged" if discharged_after is not None else "active",
        discharged_on=D + timedelta(discharged_after) if discharged_after is not None else None,
    )  # fmt: skip
    today = D + timedelta(today_offset)
    covered, measured = days_covered(read_treatment(facts, today), today, days)
    assert 0 <= covered <= measured <= days
    value = pdc(facts, today, days)
    assert value is None if measured == 0 else 0 <= value <= 1
