"""FLS-DB KPIs 9, 10 and 11 for one patient (fast, unit), on hand-worked dates.

The fracture is on 1 December 2025. 16 weeks (112 days) after it is 23 March 2026,
so KPIs 9 and 10 are due from 24 March. 52 weeks is 30 November 2026; the KPI 11
window is weeks 48 to 56, 2 November .. 28 December 2026, due from 29 December.
"""

from datetime import date, timedelta

import pytest

from tests.adherence.builders import contact, patient, prompt, regimen, reply
from webapp.adherence.facts import KpiResult
from webapp.adherence.kpis import kpi_9, kpi_10, kpi_11, year_window

FRACTURE = date(2025, 12, 1)
WEEK_16 = date(2026, 3, 23)
KPI_9_10_DUE = date(2026, 3, 24)
KPI_11_DUE = date(2026, 12, 29)
MET, NOT_MET = KpiResult.MET, KpiResult.NOT_MET


def _patient(*regimens, **rows):
    return patient(*regimens, fracture_date=FRACTURE, **rows)


def test_the_dates_of_the_points():
    assert FRACTURE + timedelta(days=112) == WEEK_16
    assert year_window(FRACTURE) == (date(2026, 11, 2), date(2026, 12, 29))


@pytest.mark.parametrize("kpi", [kpi_9, kpi_10, kpi_11])
def test_outside_the_denominator(kpi):
    """No bone treatment (calcium and vitamin D is not), no fracture date, or not yet due."""
    calcium = regimen("calcium_vitamin_d_daily", date(2026, 1, 5))
    alendronate = regimen(first_dose_date=date(2026, 1, 5))
    assert kpi(patient(fracture_date=FRACTURE), KPI_11_DUE) == KpiResult.NO_TREATMENT
    assert kpi(_patient(calcium), KPI_11_DUE) == KpiResult.NO_TREATMENT
    assert kpi(patient(alendronate), KPI_11_DUE) == KpiResult.NO_FRACTURE_DATE
    assert kpi(_patient(alendronate), WEEK_16) == KpiResult.NOT_DUE


def test_kpi_11_is_not_due_until_its_window_has_closed():
    alendronate = regimen(first_dose_date=date(2026, 1, 5))
    assert kpi_11(_patient(alendronate), date(2026, 12, 28)) == KpiResult.NOT_DUE
    assert kpi_11(_patient(alendronate), KPI_11_DUE) == NOT_MET


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (contact("phone_call", WEEK_16), MET),  # on the last day of the 16 weeks
        (contact("visit", date(2026, 1, 10)), MET),
        (contact("phone_call", KPI_9_10_DUE), NOT_MET),  # a day too late
        (contact("phone_call", date(2025, 11, 30)), NOT_MET),  # before the fracture
        (contact("confirmed_by_gp", date(2026, 1, 10)), NOT_MET),  # not a contact with them
        (reply(date(2026, 2, 1), "taken"), MET),  # an understood reply by SMS
        (reply(date(2026, 2, 1), "side_effect", urgent=True), MET),
        (reply(date(2026, 2, 1), "unclear"), NOT_MET),
        (reply(date(2026, 2, 1), "stop"), NOT_MET),
        (reply(date(2026, 2, 1), None), NOT_MET),  # ignored (an automatic reply)
    ],
)
def test_kpi_9_a_monitoring_contact_within_16_weeks(row, expected):
    alendronate = regimen(first_dose_date=date(2026, 1, 5))
    rows = {"replies": [row]} if hasattr(row, "received_on") else {"contacts": [row]}
    assert kpi_9(_patient(alendronate, **rows), KPI_9_10_DUE) == expected


def test_kpi_10_treatment_started_by_16_weeks():
    alendronate = regimen(first_dose_date=date(2026, 3, 16))
    taken_in_time = _patient(alendronate, prompts=[prompt(alendronate, WEEK_16)])
    taken_late = _patient(alendronate, prompts=[prompt(alendronate, date(2026, 3, 30))])
    missed = _patient(alendronate, prompts=[prompt(alendronate, WEEK_16, "missed")])
    assert kpi_10(taken_in_time, date(2026, 4, 1)) == MET
    assert kpi_10(taken_late, date(2026, 4, 1)) == NOT_MET
    assert kpi_10(missed, date(2026, 4, 1)) == NOT_MET


def test_kpi_10_counts_every_route_a_dose_is_confirmed():
    """A check-in on 30 March reports 23..29 March, so it confirms a dose on 23 March; a
    denosumab date last given, a GP dose given, a pharmacy confirmation all count."""
    teriparatide = regimen("teriparatide_daily", date(2026, 3, 23))
    check_in = _patient(teriparatide, prompts=[prompt(teriparatide, date(2026, 3, 30),
                                                      kind="check_in")])  # fmt: skip
    denosumab = regimen("denosumab_6_monthly", date(2026, 3, 1), last_given_date=date(2026, 3, 1))
    zoledronic = regimen("zoledronic_acid_yearly", date(2026, 3, 1))
    given = _patient(zoledronic, contacts=[contact("dose_given_gp", WEEK_16, zoledronic)])
    pharmacy = _patient(zoledronic, contacts=[contact("confirmed_by_pharmacy", WEEK_16)])
    for facts in (check_in, _patient(denosumab), given, pharmacy):
        assert kpi_10(facts, KPI_9_10_DUE) == MET


@pytest.mark.parametrize(
    ("given_on", "expected"),
    [
        # Denosumab covers 6 months from the day given: given 2 May covers to 1 November,
        # the day before the window opens; given 3 May covers 2 November, its first day.
        (date(2026, 5, 2), NOT_MET),
        (date(2026, 5, 3), MET),
        (date(2026, 12, 28), MET),  # given on the window's last day
    ],
)
def test_kpi_11_a_covered_day_in_weeks_48_to_56(given_on, expected):
    denosumab = regimen("denosumab_6_monthly", date(2026, 1, 5), last_given_date=given_on)
    assert kpi_11(_patient(denosumab), KPI_11_DUE) == expected


def test_kpi_11_a_confirmation_in_the_window():
    alendronate = regimen(first_dose_date=date(2026, 1, 5))
    inside = _patient(alendronate, contacts=[contact("confirmed_by_gp", date(2026, 12, 28))])
    after = _patient(alendronate, contacts=[contact("confirmed_by_gp", KPI_11_DUE)])
    calcium = regimen("calcium_vitamin_d_daily", date(2026, 1, 5))
    about_calcium = _patient(alendronate, calcium,
                             contacts=[contact("confirmed_by_gp", date(2026, 12, 1), calcium)])
    assert kpi_11(inside, KPI_11_DUE) == MET
    assert kpi_11(after, KPI_11_DUE) == NOT_MET
    assert kpi_11(about_calcium, KPI_11_DUE) == NOT_MET
