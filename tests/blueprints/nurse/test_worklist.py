"""Needs attention today: what the nurse lands on, what each row says, and marking it handled."""

from datetime import datetime

import pytest
import time_machine
from sqlalchemy import func, select

from tests.accounts.factories import PASSWORD, create_fls_service, create_staff_member, sign_in
from tests.blueprints.nurse.rollups import add_measures, add_reason
from tests.pages import csrf_token, error_messages, get_page, post_form, submit
from tests.patients.factories import create_patient
from webapp.adherence.facts import Reason
from webapp.blueprints.nurse.views import HANDLED, WORKLIST_PER_PAGE
from webapp.models.follow_up import WorklistHandled
from webapp.models.staff import AuditEvent, Role

WORKLIST = "/worklist"


@pytest.fixture
def service(database):
    return create_fls_service(database, name="Worklist FLS")


@pytest.fixture
def nurse(database, service):
    return create_staff_member(database, Role.NURSE, fls_service=service, full_name="Nia Nurse")


@pytest.fixture
def signed_in(client, nurse):
    sign_in(client, nurse)
    return client


def _rows(page) -> list[str]:
    return [" ".join(row.get_text(" ").split()) for row in page.select("table tbody tr")]


def test_a_nurse_lands_on_the_worklist_after_signing_in(client, database, nurse):
    response = sign_in(client, nurse)
    assert response.status_code == 302 and response.location == WORKLIST
    page = get_page(client, WORKLIST)
    assert page.h1.get_text(strip=True) == "Needs attention today"


def test_signing_in_from_a_link_still_goes_to_the_page_asked_for(client, database, nurse):
    first = client.get("/overview?status=active")
    assert first.location == "/staff/sign-in?next=/overview?status%3Dactive"
    response = submit(client, first.location, {"email": nurse.email, "password": PASSWORD})
    assert response.location == "/overview?status=active"


def test_most_urgent_first_each_row_saying_why(database, service, nurse, signed_in):
    routine = create_patient(database, service, first_name="Rita", last_name="Routine",
                             named_nurse_id=nurse.id)  # fmt: skip
    urgent = create_patient(database, service, first_name="Uma", last_name="Urgent")
    add_reason(database, routine, Reason.NO_REPLIES, detail="Last reply 1 May 2026")
    add_reason(database, urgent, Reason.CONTACT_DUE, detail="Week 13 after the fracture")
    add_reason(database, urgent, Reason.URGENT_SIDE_EFFECT, detail="Replied on 2 June: jaw pain")
    add_measures(database, routine)
    page = get_page(signed_in, WORKLIST)
    rows = _rows(page)
    assert len(rows) == 2
    assert rows[0].startswith("Patient Uma Urgent")
    assert "Urgent Urgent side effect reported Replied on 2 June: jaw pain" in rows[0]
    assert "12 to 16 week contact due Week 13 after the fracture" in rows[0]
    assert rows[0].index("side effect") < rows[0].index("16 week")
    assert "No reply to the last 3 texts Last reply 1 May 2026" in rows[1]
    assert "Named nurse Nia Nurse" in rows[1]
    first_row = page.select("table tbody tr")[0]
    assert first_row.select_one("strong.nhsuk-tag--red").get_text() == "Urgent"
    assert first_row.a["href"] == f"/patients/{urgent.id}"
    assert urgent.nhs_number[:3] in rows[0]


def test_other_services_patients_never_appear(database, service, signed_in):
    other = create_patient(database, create_fls_service(database, name="Other FLS"),
                           first_name="Olive", last_name="Otherservice")  # fmt: skip
    add_reason(database, other, Reason.URGENT_SIDE_EFFECT)
    page = get_page(signed_in, WORKLIST)
    assert "Otherservice" not in page.get_text()
    assert "No patients in your service need attention today." in page.get_text()


def test_only_my_patients(database, service, nurse, signed_in):
    mine = create_patient(database, service, last_name="Mine", named_nurse_id=nurse.id)
    theirs = create_patient(database, service, last_name="Theirs")
    for patient in (mine, theirs):
        add_reason(database, patient, Reason.MISSED_DOSES)
    assert len(_rows(get_page(signed_in, WORKLIST))) == 2
    rows = _rows(get_page(signed_in, WORKLIST + "?mine=yes"))
    assert len(rows) == 1 and "Mine" in rows[0]


def test_pages_are_capped_and_a_page_past_the_end_goes_to_the_last(database, service, signed_in):
    for number in range(WORKLIST_PER_PAGE + 1):
        add_reason(database, create_patient(database, service, last_name=f"Many{number:02d}"),
                   Reason.NO_REPLIES)  # fmt: skip
    first = get_page(signed_in, WORKLIST)
    assert len(_rows(first)) == WORKLIST_PER_PAGE
    assert f"Showing 1 to {WORKLIST_PER_PAGE} of {WORKLIST_PER_PAGE + 1}" in first.get_text()
    assert len(_rows(get_page(signed_in, WORKLIST + "?page=2"))) == 1
    assert signed_in.get(WORKLIST + "?page=9").location == "/worklist?page=2"
    assert signed_in.get(WORKLIST + "?per_page=100000").status_code == 200


def test_says_when_the_figures_were_worked_out_in_uk_time(client, database, service, nurse):
    patient = create_patient(database, service)
    add_reason(database, patient, Reason.NO_REPLIES)
    add_measures(database, patient, computed_at=datetime(2026, 7, 1, 9, 5))  # 10:05 BST
    with time_machine.travel(datetime(2026, 7, 1, 9, 30), tick=False):
        sign_in(client, nurse)
        text = get_page(client, WORKLIST).get_text()
        assert "Figures worked out at 10:05 today (UK time)." in text
        assert "may be out of date" not in text
    with time_machine.travel(datetime(2026, 7, 2, 11, 30), tick=False):
        sign_in(client, nurse)
        text = " ".join(get_page(client, WORKLIST).get_text().split())
        assert "Figures worked out at 10:05 on 1 July 2026 (UK time)." in text
        assert "These figures may be out of date" in text


def test_an_empty_worklist_says_so(signed_in):
    page = get_page(signed_in, WORKLIST)
    assert "No patients in your service need attention today." in page.get_text()
    assert page.select("table") == []


def _handled_url(patient, query: str = "") -> str:
    return f"/worklist/{patient.id}/handled{query}"


def test_marking_handled_lists_what_it_covers_and_takes_the_row_away(
    database, service, nurse, signed_in
):
    patient = create_patient(database, service, first_name="Hana", last_name="Handled")
    add_reason(database, patient, Reason.MISSED_DOSES, cause_key="2026-06-01",
               detail="Missed 1 and 8 June")  # fmt: skip
    add_reason(database, patient, Reason.UNREAD_REPLY, cause_key="reply-7")
    form = get_page(signed_in, _handled_url(patient, "?page=1"))
    assert form.h1.get_text(strip=True) == "Mark as handled"
    listed = [" ".join(li.get_text().split()) for li in form.select("form ~ ul li, p + ul li")]
    assert any("Doses missed or unanswered: Missed 1 and 8 June" in item for item in listed)
    assert any(item.startswith("Reply to read") for item in listed)
    response = submit(signed_in, _handled_url(patient), {
        "note": "  Rang her: restarting on Monday ",
        "item": ["missed_doses:2026-06-01", "unread_reply:reply-7"],
    })  # fmt: skip
    assert response.status_code == 302 and response.location == WORKLIST
    page = get_page(signed_in, WORKLIST)
    banner = page.select_one(".nhsuk-notification-banner").get_text()
    assert HANDLED in " ".join(banner.split())
    assert "Handled" not in banner and "Hana" not in banner
    assert "Handled" not in " ".join(_rows(page))
    marks = database.scalars(select(WorklistHandled).order_by(WorklistHandled.reason)).all()
    assert [(m.reason, m.cause_key, m.note, m.handled_by_id) for m in marks] == [
        ("missed_doses", "2026-06-01", "Rang her: restarting on Monday", nurse.id),
        ("unread_reply", "reply-7", "Rang her: restarting on Monday", nurse.id),
    ]
    event = database.scalars(
        select(AuditEvent).where(AuditEvent.action == "worklist-handled")).one()
    assert "Rang her" not in str(event.after) and "Hana" not in str(event.after)


def test_a_new_cause_brings_the_row_back(database, service, signed_in):
    patient = create_patient(database, service, last_name="Comesback")
    entry = add_reason(database, patient, Reason.UNREAD_REPLY, cause_key="reply-1")
    submit(signed_in, _handled_url(patient), {"note": "Read it", "item": "unread_reply:reply-1"})
    assert "Comesback" not in get_page(signed_in, WORKLIST).get_text()
    entry.cause_key = "reply-2"  # what the job writes when another reply comes in
    database.commit()
    assert "Comesback" in " ".join(_rows(get_page(signed_in, WORKLIST)))


def test_returns_to_the_same_page_of_the_same_list(database, service, nurse, signed_in):
    patient = create_patient(database, service, named_nurse_id=nurse.id)
    add_reason(database, patient, Reason.NO_REPLIES)
    response = submit(signed_in, _handled_url(patient, "?page=2&mine=yes"),
                      {"note": "Left a message", "item": "no_replies:first"})  # fmt: skip
    assert response.location == "/worklist?mine=yes&page=2"


@pytest.mark.parametrize(("note", "message"), [
    ("", "Enter a note of what you did"),
    ("   ", "Enter a note of what you did"),
    ("x" * 501, "What did you do? must be 500 characters or fewer"),
    ("a\x00b", "What did you do? has a hidden character (a null byte) that cannot be saved: "
               "type it again"),
])  # fmt: skip
def test_a_missing_or_unsuitable_note_is_an_error_on_the_page(
    database, service, signed_in, note, message
):
    patient = create_patient(database, service)
    add_reason(database, patient, Reason.NO_REPLIES)
    page = post_form(signed_in, _handled_url(patient), {"note": note, "item": "no_replies:first"})
    assert error_messages(page) == [message]
    assert page.title.get_text().startswith("Error: ")
    assert database.scalar(select(func.count()).select_from(WorklistHandled)) == 0


def test_what_a_colleague_already_handled_is_not_marked_again(database, service, signed_in):
    patient = create_patient(database, service)
    add_reason(database, patient, Reason.NO_REPLIES, cause_key="new")
    response = submit(signed_in, _handled_url(patient), {"note": "Rang", "item": "no_replies:old"})
    assert response.location == WORKLIST
    assert "Nothing was marked" in get_page(signed_in, WORKLIST).get_text()
    assert database.scalar(select(func.count()).select_from(WorklistHandled)) == 0


def test_another_services_patient_is_not_found(database, signed_in):
    other = create_patient(database, create_fls_service(database, name="Elsewhere FLS"))
    add_reason(database, other, Reason.NO_REPLIES)
    assert signed_in.get(_handled_url(other)).status_code == 404
    token = csrf_token(signed_in, "/staff/change-password")
    posted = signed_in.post(_handled_url(other), data={"csrf_token": token, "note": "x",
                                                       "item": "no_replies:first"})  # fmt: skip
    assert posted.status_code == 404
    assert database.scalar(select(func.count()).select_from(WorklistHandled)) == 0


def test_admins_get_not_found_on_the_nurse_pages(client, database):
    sign_in(client, create_staff_member(database, Role.ADMIN))
    for url in (WORKLIST, "/overview", "/overview.csv", "/overview/kpi/9", "/worklist/1/handled"):
        assert client.get(url).status_code == 404, url


def test_the_nurse_header_links_to_her_pages(signed_in):
    links = {a.get_text(strip=True): a["href"]
             for a in get_page(signed_in, WORKLIST).select(".nhsuk-header a")}  # fmt: skip
    assert links["Worklist"] == WORKLIST
    assert links["Overview"] == "/overview"
    assert links["Patients"] == "/patients/"

