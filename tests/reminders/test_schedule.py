"""Due dates: each schedule rule by example, then Hypothesis properties over ten years."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.reminders.medicines import MEDICINES, medicine
from webapp.reminders.schedule import add_months, check_in_dates, due_dates, next_due_date


@dataclass
class Plan:
    """A regimen as the schedule reads it (the same attributes as a Regimen row)."""

    first_dose_date: date
    end_date: date | None = None
    last_given_date: date | None = None
    stopped_on: date | None = None
    daily_texts: bool = False


FAR = date(2040, 1, 1)


def _dates(code, plan, start=None, end=FAR):
    return due_dates(plan, medicine(code), start or plan.first_dose_date, end)


def test_weekly_doses_fall_on_the_first_doses_weekday():
    thursday = date(2027, 1, 7)
    found = _dates("alendronic_acid_weekly", Plan(thursday), end=date(2027, 3, 1))
    assert found[:3] == [thursday, date(2027, 1, 14), date(2027, 1, 21)]
    assert {day.weekday() for day in found} == {3}


def test_a_31st_start_is_due_on_the_last_day_of_short_months_and_back_on_the_31st():
    found = _dates("ibandronic_acid_monthly", Plan(date(2027, 1, 31)), end=date(2027, 7, 31))
    assert found == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30),
        date(2027, 5, 31), date(2027, 6, 30), date(2027, 7, 31),
    ]  # fmt: skip


def test_a_31st_start_is_due_on_29_february_in_a_leap_year():
    found = _dates("ibandronic_acid_monthly", Plan(date(2028, 1, 31)), end=date(2028, 3, 31))
    assert found == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


def test_a_yearly_infusion_first_given_on_29_february_is_due_28_february_then_29_in_a_leap_year():
    found = _dates("zoledronic_acid_yearly", Plan(date(2028, 2, 29)), end=date(2032, 12, 31))
    assert found == [
        date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28),
        date(2032, 2, 29),
    ]  # fmt: skip


def test_a_clinic_injection_counts_from_the_last_one_given():
    plan = Plan(date(2026, 1, 10), last_given_date=date(2026, 8, 3))
    assert _dates("denosumab_6_monthly", plan, start=date(2026, 8, 1), end=date(2027, 9, 1)) == [
        date(2027, 2, 3), date(2027, 8, 3)
    ]  # fmt: skip
    assert next_due_date(plan, medicine("denosumab_6_monthly"), date(2026, 8, 4)) == date(
        2027, 2, 3
    )


def test_without_a_last_dose_given_a_clinic_injection_counts_from_the_first():
    plan = Plan(date(2026, 1, 10))
    assert _dates("denosumab_6_monthly", plan, end=date(2027, 1, 10)) == [
        date(2026, 1, 10), date(2026, 7, 10), date(2027, 1, 10)
    ]  # fmt: skip


def test_a_last_dose_given_does_not_move_tablets_taken_at_home():
    plan = Plan(date(2027, 1, 7), last_given_date=date(2027, 1, 9))
    assert _dates("alendronic_acid_weekly", plan, end=date(2027, 1, 21)) == [
        date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 21)
    ]  # fmt: skip


def test_teriparatide_stops_after_24_months():
    plan = Plan(date(2027, 1, 15))
    found = _dates("teriparatide_daily", plan)
    assert found[0] == date(2027, 1, 15)
    assert found[-1] == date(2029, 1, 14)
    assert len(found) == (date(2029, 1, 15) - date(2027, 1, 15)).days
    assert next_due_date(plan, medicine("teriparatide_daily"), date(2029, 1, 15)) is None


def test_romosozumab_stops_after_12_doses():
    found = _dates("romosozumab_monthly", Plan(date(2027, 1, 31)))
    assert len(found) == 12
    assert found[1] == date(2027, 2, 28)
    assert found[-1] == date(2027, 12, 31)


def test_romosozumab_counted_from_its_last_dose_still_stops_at_12_doses():
    plan = Plan(date(2027, 1, 31), last_given_date=date(2027, 3, 31))  # the third dose
    found = _dates("romosozumab_monthly", plan, start=date(2027, 4, 1))
    assert found[0] == date(2027, 4, 30)
    assert len(found) == 9
    late = Plan(date(2027, 1, 10), last_given_date=date(2027, 3, 24))  # the third, two weeks late
    assert _dates("romosozumab_monthly", late, start=date(2027, 3, 25))[0] == date(2027, 4, 24)


def test_the_end_date_is_the_last_day_a_dose_may_fall_on():
    plan = Plan(date(2027, 1, 7), end_date=date(2027, 1, 21))
    assert _dates("risedronate_weekly", plan)[-1] == date(2027, 1, 21)


def test_nothing_is_due_on_or_after_the_day_it_was_stopped():
    plan = Plan(date(2027, 1, 7), stopped_on=date(2027, 1, 21))
    assert _dates("risedronate_weekly", plan)[-1] == date(2027, 1, 14)
    assert next_due_date(plan, medicine("risedronate_weekly"), date(2027, 1, 15)) is None


def test_daily_medicines_check_in_weekly_unless_the_nurse_chose_daily_texts():
    entry = medicine("calcium_vitamin_d_daily")
    weekly = check_in_dates(Plan(date(2027, 1, 1)), entry, date(2027, 1, 1), date(2027, 1, 31))
    assert weekly == [date(2027, 1, 8), date(2027, 1, 15), date(2027, 1, 22), date(2027, 1, 29)]
    daily = Plan(date(2027, 1, 1), daily_texts=True)
    assert len(check_in_dates(daily, entry, date(2027, 1, 1), date(2027, 1, 31))) == 31


def test_a_weekly_check_in_stops_with_the_course():
    entry = medicine("teriparatide_daily")
    found = check_in_dates(Plan(date(2027, 1, 15)), entry, date(2027, 1, 1), FAR)
    assert found[-1] <= date(2029, 1, 14)
    assert len(found) == (date(2029, 1, 14) - date(2027, 1, 15)).days // 7


def test_add_months_clamps_to_the_months_last_day():
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)


# --- Properties: for any first dose and medicine, ten years keep the rule ---

first_doses = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
codes = st.sampled_from(sorted(MEDICINES))
TEN_YEARS = timedelta(days=3653)


def _expected_count(entry, first: date, end: date) -> int:
    """How many doses the rule gives from `first` to `end`, counted without the schedule."""
    if entry.course_months is not None:
        end = min(end, add_months(first, entry.course_months) - timedelta(days=1))
    if entry.every_days is not None:
        count = (end - first).days // entry.every_days + 1
    else:
        months = (end.year - first.year) * 12 + end.month - first.month
        if add_months(first, months) > end:
            months -= 1
        count = months // entry.every_months + 1
    return min(count, entry.course_doses or count)


@settings(max_examples=150, deadline=None)
@given(first=first_doses, code=codes)
def test_due_dates_keep_their_rule_over_ten_years_with_none_lost_or_doubled(first, code):
    entry = medicine(code)
    end = first + TEN_YEARS
    found = due_dates(Plan(first), entry, first, end)
    assert found[0] == first
    assert len(found) == _expected_count(entry, first, end)
    assert all(earlier < later for earlier, later in zip(found, found[1:], strict=False))
    for number, day in enumerate(found):
        if entry.every_days is not None:
            assert day == first + timedelta(days=number * entry.every_days)
        else:
            month_index = first.year * 12 + first.month - 1 + number * entry.every_months
            year, month = divmod(month_index, 12)
            assert (day.year, day.month) == (year, month + 1)
            assert day.day == min(first.day, calendar.monthrange(year, month + 1)[1])


@settings(max_examples=150, deadline=None)
@given(first=first_doses, code=codes, cuts=st.lists(st.integers(0, 3652), max_size=6))
def test_planning_in_pieces_finds_the_same_dates_as_planning_at_once(first, code, cuts):
    """The planner asks a window at a time: the windows together lose and double nothing."""
    entry, end = medicine(code), first + TEN_YEARS
    edges = sorted({first, *(first + timedelta(days=cut) for cut in cuts), end + timedelta(1)})
    pieces = []
    for start, stop in zip(edges, edges[1:], strict=False):
        pieces += due_dates(Plan(first), entry, start, stop - timedelta(days=1))
    assert pieces == due_dates(Plan(first), entry, first, end)


clinic_codes = st.sampled_from(sorted(code for code, e in MEDICINES.items() if e.in_clinic))


@settings(max_examples=150, deadline=None)
@given(first=first_doses, code=clinic_codes, later=st.integers(0, 1500))
def test_a_clinic_dose_is_due_a_whole_interval_after_the_last_one_given(first, code, later):
    entry = medicine(code)
    given_on = first + timedelta(days=later)
    plan = Plan(first, last_given_date=given_on)
    following = next_due_date(plan, entry, given_on + timedelta(days=1))
    if following is not None:  # None only when a course of doses is complete
        assert following == add_months(given_on, entry.every_months)
    else:
        assert entry.course_doses is not None
    assert given_on not in due_dates(plan, entry, given_on, given_on)
