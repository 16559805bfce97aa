"""A nurse's morning in a real browser: the worklist she lands on, a flagged patient, marking
the row handled, the service overview filtered and exported, with axe on every page and state,
charts included, and the pages as they print.
"""

import csv
from datetime import date, timedelta
from itertools import count
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.accounts.factories import PASSWORD, code_for, create_fls_service, create_staff_member
from tests.blueprints.nurse.rollups import add_measures
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import press_button, type_into
from tests.patients.factories import create_patient, regimen_entry
from tests.patients.history import add_reply
from webapp.adherence.facts import KpiResult
from webapp.adherence.refresh import refresh_patients
from webapp.clock import uk_today, utc_now
from webapp.extensions import db
from webapp.models.staff import FlsService, Role

pytestmark = pytest.mark.browser

_numbers = count(1)
# A4 at 96 dots an inch, less the printer's margins: the width the page has on paper.
PAPER_WIDTH = 720
MET, NOT_MET = KpiResult.MET, KpiResult.NOT_MET


@pytest.fixture(scope="module")
def service(live_app):
    """'Morning FLS': Flora with an urgent side effect, and a few others for the overview."""
    with live_app.app_context():
        service = create_fls_service(db.session, name=f"Morning FLS {next(_numbers)}")
        nurse = create_staff_member(db.session, Role.NURSE, email=f"named-{next(_numbers)}@nhs.net",
                                    full_name="Nat Named", fls_service=service)  # fmt: skip
        flora = create_patient(db.session, service, first_name="Flora", last_name="Flagged",
                               fracture_date=date(2025, 6, 2), named_nurse_id=nurse.id)  # fmt: skip
        # A real urgent reply, worked into the worklist by the measures as the job would.
        add_reply(db.session, flora, "My jaw hurts since Tuesday", utc_now() - timedelta(hours=2),
                  outcome="side_effect", urgent=True)  # fmt: skip
        refresh_patients(db.session, [flora.id], utc_now())
        db.session.commit()
        for number, (medicine, pdc) in enumerate((("alendronic_acid_weekly", 0.93),
                                                  ("denosumab_6_monthly", 0.81),
                                                  ("risedronate_weekly", 0.55))):  # fmt: skip
            first = uk_today() - timedelta(days=40)
            patient = create_patient(
                db.session, service, first_name="Sam", last_name=f"Steady{number}",
                fracture_date=date(2025, 7 + number, 3),
                regimens=[regimen_entry(medicine=medicine, first_dose_date=first,
                                        **({"last_given_date": first} if "denosumab" in medicine
                                           else {}))],
            )  # fmt: skip
            add_measures(db.session, patient, pdc_365=pdc, kpi_9=MET, kpi_10=MET, kpi_11=MET)
        return SimpleNamespace(id=service.id, name=service.name, flora=flora.id)


@pytest.fixture
def nurse(live_app, service):
    """A new nurse of the service for each test: a security code is accepted only once."""
    with live_app.app_context():
        staff = create_staff_member(
            db.session, Role.NURSE, email=f"morning-nurse-{next(_numbers)}@nhs.net",
            full_name="Mo Nurse", fls_service=db.session.get(FlsService, service.id),
            with_security_code=True,
        )  # fmt: skip
        return SimpleNamespace(email=staff.email, totp_secret=staff.totp_secret)


def _sign_in(page, staff) -> None:
    page.goto("/staff/sign-in")
    type_into(page, "email", staff.email)
    type_into(page, "password", PASSWORD)
    press_button(page, "main form button[type=submit]")
    assert urlsplit(page.url).path == "/staff/security-code", page.url
    type_into(page, "code", code_for(staff))
    press_button(page)


def _click(page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def test_a_nurse_finds_a_flagged_patient_records_a_call_and_marks_the_row_handled(
    page, service, nurse
):
    _sign_in(page, nurse)
    assert urlsplit(page.url).path == "/worklist"
    assert page.locator("h1").inner_text() == "Needs attention today"
    row = page.locator("tbody tr", has_text="Flora Flagged")
    assert row.locator("strong.nhsuk-tag").first.inner_text() == "Urgent"
    assert "Urgent side effect reported" in row.inner_text()
    assert_accessible(page)

    _click(page, "link", "Flora Flagged")
    assert urlsplit(page.url).path == f"/patients/{service.flora}"
    assert page.locator("h1").inner_text() == "Flora Flagged"
    _click(page, "link", "Record a contact")
    page.check("input[name=kind][value=phone_call]")
    today = uk_today()
    page.fill("[name=happened_on-day]", str(today.day))
    page.fill("[name=happened_on-month]", str(today.month))
    page.fill("[name=happened_on-year]", str(today.year))
    page.fill("[name=note]", "Rang about the jaw pain: dentist booked")
    _click(page, "button", "Record contact")
    assert "The contact has been recorded" in page.locator("main").inner_text()

    _click(page, "link", "Worklist")
    _click(page, "link", "Mark as handled for Flora Flagged")
    assert page.locator("h1").inner_text() == "Mark as handled"
    assert "Urgent side effect reported" in page.locator("main").inner_text()
    assert_accessible(page)
    _click(page, "button", "Mark as handled")
    assert page.title().startswith("Error: Mark as handled")
    assert "Enter a note of what you did" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    type_into(page, "note", "Rang her: dentist seen, carry on with the tablets")
    _click(page, "button", "Mark as handled")
    assert urlsplit(page.url).path == "/worklist"
    banner = page.locator(".nhsuk-notification-banner").inner_text()
    assert "Marked as handled" in banner and "Flora" not in banner
    assert page.locator("tbody tr", has_text="Flora Flagged").count() == 0
    assert_accessible(page)


def test_the_overview_filtered_and_exported(page, service, nurse, tmp_path):
    _sign_in(page, nurse)
    _click(page, "link", "Overview")
    assert page.locator("h1").inner_text() == "Service overview"
    assert page.locator("svg.bonecheck-chart").count() == 3
    assert_accessible(page)

    page.select_option("select[name=status]", "active")
    page.select_option("select[name=medicine]", "alendronic_acid_weekly")
    _click(page, "button", "Apply filters")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"status": ["active"], "medicine": ["alendronic_acid_weekly"]}
    shown = page.locator("table.bonecheck-dense-table tbody tr")
    assert shown.count() == 2  # Flora and Sam Steady0 take alendronic acid
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these patients as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename.startswith("bonecheck-overview-morning-fls-")
    path = tmp_path / "overview.csv"
    download.value.save_as(path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Name", "NHS number", "Status"]
    assert sorted(row[0] for row in rows[1:]) == ["Flora Flagged", "Sam Steady0"]

    # A bad filter typed into the address: a message, not a failure.
    page.goto("/overview?status=asleep")
    assert "Choose a status from the list" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)

    page.goto("/overview/definitions")
    assert page.locator("h1").inner_text().startswith("Adherence, the FLS audit indicators")
    assert_accessible(page)

    page.goto("/overview")
    _click(page, "link", "Monitoring contact within 16 weeks of the fracture")
    assert page.locator("h1").inner_text().startswith("KPI 9")
    assert page.locator("tbody tr").first.inner_text().count("Not met") >= 1
    assert_accessible(page)


def _links_written_out(page) -> list[str]:
    """Links whose address would be printed after them (the design system's `(Link: …)`)."""
    return page.evaluate("""() => [...document.querySelectorAll('main a')]
        .filter(a => getComputedStyle(a, '::after').content.includes('Link'))
        .map(a => a.textContent.trim())""")


def _cut_off(page) -> list[str]:
    """Tables and charts wider than the paper."""
    return page.evaluate("""(width) => [...document.querySelectorAll('main table, main svg')]
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .map(e => (e.querySelector('caption, title') || e).textContent.trim().slice(0, 60))""",
                         PAPER_WIDTH)  # fmt: skip


@pytest.mark.parametrize("url", ["/worklist", "/overview", "/overview/kpi/11"])
def test_the_pages_print_legibly(page, service, nurse, url):
    _sign_in(page, nurse)
    page.goto(url)
    page.set_viewport_size({"width": PAPER_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    assert _links_written_out(page) == []
    assert _cut_off(page) == []
    assert page.locator(".nhsuk-header").is_hidden()
    if url == "/overview":
        for chart in page.locator("svg.bonecheck-chart").all():
            assert chart.is_visible()
        assert page.locator("table", has_text="By medicine: the figures").is_visible()
        assert page.locator("details", has_text="How these are worked out").locator(
            "p").first.is_visible()


def test_the_admins_figures_page_is_accessible(page, live_app, service):
    with live_app.app_context():
        admin = create_staff_member(db.session, Role.ADMIN, email=f"figures-admin-{next(_numbers)}"
                                    "@nhs.net", with_security_code=True)  # fmt: skip
        staff = SimpleNamespace(email=admin.email, totp_secret=admin.totp_secret)
    _sign_in(page, staff)
    page.goto("/admin/figures")
    assert page.locator("h1").inner_text() == "Service figures"
    assert service.name in page.locator("table").inner_text()
    assert "Flagged" not in page.content()
    assert_accessible(page)
