"""Values a database cannot hold get a clear message on both databases, never a 500.

NUL in any text field (PostgreSQL cannot store it), Unicode and 5,000-digit numbers
in listing fields and imports, and staff names that are too long for a listing's
`checked_by` or would run as a formula in an export.
"""

import pytest

from tests.accounts.factories import create_staff_member, sign_in
from tests.blueprints.admin_listings.test_admin_listings import (
    TODAY,
    _csv,
    _form,
    _upload,
    _values,
)
from tests.groups.factories import create_group
from tests.pages import csrf_token, error_messages, parse_page, post_form
from webapp.models.staff import Role

NUL_MESSAGE = "has a hidden character (a null byte) that cannot be saved: type it again"
ODD_NUMBERS = ["²", "①", "１２", "9" * 5000]


@pytest.fixture
def admin(client, database):
    staff = create_staff_member(database, Role.ADMIN, full_name="Ada Admin")
    assert sign_in(client, staff).status_code == 302
    return staff


def test_a_nul_in_the_sign_in_email_is_explained(client, database):
    create_staff_member(database, email="ada@nhs.net")
    page = post_form(client, "/staff/sign-in", {"email": "ada@nhs.net\x00", "password": "x"})
    assert f"Email address {NUL_MESSAGE}" in error_messages(page)


@pytest.mark.parametrize("field", ["name", "town", "address", "what_happens", "contact_phone"])
def test_a_nul_in_any_listing_field_is_explained(client, database, admin, field):
    page = post_form(client, "/admin/support-groups/add", _form(**{field: "Durham\x00"}))
    assert any(NUL_MESSAGE in message for message in error_messages(page))


def test_a_nul_in_a_staff_name_is_explained(client, database, admin):
    data = {"full_name": "Nia\x00 Nurse", "email": "nia@nhs.net", "role": "admin",
            "fls_service_id": ""}  # fmt: skip
    page = post_form(client, "/admin/staff/add", data)
    assert f"Full name {NUL_MESSAGE}" in error_messages(page)


@pytest.mark.parametrize("typed", ODD_NUMBERS)
def test_odd_digits_in_the_meeting_date_boxes_are_explained(client, database, admin, typed):
    form = _form() | {"next_meeting_date-month": typed}
    page = post_form(client, "/admin/support-groups/add", form)
    assert "Next meeting date must be a real date" in error_messages(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("²", "Months to skip must be month names, like 'August'"),
     ("①", "Months to skip must be month names, like 'August'"),
     ("１２", "Months to skip must be month names, like 'August'"),
     ("9" * 5000, "Months with no meeting (optional) must be 100 characters or fewer")],
)  # fmt: skip
def test_odd_digits_in_months_to_skip_are_explained(client, database, admin, typed, message):
    page = post_form(client, "/admin/support-groups/add", _form(not_in_months=typed))
    assert message in error_messages(page)


@pytest.mark.parametrize(
    ("typed", "months_message", "date_message"),
    [(typed, "Months to skip must be month names", "Enter the next meeting date as day/month/year")
     for typed in ("²", "①", "１２")]
    + [("9" * 5000, "Not in months must be 100 characters or fewer",
        "Next meeting date must be 20 characters or fewer")],
)  # fmt: skip
def test_odd_digits_in_an_imported_file_are_reported_by_line(
    runner, database, tmp_path, typed, months_message, date_message
):
    path = tmp_path / "listings.csv"
    path.write_bytes(_csv(_values(not_in_months=typed), _values(name="B", next_meeting_date=typed)))
    result = runner.invoke(args=["groups", "import", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"Line 2, not_in_months: {months_message}" in result.output
    assert f"Line 3, next_meeting_date: {date_message}" in result.output
    assert "Nothing was imported" in result.output


def test_a_nul_in_an_uploaded_cell_is_refused_as_not_text(client, database, admin):
    page = parse_page(_upload(client, _csv(_values(name="Durham\x00"))))
    assert any("not a CSV text file" in message for message in error_messages(page))


def test_the_too_many_listings_message_counts_listings_not_problems(database):
    from webapp.groups.csv_io import MAX_IMPORT_ROWS, ListingRowsError, read_listings

    # Fewer rows than the limit, each with several problems: the rows are reported.
    rows = [_values(name="", town="", region="") for _ in range(MAX_IMPORT_ROWS // 2)]
    with pytest.raises(ListingRowsError) as raised:
        read_listings(_csv(*rows), TODAY)
    assert len(raised.value.problems) > MAX_IMPORT_ROWS


def test_a_staff_name_too_long_for_a_listing_is_refused(client, database, admin):
    data = {"full_name": "N" * 121, "email": "long@nhs.net", "role": "admin", "fls_service_id": ""}
    page = post_form(client, "/admin/staff/add", data)
    assert "Full name must be 120 characters or fewer" in error_messages(page)


def test_a_staff_name_that_would_run_as_a_formula_is_refused(client, database, admin):
    data = {"full_name": '=HYPERLINK("http://example.com","Click")', "email": "f@nhs.net",
            "role": "admin", "fls_service_id": ""}  # fmt: skip
    page = post_form(client, "/admin/staff/add", data)
    assert "Full name must not start with =" in error_messages(page)


def test_an_older_account_with_a_150_character_name_can_mark_a_listing_checked(
    client, database
):
    staff = create_staff_member(database, Role.ADMIN, full_name="Ada")
    staff.full_name = "A" * 150  # made before names were limited to 120 characters
    database.commit()
    sign_in(client, staff)
    group = create_group(database)
    database.commit()
    token = csrf_token(client, f"/admin/support-groups/{group.id}/edit")
    response = client.post(
        f"/admin/support-groups/{group.id}/mark-checked", data={"csrf_token": token}
    )
    assert response.status_code == 302
    database.refresh(group)
    assert group.checked_by == "A" * 120
