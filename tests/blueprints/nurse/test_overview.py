"""The service overview: figures, KPIs, filters, sorting, pages, the lists behind the KPIs
and the CSV export of exactly the table shown."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.blueprints.nurse.rollups import add_measures
from tests.pages import error_messages, get_page
from tests.patients.factories import create_patient
from webapp.adherence.facts import KpiResult
from webapp.blueprints.nurse.overview_views import PATIENTS_PER_PAGE
from webapp.clock import uk_today
from webapp.models.staff import AuditEvent, Role

OVERVIEW = "/overview"
MET, NOT_MET, NOT_DUE = KpiResult.MET, KpiResult.NOT_MET, KpiResult.NOT_DUE


@pytest.fixture
def service(database):
    return create_fls_service(database, name="Overview FLS")


@pytest.fixture
def nurse(database, service):
    return create_staff_member(database, Role.NURSE, fls_service=service, full_name="Nia Nurse")


@pytest.fixture
def signed_in(client, nurse):
    sign_in(client, nurse)
    return client


def _table(page, caption_start: str = "Patients:") -> list[list[str]]:
    """The patients table's headings and cells as the page shows them (responsive labels off)."""
    table = next(table for table in page.select("table")
                 if table.caption.get_text(strip=True).startswith(caption_start))  # fmt: skip
    for label in table.select(".nhsuk-table__heading"):
        label.decompose()
    heads = [" ".join(th.get_text(" ").split()).split(" (sort")[0].rstrip(" ▲▼")
             for th in table.select("thead th")]  # fmt: skip
    return [heads] + [[" ".join(td.get_text(" ").split()) for td in tr.select("td")]
                      for tr in table.select("tbody tr")]  # fmt: skip


def _three_patients(database, service, nurse):
    """Adherent Ada (KPI 9 met), lapsed Bea (KPI 9 not met), new Cy (not due yet)."""
    ada = create_patient(database, service, first_name="Ada", last_name="Adams",
                         fracture_date=date(2025, 3, 10), named_nurse_id=nurse.id)  # fmt: skip
    bea = create_patient(database, service, first_name="Bea", last_name="Brown",
                         fracture_date=date(2025, 4, 2))  # fmt: skip
    cy = create_patient(database, service, first_name="Cy", last_name="Cole")
    add_measures(database, ada, pdc_365=0.92, kpi_9=MET, kpi_10=MET, kpi_11=MET,
                 prompts_asked=10, prompts_answered=9)  # fmt: skip
    add_measures(database, bea, pdc_365=0.41, persistent_12m=False, kpi_9=NOT_MET,
                 kpi_10=MET, kpi_11=NOT_MET, prompts_asked=10, prompts_answered=3)  # fmt: skip
    add_measures(database, cy, pdc_365=None, persistent_12m=None, kpi_9=NOT_DUE,
                 kpi_10=NOT_DUE, kpi_11=NOT_DUE, prompts_asked=0, prompts_answered=0)  # fmt: skip
    return ada, bea, cy


def test_the_overview_shows_the_services_figures(database, service, nurse, signed_in):
    _three_patients(database, service, nurse)
    page = get_page(signed_in, OVERVIEW)
    text = " ".join(page.get_text(" ").split())
    assert "Enrolled 3" in text and "Active 3" in text
    assert "1 of 2 (50%)" in text  # PDC 80% or more: Ada of Ada and Bea
    assert "12 of 20 (60%)" in text  # texts answered
    assert "as reported by SMS" in text
    assert "no gap over 60 days" in text
    kpis = _table(page, "FLS audit indicators")
    assert kpis[1:] == [
        ["KPI 9: Monitoring contact within 16 weeks of the fracture", "1", "2", "50%", "Amber"],
        ["KPI 10: Treatment started by the 16-week follow-up", "2", "2", "100%", "Green"],
        ["KPI 11: Still on treatment 52 weeks after the fracture", "1", "2", "50%", "Amber"],
    ]
    link = page.find("a", string="Monitoring contact within 16 weeks of the fracture")
    assert link["href"] == "/overview/kpi/9"
    assert "week 48 to week 56" in text
    assert "enrolled with a bone medicine" in text


def test_the_patients_table(database, service, nurse, signed_in):
    ada, _, _ = _three_patients(database, service, nurse)
    table = _table(get_page(signed_in, OVERVIEW))
    assert table[0][:3] == ["Name", "NHS number", "Status"]
    names = [row[0] for row in table[1:]]
    assert len(names) == 3 and names == sorted(names)
    ada_row = next(row for row in table[1:] if "Ada" in row[0])
    assert ada_row[5:10] == ["10 Mar 2025", ada_row[6], "92%", "Yes", "9 of 10"]
    assert ada_row[10:] == ["Met", "Met", "Met"]


def test_other_services_patients_never_appear(database, service, nurse, signed_in):
    other = create_patient(database, create_fls_service(database, name="Other FLS"),
                           last_name="Elsewhere")  # fmt: skip
    add_measures(database, other)
    _three_patients(database, service, nurse)
    assert "Elsewhere" not in get_page(signed_in, OVERVIEW).get_text()
    assert "Elsewhere" not in signed_in.get(OVERVIEW + ".csv").get_data(as_text=True)
    assert "Elsewhere" not in get_page(signed_in, "/overview/kpi/9").get_text()
    assert "Enrolled 3" in " ".join(get_page(signed_in, OVERVIEW).get_text(" ").split())


def test_filters_narrow_the_figures_and_the_table(database, service, nurse, signed_in):
    _three_patients(database, service, nurse)
    page = get_page(signed_in, OVERVIEW + f"?nurse={nurse.id}&fractured=2025-03")
    assert [row[0] for row in _table(page)[1:]] == ["Ada Adams"]
    text = " ".join(page.get_text(" ").split())
    assert "Counting: Named nurse: Nia Nurse; Month of fracture: March 2025." in text
    assert page.select_one("select[name=fractured] option[selected]")["value"] == "2025-03"


@pytest.mark.parametrize(("query", "message"), [
    ("medicine=aspirin", "Choose a medicine from the list"),
    ("status=asleep", "Choose a status from the list"),
    ("nurse=99999999999999999999", "Choose a nurse from the list"),
    ("fractured=2025-13", "Choose a month of fracture from the list"),
    ("enrolled=１２", "Choose a month of enrolment from the list"),
])  # fmt: skip
def test_a_bad_filter_is_a_clear_message_and_the_rest_still_shows(
    database, service, nurse, signed_in, query, message
):
    _three_patients(database, service, nurse)
    page = get_page(signed_in, f"{OVERVIEW}?{query}")
    assert error_messages(page) == [message]
    assert len(_table(page)) == 4  # the bad filter is left out: every patient still shows


def test_sorting_by_a_column(database, service, nurse, signed_in):
    _three_patients(database, service, nurse)
    page = get_page(signed_in, OVERVIEW + "?sort=pdc&order=descending")
    table = _table(page)
    assert [row[7] for row in table[1:]][:2] == ["92%", "41%"]
    header = page.select_one("th[aria-sort=descending]")
    assert "PDC, 12 months" in header.get_text()
    assert page.select_one("th[aria-sort=ascending]") is None
    assert header.a["href"].startswith("/overview?sort=pdc")
    name_link = page.select("thead th a")[0]
    assert name_link["href"] == "/overview?sort=name#patients"
    assert get_page(signed_in, OVERVIEW + "?sort=nonsense").select_one(
        "th[aria-sort=ascending]").get_text(" ", strip=True).startswith("Name")


def test_the_table_is_paged_with_a_cap(database, service, nurse, signed_in):
    for number in range(PATIENTS_PER_PAGE + 2):
        add_measures(database, create_patient(database, service, last_name=f"Pat{number:02d}"))
    assert len(_table(get_page(signed_in, OVERVIEW))) == PATIENTS_PER_PAGE + 1
    second = get_page(signed_in, OVERVIEW + "?page=2&status=active")
    assert len(_table(second)) == 3
    previous = second.select_one(".nhsuk-pagination a")["href"]
    assert "status=active" in previous and "page=1" in previous
    assert signed_in.get(OVERVIEW + "?page=7").location == "/overview?page=2"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_export_is_exactly_the_table_every_page_with_formulas_defused(
    database, service, nurse, signed_in
):
    ada, bea, cy = _three_patients(database, service, nurse)
    bea.first_name = '=HYPERLINK("http://example.com","x")'  # as older data could have it
    database.commit()
    query = "?status=active&sort=pdc&order=descending"
    shown = _table(get_page(signed_in, OVERVIEW + query))
    response = signed_in.get(OVERVIEW + ".csv" + query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="bonecheck-overview-overview-fls-')
    rows = _csv(response)
    bea_row = next(row for row in rows if "HYPERLINK" in row[0])
    assert bea_row[0] == '\'=HYPERLINK("http://example.com","x") Brown'
    assert [[cell.removeprefix("'") if "HYPERLINK" in cell else cell for cell in row]
            for row in rows] == [[cell for cell in row] for row in shown]  # fmt: skip


def test_the_export_has_every_page_and_is_audited_without_names(
    database, service, nurse, signed_in
):
    for number in range(PATIENTS_PER_PAGE + 2):
        add_measures(database, create_patient(database, service, last_name=f"Exp{number:02d}"))
    rows = _csv(signed_in.get(OVERVIEW + ".csv?status=active"))
    assert len(rows) == PATIENTS_PER_PAGE + 3  # the headings and every patient
    event = database.scalars(select(AuditEvent).where(AuditEvent.action == "export-overview")).one()
    assert event.actor_id == nurse.id
    assert event.after["rows"] == PATIENTS_PER_PAGE + 2
    assert event.after["filters"] == {"status": "active"}
    assert "Exp" not in str(event.after)


def test_an_export_with_a_bad_filter_goes_back_to_the_page_that_explains(signed_in):
    response = signed_in.get(OVERVIEW + ".csv?status=asleep")
    assert response.status_code == 302 and response.location == "/overview?status=asleep"


def test_the_list_behind_a_kpi_not_met_first(database, service, nurse, signed_in):
    _three_patients(database, service, nurse)
    page = get_page(signed_in, "/overview/kpi/9")
    heading = page.h1.get_text(strip=True)
    assert heading == "KPI 9: Monitoring contact within 16 weeks of the fracture"
    table = _table(page, "Patients counted")
    assert [row[10] for row in table[1:]] == ["Not met", "Met"]
    assert "Cole" not in page.get_text()  # not due yet: outside the denominator
    assert signed_in.get("/overview/kpi/8").status_code == 404
    assert signed_in.get("/overview/kpi/12").status_code == 404


def test_the_definitions_page_is_the_clinical_document(signed_in):
    overview = get_page(signed_in, OVERVIEW)
    link = overview.find("a", string="Every definition, with its source")
    assert link["href"] == "/overview/definitions"
    page = get_page(signed_in, link["href"])
    assert page.h1.get_text(strip=True).startswith("Adherence, the FLS audit indicators")
    text = page.get_text()
    assert "PERMISSIBLE_GAP_DAYS" in text and "awaiting clinical sign-off" in text
    assert page.select("main table.nhsuk-table")


def test_the_month_lists_run_from_the_services_first_fracture_to_this_month(
    database, service, nurse, signed_in
):
    _three_patients(database, service, nurse)  # the first fracture is in March 2025
    page = get_page(signed_in, OVERVIEW)
    months = [option["value"] for option in page.select("select[name=fractured] option")]
    assert months[0] == "" and months[-1] == "2025-03"
    assert months[1] == f"{uk_today():%Y-%m}"
    assert [option["value"] for option in page.select("select[name=enrolled] option")
            ][-1] == "2025-03"  # fmt: skip
    assert error_messages(get_page(signed_in, OVERVIEW + "?fractured=2025-02")) == [
        "Choose a month of fracture from the list"]
