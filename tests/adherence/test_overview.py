"""The service overview's figures and the list behind them, on SQLite and PostgreSQL."""

from datetime import date, datetime

import pytest

from tests.accounts.factories import create_staff_member
from tests.adherence.support import (
    add_measures,
    bulk_patients,
    counting_statements,
    unique_nhs_number,
)
from tests.reminders.factories import create_patient, create_service
from webapp.adherence.overview import (
    GroupFigures,
    OverviewFilters,
    Rate,
    export_rows,
    kpi_patients,
    overview_rows,
    service_overview,
    services_figures,
)
from webapp.adherence.overview_rollup import rebuild_service_measures
from webapp.adherence.overview_rows import MAX_PER_PAGE
from webapp.adherence.refresh import refresh_patients
from webapp.models.staff import Role

EVERYONE = OverviewFilters()


@pytest.fixture
def service(database):
    return create_service(database, name="Overview FLS")


@pytest.fixture
def patients(database, service):
    """Four patients of the service worked through by hand, and one of another service."""
    def patient(name, status, fracture, enrolled, **measures):
        row = create_patient(database, service=service, last_name=name, status=status,
                             fracture_date=fracture, created_at=enrolled,
                             nhs_number=unique_nhs_number())  # fmt: skip
        if measures:
            add_measures(database, row, computed_at=measures.pop("at", datetime(2027, 7, 20, 6)),
                         **measures)  # fmt: skip
        return row

    ann = patient("Ann", "active", date(2027, 1, 15), datetime(2027, 1, 20, 10, 0),
                  pdc_365=0.9, persistent_12m=True, prompts_asked=10, prompts_answered=8,
                  kpi_9="met", kpi_10="met", kpi_11="not_due")
    bob = patient("Bob", "active", date(2027, 1, 31), datetime(2027, 3, 31, 22, 59),
                  medicine="denosumab_6_monthly", pdc_365=0.8, persistent_12m=False,
                  prompts_asked=5,
                  kpi_9="not_met", kpi_10="no_treatment", kpi_11="not_met",
                  at=datetime(2027, 7, 20, 5, 0))
    cat = patient("Cat", "paused", date(2027, 2, 1), datetime(2027, 3, 31, 23, 30),
                  pdc_365=0.5, kpi_9="met", kpi_10="not_met", kpi_11="no_fracture_date")
    dan = patient("Dan", "opted_out", None, datetime(2027, 4, 2, 9, 0))  # not worked out yet
    elsewhere = create_patient(database, nhs_number=unique_nhs_number())
    add_measures(database, elsewhere, pdc_365=0.1, kpi_9="met")
    # As a refresh leaves them: the services' groups summed from the rows above.
    rebuild_service_measures(database, [service.id, elsewhere.fls_service_id])
    return ann, bob, cat, dan


def test_the_figures_are_worked_out_over_the_service_only(database, service, patients):
    overview = service_overview(database, service.id, EVERYONE)

    assert overview.patients_by_status == {"active": 2, "paused": 1, "opted_out": 1,
                                           "discharged": 0}
    assert overview.enrolled == 4
    assert overview.replies == Rate(8, 15)
    assert overview.adherent == Rate(2, 3)  # 0.8 counts: the target is 80% or more
    assert overview.mean_pdc == pytest.approx((0.9 + 0.8 + 0.5) / 3)
    assert overview.persistent == Rate(1, 2)
    assert overview.kpis == {9: Rate(2, 3), 10: Rate(1, 2), 11: Rate(0, 1)}
    assert overview.computed_at == datetime(2027, 7, 20, 5, 0)


def test_the_breakdowns_by_medicine_and_by_month(database, service, patients):
    overview = service_overview(database, service.id, EVERYONE)

    assert [(g.key, g.label, g.patients) for g in overview.by_medicine] == [
        ("alendronic_acid_weekly", overview.by_medicine[0].label, 2),
        ("denosumab_6_monthly", overview.by_medicine[1].label, 1),
        ("", "No medicine recorded", 1)]
    assert overview.by_medicine[0].adherent == Rate(1, 2)
    assert overview.by_medicine[1] == GroupFigures(
        "denosumab_6_monthly", overview.by_medicine[1].label, 1, Rate(1, 1), 0.8, Rate(0, 1),
        Rate(0, 5))
    assert [(g.key, g.label, g.patients) for g in overview.by_fracture_month] == [
        ("2027-01", "January 2027", 2), ("2027-02", "February 2027", 1),
        ("", "No date recorded", 1)]
    # 22:59 UTC on 31 March is 23:59 in the UK (March); 23:30 UTC is 00:30 on 1 April.
    assert [(g.key, g.patients) for g in overview.by_enrolment_month] == [
        ("2027-01", 1), ("2027-03", 1), ("2027-04", 2)]


@pytest.mark.parametrize("filters, expected", [
    (OverviewFilters(medicine="alendronic_acid_weekly"), ["Ann", "Cat"]),
    (OverviewFilters(status="paused"), ["Cat"]),
    (OverviewFilters(fracture_month=date(2027, 1, 31)), ["Ann", "Bob"]),
    (OverviewFilters(enrolment_month=date(2027, 4, 1)), ["Cat", "Dan"]),
    (OverviewFilters(enrolment_month=date(2027, 3, 1)), ["Bob"]),
    (OverviewFilters(medicine="denosumab_6_monthly", status="active"), ["Bob"]),
])
def test_filters_narrow_the_figures_and_the_list_alike(database, service, patients, filters,
                                                       expected):
    overview = service_overview(database, service.id, filters)
    rows, total = overview_rows(database, service.id, filters, "name", False, 1, 25)
    assert [row.name.split()[-1] for row in rows] == expected
    assert overview.enrolled == total == len(expected)


def test_the_named_nurse_filter(database, service, patients):
    nurse = create_staff_member(database, Role.NURSE)
    patients[1].named_nurse_id = nurse.id
    database.flush()
    rows, total = overview_rows(database, service.id, OverviewFilters(named_nurse_id=nurse.id),
                                "name", False, 1, 25)  # fmt: skip
    assert ([row.patient_id for row in rows], total) == ([patients[1].id], 1)
    assert rows[0].named_nurse == nurse.full_name


@pytest.mark.parametrize("sort, descending, expected", [
    ("name", False, ["Ann", "Bob", "Cat", "Dan"]),
    ("name", True, ["Dan", "Cat", "Bob", "Ann"]),
    ("pdc", True, ["Ann", "Bob", "Cat", "Dan"]),  # no PDC yet: last either way
    ("pdc", False, ["Cat", "Bob", "Ann", "Dan"]),
    ("replies", True, ["Ann", "Bob", "Dan", "Cat"]),  # ties: by id, the same way
    ("fracture", False, ["Ann", "Bob", "Cat", "Dan"]),
    ("enrolled", True, ["Dan", "Cat", "Bob", "Ann"]),
])
def test_sorting(database, service, patients, sort, descending, expected):
    rows, _ = overview_rows(database, service.id, EVERYONE, sort, descending, 1, 25)
    assert [row.name.split()[-1] for row in rows] == expected


def test_a_row_holds_the_patient_and_their_figures(database, service, patients):
    cat = patients[2]
    rows, _ = overview_rows(database, service.id, OverviewFilters(status="paused"), "name",
                            False, 1, 25)  # fmt: skip
    row = rows[0]
    assert (row.patient_id, row.nhs_number, row.status, row.medicine, row.fracture_date,
            row.enrolled_on, row.pdc_365, row.persistent_12m, row.prompts_asked,
            row.prompts_answered, row.kpi_9, row.kpi_10, row.kpi_11) == (
        cat.id, cat.nhs_number, "paused", "alendronic_acid_weekly", date(2027, 2, 1),
        date(2027, 4, 1), 0.5, None, 0, 0, "met", "not_met", "no_fracture_date")
    dan = overview_rows(database, service.id, OverviewFilters(status="opted_out"), "name",
                        False, 1, 25)[0][0]  # fmt: skip
    assert (dan.medicine, dan.pdc_365, dan.prompts_asked, dan.kpi_9) == (None, None, 0, None)


def test_an_unknown_sort_or_indicator_is_refused(database, service):
    with pytest.raises(ValueError, match="Unknown sort"):
        overview_rows(database, service.id, EVERYONE, "nhs_number; drop", False, 1, 25)
    with pytest.raises(ValueError, match="Unknown indicator"):
        kpi_patients(database, service.id, 12, EVERYONE, 1, 25)


def test_the_list_behind_an_indicator_puts_those_not_met_first(database, service, patients):
    ann, bob, cat, _ = patients
    rows, total = kpi_patients(database, service.id, 9, EVERYONE, 1, 25)
    assert ([row.patient_id for row in rows], total) == ([bob.id, ann.id, cat.id], 3)
    rows, total = kpi_patients(database, service.id, 10, EVERYONE, 1, 1)
    assert ([row.patient_id for row in rows], total) == ([cat.id], 2)


def test_pages_are_capped_and_the_export_is_every_page_in_order(database, service):
    bulk_patients(database, service, 130)
    first, total = overview_rows(database, service.id, EVERYONE, "pdc", True, 1, 1000)
    second, _ = overview_rows(database, service.id, EVERYONE, "pdc", True, 2, 1000)
    exported = list(export_rows(database, service.id, EVERYONE, "pdc", True))
    assert (len(first), len(second), total) == (MAX_PER_PAGE, 30, 130)
    assert exported == first + second


def test_admins_see_every_service_in_the_same_few_queries(database, service, patients):
    empty = create_service(database, name="An empty FLS")
    with counting_statements() as statements:
        figures = services_figures(database)
    assert len(statements) == 3  # the services (+ their districts, loaded together), figures
    by_name = {found.name: overview for found, overview in figures}
    assert by_name["Overview FLS"] == service_overview(database, service.id, EVERYONE)
    assert by_name["An empty FLS"].enrolled == 0
    assert by_name["An empty FLS"].kpis == {9: Rate(0, 0), 10: Rate(0, 0), 11: Rate(0, 0)}
    assert empty.id in {found.id for found, _ in figures}


def test_the_overview_and_its_list_cost_the_same_queries_at_10_and_1000(database):
    def statements_at(count: int, start: int) -> tuple[int, int]:
        service = create_service(database)
        bulk_patients(database, service, count, start)
        rebuild_service_measures(database, [service.id])
        with counting_statements() as statements:
            overview = service_overview(database, service.id, EVERYONE)
        with counting_statements() as listed:
            rows, total = overview_rows(database, service.id, EVERYONE, "replies", True, 2, 50)
        assert overview.enrolled == total == count
        return len(statements), len(listed)

    assert statements_at(10, 0) == statements_at(1000, 10) == (1, 2)


def test_one_patients_refresh_moves_them_between_groups_and_leaves_the_rest(
    database, service, patients
):
    ann, bob, cat, dan = patients
    # Cat (enrolled in April, UK time) is discharged and her fracture date corrected, then
    # only she is worked out again: Dan, enrolled the same month and never worked out, and
    # the others still count, each once.
    cat.status, cat.fracture_date = "discharged", date(2026, 12, 24)
    database.flush()
    refresh_patients(database, [cat.id], datetime(2027, 7, 20, 6))
    overview = service_overview(database, service.id, EVERYONE)
    assert overview.enrolled == 4
    assert overview.patients_by_status == {"active": 2, "paused": 0, "opted_out": 1,
                                           "discharged": 1}
    assert [(g.key, g.patients) for g in overview.by_fracture_month] == [
        ("2026-12", 1), ("2027-01", 2), ("", 1)]
    assert [(g.key, g.patients) for g in overview.by_enrolment_month] == [
        ("2027-01", 1), ("2027-03", 1), ("2027-04", 2)]
    discharged = service_overview(database, service.id, OverviewFilters(status="discharged"))
    assert (discharged.enrolled, overview_rows(database, service.id, OverviewFilters(
        status="discharged"), "name", False, 1, 25)[1]) == (1, 1)
