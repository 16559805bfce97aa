"""The admins' figures page: each service's counts and rates, and nothing about a patient."""

from datetime import date

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.blueprints.nurse.rollups import add_measures
from tests.pages import get_page
from tests.patients.factories import create_patient
from webapp.adherence.facts import KpiResult
from webapp.models.staff import Role

FIGURES = "/admin/figures"


def test_each_services_figures_with_no_patient_detail(client, database):
    leeds = create_fls_service(database, name="Leeds FLS")
    york = create_fls_service(database, name="York FLS")
    for service, pdc, kpi in ((leeds, 0.9, KpiResult.MET), (leeds, 0.5, KpiResult.NOT_MET),
                              (york, 0.95, KpiResult.MET)):  # fmt: skip
        patient = create_patient(database, service, first_name="Priya", last_name="Private",
                                 fracture_date=date(2025, 5, 1))  # fmt: skip
        add_measures(database, patient, pdc_365=pdc, kpi_9=kpi)
    sign_in(client, create_staff_member(database, Role.ADMIN))
    page = get_page(client, FIGURES)
    rows = {row.td.get_text(" ", strip=True).removeprefix("Service "):
            " ".join(row.get_text(" ").split()) for row in page.select("tbody tr")}  # fmt: skip
    assert set(rows) == {"Leeds FLS", "York FLS"}
    assert "Enrolled 2" in rows["Leeds FLS"] and "1 of 2 (50%)" in rows["Leeds FLS"]
    assert "KPI 9 1 of 2 (50%) Amber" in rows["Leeds FLS"]
    assert "KPI 9 1 of 1 (100%) Green" in rows["York FLS"]
    text = page.get_text()
    assert "Private" not in text and "Priya" not in text and "999" not in text
    assert not page.select("main a[href^='/patients'], main a[href^='/overview']")
    assert page.select_one("nav[aria-label='Admin pages'] a[aria-current=page]").get_text(
        strip=True) == "Service figures"


def test_nurses_get_not_found(client, database):
    sign_in(client, create_staff_member(database, Role.NURSE))
    assert client.get(FIGURES).status_code == 404


def test_no_services_says_so(client, database):
    sign_in(client, create_staff_member(database, Role.ADMIN))
    assert "There are no Fracture Liaison Services yet." in get_page(client, FIGURES).get_text()
