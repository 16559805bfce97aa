"""The nurse's pages cost the same number of queries with 3 patients as with 40: the page,
not just the queries under it, never reads row by row."""

import pytest
from sqlalchemy import event

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.blueprints.nurse.rollups import add_measures, add_reason
from tests.patients.factories import create_patient
from webapp.adherence.facts import Reason
from webapp.extensions import db
from webapp.models.staff import Role

PAGES = ["/worklist", "/worklist?mine=yes", "/overview", "/overview?status=active&sort=pdc",
         "/overview/kpi/9", "/overview.csv"]  # fmt: skip


def _queries(client, url: str) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
        response.get_data()
        assert response.status_code == 200, (url, response.status_code)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def _add_patients(database, service, nurse, how_many: int, start: int) -> None:
    for number in range(start, start + how_many):
        patient = create_patient(database, service, last_name=f"Count{number:03d}",
                                 named_nurse_id=nurse.id if number % 2 else None)  # fmt: skip
        add_measures(database, patient, kpi_9="not_met" if number % 3 else "met")
        add_reason(database, patient, Reason.NO_REPLIES, cause_key=f"texts-{number}")
        add_reason(database, patient, Reason.MISSED_DOSES, cause_key=f"doses-{number}")


@pytest.mark.parametrize("url", PAGES)
def test_a_page_costs_the_same_queries_for_few_patients_or_many(client, database, url):
    service = create_fls_service(database, name="Counted FLS")
    nurse = create_staff_member(database, Role.NURSE, fls_service=service)
    _add_patients(database, service, nurse, 3, 0)
    sign_in(client, nurse)
    _queries(client, url)  # counted from the second visit: one-off work after signing in is not
    few = _queries(client, url)
    _add_patients(database, service, nurse, 37, 3)
    assert _queries(client, url) == few
