"""Every page says `Cache-Control: no-store`, so no answer or record stays in a browser's cache.

Walks the whole URL map as a signed-in admin who has also finished a self-check,
so every page, including ones added later, is asked for with real records.
"""

from tests.accounts.factories import sign_in
from tests.blueprints.selfcheck.journey import answer_every_question, confirm_answers
from tests.walk import make_records, make_staff_and_records, page_rules, url_for_rule

# Pages that must really have been drawn (not a redirect), so the walk cannot pass empty.
MUST_RENDER = {
    "selfcheck.age", "selfcheck.sex", "selfcheck.falls", "selfcheck.check_your_answers",
    "selfcheck.result", "selfcheck.summary", "staff_auth.account", "admin_staff.staff_list",
    "admin_staff.staff_member", "admin_staff.edit_fls_service", "admin_staff.audit_log",
    "admin_staff.download_audit_log", "admin_listings.edit_group", "admin_listings.export",
    "admin_figures.figures",
}  # fmt: skip
# A nurse's pages answer an admin 404, so they are walked again as the nurse.
NURSE_BLUEPRINTS = ("nurse", "patients")
NURSE_MUST_RENDER = {
    "nurse.worklist", "nurse.handled", "nurse.overview", "nurse.overview_csv", "nurse.kpi_list",
    "nurse.definitions_page",
    "patients.patient_list", "patients.patient_record",
}  # fmt: skip


def _walk(app, database) -> dict[str, tuple[int, str | None]]:
    admin, ids = make_records(database)
    client = app.test_client()
    sign_in(client, admin)  # signing in starts a fresh session, so before the self-check
    answer_every_question(client)
    confirm_answers(client)
    answered = {}
    for rule in page_rules(app):
        response = client.get(url_for_rule(app, rule, ids))
        response.get_data()  # read to the end: the audit log download streams from a cursor
        response.close()
        answered[rule.endpoint] = (response.status_code, response.headers.get("Cache-Control"))
    return answered


def test_every_page_is_no_store(app, database):
    answered = _walk(app, database)
    assert {endpoint for endpoint, (status, _) in answered.items() if status == 200} >= MUST_RENDER
    assert {e: seen for e, seen in answered.items() if seen[1] != "no-store"} == {}


def test_every_nurse_page_is_no_store(app, database):
    _, nurse, ids = make_staff_and_records(database)
    client = app.test_client()
    sign_in(client, nurse)
    answered = {}
    for rule in page_rules(app):
        if rule.endpoint.split(".")[0] in NURSE_BLUEPRINTS:
            response = client.get(url_for_rule(app, rule, ids))
            response.get_data()  # read to the end, as for a download
            response.close()
            answered[rule.endpoint] = (response.status_code, response.headers.get("Cache-Control"))
    assert {e for e, (status, _) in answered.items() if status == 200} >= NURSE_MUST_RENDER
    assert {e: seen for e, seen in answered.items() if seen[1] != "no-store"} == {}


def test_a_question_page_with_an_error_is_no_store(client):
    from tests.pages import submit

    response = submit(client, "/check/age", {"age": "7a"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_design_system_files_keep_their_own_caching(client):
    response = client.get("/assets/nhsuk-frontend.min.css")
    assert response.status_code == 200
    response.close()
    assert response.headers["Cache-Control"] == "public, max-age=86400"
