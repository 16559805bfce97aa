"""Ids and page numbers in addresses are range-checked once, for every route, on both databases."""

import pytest
from werkzeug.routing import IntegerConverter

from tests.groups.factories import create_group
from webapp.numbers import LARGEST_RECORD_ID
from webapp.urls import LARGEST_PAGE, RecordIdConverter

ABSURD_IDS = ["99999999999999999999", str(LARGEST_RECORD_ID + 1), "0", "１２", "²", "9" * 5000]


@pytest.mark.parametrize("group_id", ABSURD_IDS)
def test_an_id_no_record_could_have_is_not_found(client, database, group_id):
    assert client.get(f"/groups/{group_id}").status_code == 404
    assert client.get(f"/groups/{group_id}/next-meeting.ics").status_code == 404


def test_the_largest_id_a_record_can_have_is_looked_up(client, database):
    assert client.get(f"/groups/{LARGEST_RECORD_ID}").status_code == 404
    group = create_group(database, hidden="no")
    database.commit()
    assert client.get(f"/groups/{group.id}").status_code == 200


def test_every_int_part_of_every_route_is_a_record_id(app):
    int_parts = [
        converter
        for rule in app.url_map.iter_rules()
        for converter in rule._converters.values()
        if isinstance(converter, IntegerConverter)
    ]
    assert int_parts
    assert all(isinstance(converter, RecordIdConverter) for converter in int_parts)


@pytest.mark.parametrize("url", ["/groups/online", "/groups/regions/north-east"])
@pytest.mark.parametrize(
    ("page", "status"),
    [("99999999999999999999", 404), (str(LARGEST_PAGE + 1), 404), (str(LARGEST_PAGE), 404),
     ("²", 200), ("１２", 200), ("-3", 200), ("", 200), ("1", 200), ("9" * 5000, 404)],
)  # fmt: skip
def test_page_numbers_are_checked_before_any_query(client, database, url, page, status):
    assert client.get(url, query_string={"page": page}).status_code == status


@pytest.mark.parametrize("name", ["page", "per_page"])
def test_an_absurd_page_number_on_a_paginated_staff_list_is_not_found(client, database, name):
    from tests.accounts.factories import create_staff_member, sign_in

    sign_in(client, create_staff_member(database))
    response = client.get("/admin/audit-log", query_string={name: "9" * 30})
    assert response.status_code == 404
    assert client.get("/admin/audit-log", query_string={name: "2"}).status_code in (200, 404)
    assert client.get("/admin/audit-log").status_code == 200
