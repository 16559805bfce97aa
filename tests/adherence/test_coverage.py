"""Which days a confirmed dose covers (fast, unit): each kind of dose by hand-worked example,
then the span arithmetic against a plain set of days (Hypothesis)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.adherence.builders import contact, patient, prompt, regimen, weekly
from webapp.adherence.coverage import (
    confirmed_doses,
    covers,
    days_in,
    gaps,
    is_bone_treatment,
    merge,
    read_treatment,
    subtract,
)

D = date(2026, 1, 5)


def _spans(facts):
    return read_treatment(facts, date(2027, 1, 1)).covered


def test_a_weekly_tablet_taken_covers_its_7_days():
    # Taken on 5 January: 5 to 11 January, the day after the last is 12 January.
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=[prompt(alendronate, D)])
    assert _spans(facts) == ((D, date(2026, 1, 12)),)


def test_a_missed_or_unanswered_dose_covers_nothing():
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, "MN?"))
    assert _spans(facts) == ()


def test_a_monthly_tablet_covers_to_the_same_day_next_month():
    # 31 January: to 28 February (the month's last day), so 28 days: 31 Jan .. 27 Feb.
    ibandronate = regimen("ibandronic_acid_monthly", date(2026, 1, 31))
    facts = patient(ibandronate, prompts=[prompt(ibandronate, date(2026, 1, 31))])
    assert _spans(facts) == ((date(2026, 1, 31), date(2026, 2, 28)),)


def test_a_weekly_check_in_covers_the_7_days_before_it():
    # The check-in of 12 January asks about the week just gone: 5 to 11 January.
    teriparatide = regimen("teriparatide_daily", D)
    facts = patient(teriparatide, prompts=[prompt(teriparatide, D + timedelta(7),
                                                  kind="check_in")])  # fmt: skip
    assert _spans(facts) == ((D, D + timedelta(7)),)


def test_a_daily_text_covers_its_day():
    teriparatide = regimen("teriparatide_daily", D, daily_texts=True)
    facts = patient(teriparatide, prompts=[prompt(teriparatide, D, kind="check_in")])
    assert _spans(facts) == ((D, D + timedelta(1)),)


def test_clinic_doses_cover_their_interval_however_they_are_recorded():
    # Denosumab given 5 January covers 6 months (to 5 July); zoledronic acid recorded by
    # the GP on 1 March covers 12 months; romosozumab TAKEN on 2 February covers a month.
    denosumab = regimen("denosumab_6_monthly", D, last_given_date=D)
    zoledronic = regimen("zoledronic_acid_yearly", date(2026, 3, 1))
    romosozumab = regimen("romosozumab_monthly", date(2026, 2, 2))
    facts = patient(
        denosumab, zoledronic, romosozumab,
        prompts=[prompt(romosozumab, date(2026, 2, 2), kind="clinic_due")],
        contacts=[contact("dose_given_gp", date(2026, 3, 1), zoledronic)],
    )  # fmt: skip
    spans = {dose.span for dose in confirmed_doses(facts)}
    assert spans == {
        (D, date(2026, 7, 5)),
        (date(2026, 3, 1), date(2027, 3, 1)),
        (date(2026, 2, 2), date(2026, 3, 2)),
    }


def test_overlapping_doses_are_a_union_not_carried_forward():
    # Taken 5 and 8 January (an early dose): 5..11 and 8..14 make 5..14, 10 days, not 14.
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=[prompt(alendronate, D),
                                          prompt(alendronate, D + timedelta(3))])  # fmt: skip
    spans = _spans(facts)
    assert spans == ((D, D + timedelta(10)),)
    assert days_in(spans, D, D + timedelta(30)) == 10


def test_calcium_and_vitamin_d_covers_nothing():
    calcium = regimen("calcium_vitamin_d_daily", D, daily_texts=True)
    facts = patient(calcium, prompts=[prompt(calcium, D, kind="check_in")])
    assert not is_bone_treatment("calcium_vitamin_d_daily")
    assert is_bone_treatment("alendronic_acid_weekly")
    assert confirmed_doses(facts) == []


def test_a_dose_given_without_a_regimen_or_for_calcium_covers_nothing():
    calcium = regimen("calcium_vitamin_d_daily", D)
    facts = patient(calcium, contacts=[contact("dose_given_clinic", D),
                                       contact("dose_given_clinic", D, calcium)])  # fmt: skip
    assert confirmed_doses(facts) == []


def test_gaps_and_covers():
    spans = merge([(D, D + timedelta(7)), (D + timedelta(14), D + timedelta(21))])
    assert gaps(spans, D, D + timedelta(28)) == [(D + timedelta(7), D + timedelta(14)),
                                                 (D + timedelta(21), D + timedelta(28))]
    assert covers(spans, D + timedelta(6))
    assert not covers(spans, D + timedelta(7))


_day_offsets = st.integers(min_value=0, max_value=120)
_spans_strategy = st.lists(st.tuples(_day_offsets, st.integers(1, 40)), max_size=12)


def _as_spans(raw):
    return [(D + timedelta(start), D + timedelta(start + length)) for start, length in raw]


def _as_days(spans):
    return {first + timedelta(n) for first, after in spans for n in range((after - first).days)}


@given(_spans_strategy, _spans_strategy, _day_offsets, _day_offsets)
def test_span_arithmetic_agrees_with_sets_of_days(raw, raw_away, a, b):
    """merge, days_in, gaps and subtract say what a plain set of days says."""
    start, end = D + timedelta(min(a, b)), D + timedelta(max(a, b))
    spans, away = merge(_as_spans(raw)), merge(_as_spans(raw_away))
    days = _as_days(spans)
    window = {start + timedelta(n) for n in range((end - start).days)}
    assert all(first < after for first, after in spans)
    assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))
    assert days == _as_days(_as_spans(raw))
    assert days_in(spans, start, end) == len(days & window)
    assert _as_days(gaps(spans, start, end)) == window - days
    assert _as_days(subtract(spans, away)) == days - _as_days(away)
