"""Admin pages for Fracture Liaison Services and the audit log (page and CSV)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import error_messages, get_page, post_form, submit
from webapp.accounts.audit import record_change
from webapp.clock import uk_today
from webapp.models.staff import AuditEvent, FlsService, Role

SERVICE = {
    "name": "Wakefield Fracture Liaison Service", "hospital": "Pinderfields Hospital",
    "phone": "01924 541000", "opening_hours": "Monday to Friday, 8am to 4pm",
    "hospital_district": "wf1", "covered_districts": "WF1, wf2 WF3", "email": "",
    "website": "https://www.midyorks.nhs.uk", "what_it_does": "Checks bones after a break",
    "hidden": "no", "checked": "yes",
}


@pytest.fixture
def admin(database):
    return create_staff_member(database, email="admin@nhs.net")


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    sign_in(client, admin)
    return client


def test_adding_a_service_stores_it_checked_and_audited(admin_client, admin, database):
    response = submit(admin_client, "/admin/fls-services/add", SERVICE)
    assert response.location == "/admin/fls-services"
    service = database.scalars(select(FlsService)).one()
    assert service.phone == "+441924541000" and service.phone_national == "01924 541000"
    assert service.covered_districts == ["WF1", "WF2", "WF3"]
    assert (service.checked_by_id, service.hospital_district) == (admin.id, "WF1")
    actions = database.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "fls_service")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "check"]
    assert "Wakefield" in get_page(admin_client, "/admin/fls-services").get_text()


def test_service_form_explains_every_mistake(admin_client, database):
    page = post_form(admin_client, "/admin/fls-services/add", {
        **SERVICE, "phone": "12", "website": "http://insecure.example", "covered_districts": "XX",
    })
    messages = error_messages(page)
    assert any("phone" in message.lower() for message in messages)
    assert any("https://" in message for message in messages)
    assert any("not postcode districts" in message for message in messages)
    assert database.scalars(select(FlsService)).all() == []


def test_editing_a_service_prefills_and_audits_the_change(admin_client, database):
    service = create_fls_service(database)
    page = get_page(admin_client, f"/admin/fls-services/{service.id}/edit")
    assert page.select_one("input[name=phone]")["value"] == service.phone_national
    response = submit(admin_client, f"/admin/fls-services/{service.id}/edit", {
        **SERVICE, "name": service.name, "hidden": "yes", "checked": "no",
    })
    assert response.status_code == 302
    database.refresh(service)
    assert service.hidden is True
    event = database.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "update" and event.after["hidden"] is True


def test_services_not_checked_for_a_year_are_flagged(admin_client, admin, database):
    today = uk_today()
    fresh = create_fls_service(database, name="Fresh service")
    stale = create_fls_service(database, name="Stale service")
    create_fls_service(database, name="Never checked service")
    fresh.checked_on, fresh.checked_by_id = today - timedelta(days=30), admin.id
    stale.checked_on, stale.checked_by_id = today - timedelta(days=400), admin.id
    database.commit()
    rows = get_page(admin_client, "/admin/fls-services").select("tbody tr")
    flagged = {
        row.select_one("a").get_text(strip=True): row.select_one(".nhsuk-tag--orange") is not None
        for row in rows
    }
    assert flagged == {"Fresh service": False, "Stale service": True,
                       "Never checked service": True}  # fmt: skip
    assert "by Alex Example" in rows[0].get_text()  # who checked it, with the date

    submit(admin_client, f"/admin/fls-services/{stale.id}/edit",
           {**SERVICE, "name": "Stale service", "checked": "yes"})  # fmt: skip
    rows = get_page(admin_client, "/admin/fls-services").select("tbody tr")
    stale_row = next(row for row in rows if "Stale service" in row.get_text())
    assert stale_row.select_one(".nhsuk-tag--orange") is None
    assert today.strftime("%d %B %Y") in stale_row.get_text()


def test_a_service_with_nurses_cannot_be_deleted(admin_client, database):
    service = create_fls_service(database)
    create_staff_member(database, Role.NURSE, fls_service=service)
    page = get_page(admin_client, f"/admin/fls-services/{service.id}/delete")
    assert "1 staff account belongs to it" in page.get_text()
    assert not page.select_one("main form")


def test_deleting_an_unused_service(admin_client, database):
    service = create_fls_service(database)
    response = submit(admin_client, f"/admin/fls-services/{service.id}/delete", {})
    assert response.location == "/admin/fls-services"
    assert database.scalars(select(FlsService)).all() == []
    assert database.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == (
        "delete"
    )


def test_audit_log_page_is_paginated_newest_first(admin_client, admin, database):
    service = create_fls_service(database)
    for number in range(60):
        record_change(database, admin, "update", service, {"name": f"n{number}"},
                      {"name": f"n{number + 1}"})
    database.commit()
    first = get_page(admin_client, "/admin/audit-log")
    rows = first.select("tbody tr")
    assert len(rows) == 50
    assert '"n60"' in rows[0].get_text()
    second = get_page(admin_client, "/admin/audit-log?page=2")
    assert len(second.select("tbody tr")) == 12  # 60 updates, the service and the admin
    capped = get_page(admin_client, "/admin/audit-log?per_page=100000")
    assert len(capped.select("tbody tr")) == 62  # under the cap of 200 a page


def test_audit_log_page_lists_each_changed_field_before_and_after(admin_client, admin, database):
    service = create_fls_service(database)
    record_change(database, admin, "update", service, {"name": "Old", "hidden": False},
                  {"name": "New", "hidden": True})  # fmt: skip
    database.commit()
    rows = get_page(admin_client, "/admin/audit-log").select("tbody tr")
    details = [" ".join(item.get_text().split()) for item in rows[0].select("td li")]
    assert details == ['Hidden from the public: No → changed to Yes',
                       'Name: "Old" → changed to "New"']
    assert f"Changed Fracture Liaison Service {service.id}" in rows[0].get_text()
    creation = next(row for row in rows
                    if f"Added Fracture Liaison Service {service.id}" in row.get_text())
    created = [" ".join(item.get_text().split()) for item in creation.select("td li")]
    assert 'Name: "Leeds Fracture Liaison Service"' in created  # a new record: its values


def test_audit_log_downloads_as_csv_with_every_row(admin_client, admin, database):
    service = create_fls_service(database)
    record_change(database, admin, "update", service, {"hidden": False}, {"hidden": True})
    database.commit()
    response = admin_client.get("/admin/audit-log/download")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    rows = [row for row in rows if row["entity_type"] == "fls_service"]
    assert [row["action"] for row in rows] == ["create", "update"]
    assert rows[0]["actor"] == "command line"
    assert rows[1]["actor"] == "admin@nhs.net"
    assert json.loads(rows[1]["before"]) == {"hidden": False}
    assert json.loads(rows[1]["after"]) == {"hidden": True}
    assert rows[1]["occurred_at_utc"].endswith("Z")
    assert json.loads(rows[0]["after"])["name"] == "Leeds Fracture Liaison Service"
    assert "password_hash" not in response.get_data(as_text=True)


def test_csv_cells_that_look_like_formulas_are_made_text(admin_client, database):
    create_staff_member(database, email="=cmd@nhs.net")
    response = admin_client.get("/admin/audit-log/download")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert all(not row["actor"].startswith("=") for row in rows)
