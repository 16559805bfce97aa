"""The patient page's follow-up parts through the real forms with CSRF on: the worklist reasons
and their "mark as handled" form, the adherence chart and figures, the timeline, the
"record a contact" page and older timeline pages; bad input is an error on the page, never a
500; another service's patient is 404; the page costs the same queries at 10 or 500 doses."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import delete, event, func, select

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import csrf_token, error_messages, get_page, post_form, submit
from tests.patients.factories import create_patient
from tests.patients.history import add_dose_history, add_reply
from webapp.adherence.refresh import refresh_patients
from webapp.blueprints.patients.follow_up import CHANGED_SINCE
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models.follow_up import Contact, PatientMeasures, WorklistHandled
from webapp.models.staff import Role

# Midday in June, UK summer time: every date the tests work out is the same wherever the
# clock stands (no midnight or clock change between two lines of a test).
NOW = datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _midday_in_june():
    with time_machine.travel(NOW):
        yield


@pytest.fixture
def nurse(client, database):
    service = create_fls_service(database, name="Follow-up FLS")
    staff = create_staff_member(database, Role.NURSE, fls_service=service, full_name="Fay Nurse")
    assert sign_in(client, staff).status_code == 302
    return staff


@pytest.fixture
def patient(database, nurse):
    """13 weeks after the fracture, the last two doses missed or unanswered and an unread
    reply: three reasons on the worklist."""
    patient = create_patient(database, nurse.fls_service, nurse, first_name="Olive",
                             fracture_date=TODAY - timedelta(weeks=13))  # fmt: skip
    add_dose_history(database, patient, 4, utc_now())
    add_reply(database, patient, "<i>Done</i> & dusted", utc_now())
    refresh_patients(database, [patient.id], utc_now())
    database.commit()
    return patient


def _date(name: str, day) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}  # fmt: skip


def _ticked(page) -> list[str]:
    return [box["value"] for box in page.select("input[name=items][checked]")]


def test_the_page_shows_the_reasons_chart_figures_and_timeline(client, nurse, patient):
    page = get_page(client, f"/patients/{patient.id}")
    attention = page.select_one(".bonecheck-attention").get_text(" ")
    for label in ("12 to 16 week contact due", "Reply to read", "Doses missed or unanswered"):
        assert label in attention
    assert len(_ticked(page)) == 3
    chart = page.select_one("svg.bonecheck-chart[role=img]")
    assert chart.title.get_text() == "Adherence by month, last 12 months"
    assert len(page.select("details table tbody tr")) == 12
    text = page.get_text(" ")
    assert "Figures worked out at" in text and "KPI 9: Monitoring contact" in text
    assert "as reported by SMS" in text
    quoted = [p.get_text() for p in page.select(".bonecheck-timeline__quoted")]
    assert "“<i>Done</i> & dusted”" in quoted  # the patient's words as text, escaped
    assert not page.select(".bonecheck-timeline i")


def test_a_patient_not_yet_worked_out_has_no_chart_and_the_page_says_so(client, database,
                                                                         nurse):
    fresh = create_patient(database, nurse.fls_service, nurse, first_name="Nell")
    # Enrolling works the figures out at once; a rollup lost or not yet made is shown so.
    database.execute(delete(PatientMeasures).where(PatientMeasures.patient_id == fresh.id))
    database.commit()
    page = get_page(client, f"/patients/{fresh.id}")
    assert not page.select("svg.bonecheck-chart")
    assert "The figures have not been worked out yet" in page.get_text()

    refresh_patients(database, [fresh.id], utc_now())
    database.commit()
    page = get_page(client, f"/patients/{fresh.id}")
    assert page.select("svg.bonecheck-chart") and len(page.select("details table tbody tr")) == 12
    assert "Figures worked out at 12:00 on 10 June 2026 (UK time), the chart's included" in \
        page.get_text(" ")  # fmt: skip


def test_a_contact_is_recorded_and_shown_on_the_timeline(client, database, nurse, patient):
    url = f"/patients/{patient.id}/contacts/add"
    page = get_page(client, url)
    assert page.h1.get_text(strip=True) == "Record a contact"
    assert page.select_one("input[name=happened_on-year]")["value"] == str(TODAY.year)
    assert page.select_one("input[name=regimen_id][checked]")["value"] == ""
    response = submit(client, url, {"kind": "phone_call", "regimen_id": "",
                                    "note": "Rang; all well", **_date("happened_on", TODAY)})
    assert response.status_code == 302
    assert response.location.endswith(f"/patients/{patient.id}")
    page = get_page(client, response.location)
    assert "The contact has been recorded" in page.get_text()
    newest = page.select_one(".bonecheck-timeline__entry").get_text(" ")
    assert "Phone call" in newest and "Rang; all well" in newest and "Fay Nurse" in newest
    assert "12 to 16 week contact due" not in page.select_one(".bonecheck-attention").get_text()


@pytest.mark.parametrize("data", [
    {},
    {"kind": "x" * 5000, "regimen_id": "99999999999999999999", "note": "a\x00b",
     "happened_on-day": "²", "happened_on-month": "①", "happened_on-year": "２０２６"},
    {"kind": "dose_given_clinic", "regimen_id": "-1", "happened_on-day": "31",
     "happened_on-month": "2", "happened_on-year": "2026"},
    {"kind": "confirmed_by_gp", "regimen_id": "1", "note": "n" * 20_000,
     **_date("happened_on", TODAY + timedelta(days=3))},
])  # fmt: skip
def test_bad_input_is_a_clear_error_and_saves_nothing(client, database, nurse, patient, data):
    page = post_form(client, f"/patients/{patient.id}/contacts/add", data)
    assert page.title.get_text().startswith("Error: Record a contact")
    assert error_messages(page)
    assert database.scalar(select(func.count()).select_from(Contact)) == 0


def test_the_contact_form_names_every_problem(client, nurse, patient):
    page = post_form(client, f"/patients/{patient.id}/contacts/add", {
        "kind": "dose_given_gp", "regimen_id": str(patient.regimens[0].id),
        **_date("happened_on", TODAY + timedelta(days=1))})  # fmt: skip
    assert error_messages(page) == [
        "Alendronic acid 70 mg is taken at home: record a dose given only for an injection "
        "or an infusion",
        "The date of the contact must be today or in the past",
    ]
    assert page.select_one("input[name=kind][checked]")["value"] == "dose_given_gp"


def test_posts_without_the_csrf_token_are_refused(client, database, nurse, patient):
    for url, data in ((f"/patients/{patient.id}/contacts/add",
                       {"kind": "visit", **_date("happened_on", TODAY)}),
                      (f"/patients/{patient.id}/handled",
                       {"items": "unread_reply:x", "note": "Done"})):  # fmt: skip
        assert client.post(url, data=data).status_code == 400
    assert database.scalar(select(func.count()).select_from(Contact)) == 0
    assert database.scalar(select(func.count()).select_from(WorklistHandled)) == 0


def test_marking_handled_needs_a_note_and_takes_the_reasons_off(client, database, nurse,
                                                                 patient):  # fmt: skip
    url = f"/patients/{patient.id}"
    ticked = _ticked(get_page(client, url))
    token = csrf_token(client, url)
    page = post_form(client, f"{url}/handled", {"csrf_token": token, "items": ticked,
                                                 "note": "   "})  # fmt: skip
    assert error_messages(page) == ["Enter a note saying what you did"]
    assert page.title.get_text().startswith("Error: Olive Example")
    reply = next(value for value in ticked if value.startswith("unread_reply:"))
    response = client.post(f"{url}/handled", data={"csrf_token": token, "items": [reply],
                                                    "note": "Read it; rang her"})  # fmt: skip
    assert response.status_code == 302
    page = get_page(client, url)
    assert _ticked(page) == [value for value in ticked if value != reply]
    handled = page.select_one(".bonecheck-timeline__entry--handled").get_text(" ")
    assert "Reply to read" in handled and "Read it; rang her" in handled
    mark = database.scalar(select(WorklistHandled))
    assert (mark.reason, mark.handled_by_id) == ("unread_reply", nurse.id)


def test_a_reason_handled_elsewhere_or_made_up_is_an_error_not_a_500(client, nurse, patient):
    url = f"/patients/{patient.id}"
    token = csrf_token(client, url)
    for items in (["unread_reply:not-a-cause"], ["x" * 5000], []):
        page = post_form(client, f"{url}/handled", {"csrf_token": token, "items": items,
                                                     "note": "Done"})  # fmt: skip
        assert error_messages(page) in ([CHANGED_SINCE],
                                        ["Select at least one reason you have handled"])


def test_older_timeline_pages_read_any_date_safely(client, nurse, patient):
    for until in ("2025-01-31", "", "²", "9999-99-99", "x" * 3000, "2999-01-01"):
        page = get_page(client, f"/patients/{patient.id}/timeline", query_string={
            "until": until})  # fmt: skip
        assert page.h1.get_text(strip=True).startswith("Timeline to")
    page = get_page(client, f"/patients/{patient.id}/timeline?until=2025-01-31")
    assert page.h1.get_text(strip=True) == "Timeline to 31 January 2025"
    assert "Nothing has happened in these 12 months." in page.get_text()


def test_another_services_patient_is_not_found_on_every_new_page(client, database, nurse):
    theirs = create_patient(database, create_fls_service(database, name="Theirs"))
    for url in (f"/patients/{theirs.id}/contacts/add", f"/patients/{theirs.id}/timeline"):
        assert client.get(url).status_code == 404
    own = create_patient(database, nurse.fls_service, nurse)
    token = csrf_token(client, f"/patients/{own.id}/contacts/add")
    for url, data in ((f"/patients/{theirs.id}/contacts/add",
                       {"kind": "visit", **_date("happened_on", TODAY)}),
                      (f"/patients/{theirs.id}/handled", {"items": "x:y", "note": "n"})):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 404
    assert database.scalar(select(func.count()).select_from(Contact)) == 0


def _queries_for(client, url: str) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        get_page(client, url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_page_costs_the_same_queries_with_10_or_500_reminders(client, database, nurse):
    few = create_patient(database, nurse.fls_service, nurse)
    many = create_patient(database, nurse.fls_service, nurse)
    add_dose_history(database, few, 10, utc_now())
    add_dose_history(database, many, 500, utc_now(), every_days=1)
    for patient in (few, many):
        add_reply(database, patient, "Taken", utc_now())
    refresh_patients(database, [few.id, many.id], utc_now())
    database.commit()
    counts = [_queries_for(client, f"/patients/{patient.id}") for patient in (few, many)]
    assert counts[0] == counts[1], counts
