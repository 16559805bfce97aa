"""Admin pages for support group listings: forms, hide, check, delete, upload, export."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.accounts.factories import create_staff_member, sign_in
from tests.groups.factories import create_group, listing_values
from tests.pages import csrf_token, error_messages, get_page, post_form, submit
from webapp.clock import uk_today
from webapp.groups.validation import COLUMNS
from webapp.models.groups import SupportGroup
from webapp.models.staff import AuditEvent, Role

TODAY = uk_today()
SOON = TODAY + timedelta(days=20)


def _values(**overrides) -> dict[str, str]:
    """A good listing whose dates are right for today."""
    dates = {
        "next_meeting_date": SOON.strftime("%d/%m/%Y"),
        "checked_on": TODAY.strftime("%d/%m/%Y"),
    }
    return listing_values(**{**dates, **overrides})


def _form(**overrides) -> dict[str, str]:
    """What the admin form posts: the listing's values, the meeting date in three boxes."""
    kept = ("example", "checked_by", "checked_on")
    values = {k: v for k, v in _values().items() if k not in kept}
    values = {**values, "checked": "yes", **overrides}
    return values | _date_boxes(values.pop("next_meeting_date"))


def _date_boxes(typed: str, name: str = "next_meeting_date") -> dict[str, str]:
    parts = typed.split("/") if typed else ["", "", ""]
    return dict(zip((f"{name}-day", f"{name}-month", f"{name}-year"), parts, strict=True))


@pytest.fixture
def admin(client, database):
    staff = create_staff_member(database, Role.ADMIN, full_name="Ada Admin")
    assert sign_in(client, staff).status_code == 302
    return staff


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(SupportGroup))


ADMIN_URLS = ["/admin/support-groups/", "/admin/support-groups/add",
              "/admin/support-groups/upload", "/admin/support-groups/export.csv",
              "/admin/support-groups/blank.csv", "/admin/support-groups/example.csv"]  # fmt: skip


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_people_who_are_not_signed_in_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/staff/sign-in" in response.location


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_a_nurse_cannot_reach_the_listing_pages(client, database, url):
    nurse = create_staff_member(database, Role.NURSE)
    sign_in(client, nurse)
    get_page(client, url, status=404)


def test_an_admin_adds_a_group_and_it_is_checked_and_logged(client, database, admin):
    response = submit(client, "/admin/support-groups/add", _form())
    assert response.status_code == 302, response.get_data(as_text=True)
    group = database.scalars(select(SupportGroup)).one()
    assert group.venue_district == "DH1" and group.next_meeting_on == SOON
    assert (group.checked_by, group.checked_on) == ("Ada Admin", TODAY)
    assert group.is_example is False
    actions = database.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == admin.id))
    assert list(actions) == ["create", "check"]
    listing_page = get_page(client, "/admin/support-groups/")
    assert "Durham Bone Health Group" in listing_page.get_text()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Enter the group's name"),
        ("venue_postcode", "XX1 1XX", "XX1 is not a Great Britain postcode district"),
        ("contact_phone", "0123", "Enter a UK phone number"),
        ("website", "http://example.org", "Enter a web address starting https://"),
        ("next_meeting_date", "01/01/2020", "must be today or in the future"),
        ("region", "", "Choose the region the group is in"),
        ("checked", "", "Select whether you have confirmed these details"),
    ],
)
def test_each_wrong_field_is_explained_and_nothing_is_saved(client, database, admin, field,
                                                            typed, message):  # fmt: skip
    page = post_form(client, "/admin/support-groups/add", _form(**{field: typed}))
    assert any(message in error for error in error_messages(page))
    assert page.select_one(f"#{field}-error") is not None or field in ("checked",)
    assert _count(database) == 0


@pytest.mark.parametrize(
    ("boxes", "message", "focus"),
    [
        ({"next_meeting_date-month": ""}, "Next meeting date must include a month",
         "next_meeting_date-month"),
        ({"next_meeting_date-day": "31", "next_meeting_date-month": "2"},
         "Next meeting date must be a real date", "next_meeting_date-day"),
        ({"next_meeting_date-year": "26"}, "Year must include 4 numbers",
         "next_meeting_date-year"),
    ],
)  # fmt: skip
def test_the_meeting_date_is_typed_in_three_boxes_and_each_mistake_explained(
    client, database, admin, boxes, message, focus
):
    page = post_form(client, "/admin/support-groups/add", _form(name="") | boxes)
    assert error_messages(page) == ["Enter the group's name", message]
    # The summary's link lands on the box to correct, which also shows what was typed.
    link = page.select_one(".nhsuk-error-summary a[href='#next_meeting_date']")
    assert link.get_text(strip=True) == message
    box = page.select_one("#next_meeting_date")
    assert box["name"] == focus and box.get("value", "") == boxes[focus]
    assert _count(database) == 0


def test_a_month_can_be_typed_as_a_word(client, database, admin):
    response = submit(client, "/admin/support-groups/add", _form() | {
        "next_meeting_date-month": SOON.strftime("%b")})  # fmt: skip
    assert response.status_code == 302
    assert database.scalars(select(SupportGroup)).one().next_meeting_on == SOON


def test_the_form_hint_gives_an_example_date_a_few_weeks_ahead(client, database, admin):
    hint = get_page(client, "/admin/support-groups/add").select_one("#next_meeting_date-hint")
    example = TODAY + timedelta(weeks=4)
    assert hint.get_text(strip=True) == (
        "Needed if the meetings repeat or have a start time. "
        f"For example, {example.day} {example.month} {example.year}"
    )


def test_editing_keeps_the_example_mark_and_the_check(client, database, admin):
    group = create_group(database, today=TODAY, **_values())
    database.commit()
    edit = f"/admin/support-groups/{group.id}/edit"
    page = get_page(client, edit)
    assert page.select_one("#name")["value"] == group.name
    assert [page.select_one(f"[name=next_meeting_date-{part}]")["value"]
            for part in ("day", "month", "year")] == [str(SOON.day), str(SOON.month),
                                                       str(SOON.year)]  # fmt: skip
    response = submit(client, edit, _form(cost="Free", checked="no"))
    assert response.status_code == 302
    database.refresh(group)
    assert group.cost == "Free" and group.is_example is True
    assert group.checked_by == "A. Admin"


def test_a_reference_used_by_another_listing_is_refused(client, database, admin):
    create_group(database, today=TODAY, **_values(reference="taken"))
    database.commit()
    page = post_form(client, "/admin/support-groups/add", _form(reference="taken", name="Other"))
    assert "Another listing uses this reference" in error_messages(page)


def test_hide_show_check_and_delete(client, database, admin):
    group = create_group(database, today=TODAY, **_values(checked_on="", checked_by=""))
    database.commit()
    base = f"/admin/support-groups/{group.id}"
    flags = get_page(client, "/admin/support-groups/").select(".nhsuk-tag--orange")
    assert [flag.get_text() for flag in flags] == ["Needs checking"]
    client.post(f"{base}/hide", data={"csrf_token": _token(client, f"{base}/edit")})
    database.refresh(group)
    assert group.hidden
    get_page(client, f"/groups/{group.id}", status=404)
    client.post(f"{base}/show", data={"csrf_token": _token(client, f"{base}/edit")})
    client.post(f"{base}/mark-checked", data={"csrf_token": _token(client, f"{base}/edit")})
    database.refresh(group)
    assert not group.hidden and group.checked_on == TODAY and group.checked_by == "Ada Admin"
    assert get_page(client, "/admin/support-groups/").select(".nhsuk-tag--orange") == []
    get_page(client, f"{base}/delete")
    assert submit(client, f"{base}/delete", {}).status_code == 302
    assert _count(database) == 0
    actions = list(database.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "support_group").order_by(AuditEvent.id)))  # fmt: skip
    assert actions == ["create", "hide", "show", "check", "delete"]


def test_a_post_without_the_csrf_token_changes_nothing(client, database, admin):
    group = create_group(database, today=TODAY, **_values())
    database.commit()
    client.post(f"/admin/support-groups/{group.id}/hide")
    database.refresh(group)
    assert not group.hidden


def _token(client, url):
    return csrf_token(client, url)


def _csv(*rows) -> bytes:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode("utf-8")


def _upload(client, data: bytes, name: str = "listings.csv", **kwargs):
    return submit(
        client, "/admin/support-groups/upload", {"listings": (io.BytesIO(data), name)},
        content_type="multipart/form-data", **kwargs,
    )  # fmt: skip


def test_uploading_a_good_file_imports_it(client, database, admin):
    data = _csv(_values(), _values(name="Second group"))
    response = _upload(client, data)
    assert response.status_code == 302
    assert _count(database) == 2
    page = get_page(client, "/admin/support-groups/")
    assert "2 listings added, 0 changed" in page.get_text()


def test_uploading_rows_whose_meeting_dates_passed_says_when_they_next_meet(
    client, database, admin
):
    passed = [_values(name=f"Group {n}", repeats="weekly", not_in_months="",
                      next_meeting_date=(TODAY - timedelta(days=7 * n)).strftime("%d/%m/%Y"))
              for n in range(1, 6)]  # fmt: skip
    assert _upload(client, _csv(*passed)).status_code == 302
    assert _count(database) == 5
    text = " ".join(get_page(client, "/admin/support-groups/").get_text().split())
    assert "5 listings added, 0 changed" in text
    assert (
        "5 listings had a meeting date that has passed, so the next meeting was worked out "
        f"from the repeat rule: line 2 (group-1-durham) next meets on {TODAY:%d/%m/%Y}"
    ) in text
    assert "line 4 (group-3-durham)" in text and "line 5" not in text and "and 2 more." in text


def test_uploading_a_file_with_bad_rows_lists_each_and_imports_nothing(client, database, admin):
    data = _csv(_values(), _values(name="Bad", contact_phone="123"), _values(name="Worse",
                                                                             website="ftp://x"))
    page = post_form(client, "/admin/support-groups/upload", {
        "listings": (io.BytesIO(data), "listings.csv")}, content_type="multipart/form-data")
    assert "The file has 2 problems. Nothing was imported" in error_messages(page)
    rows = [[cell.get_text(strip=True) for cell in row.select("td")]
            for row in page.select("tbody tr")]  # fmt: skip
    assert rows[0][:2] == ["3", "contact_phone"] and rows[1][:2] == ["4", "website"]
    assert _count(database) == 0


def test_uploading_a_binary_file_gets_a_clear_error(client, database, admin):
    page = post_form(client, "/admin/support-groups/upload", {
        "listings": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00binary"), "photo.csv")},
        content_type="multipart/form-data")  # fmt: skip
    assert any("not a CSV text file" in error for error in error_messages(page))
    assert _count(database) == 0


def test_uploading_a_huge_file_gets_a_clear_error(client, database, admin, app):
    data = _csv(_values()) + b"," * (app.config["MAX_CONTENT_LENGTH"] + 10)
    token = csrf_token(client, "/admin/support-groups/upload")
    # Encoded in memory: the test client would otherwise spool the big body to a
    # temporary file that nothing closes once the request is refused.
    boundary, body = encode_multipart(
        {"csrf_token": token, "listings": FileStorage(io.BytesIO(data), "listings.csv")}
    )
    response = client.post(
        "/admin/support-groups/upload", data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip
    assert response.status_code == 413
    assert "The file is too big" in response.get_data(as_text=True)
    assert _count(database) == 0


def test_the_upload_page_offers_files_to_start_from_and_the_example_imports(
    client, database, admin
):
    page = get_page(client, "/admin/support-groups/upload")
    links = {a.get_text(strip=True): a["href"] for a in page.select("main li a")}
    blank = client.get(links["Download a file with only the column names"])
    assert blank.mimetype == "text/csv" and "attachment" in blank.headers["Content-Disposition"]
    assert blank.get_data(as_text=True) == ",".join(COLUMNS) + "\r\n"
    example = client.get(links["Download a file of made-up example listings"])
    assert example.status_code == 200 and example.headers["Cache-Control"] == "no-store"
    assert _upload(client, example.data).status_code == 302
    assert "4 listings added, 0 changed" in get_page(client, "/admin/support-groups/").get_text()


def test_the_upload_page_links_to_the_guide_to_every_column(client, database, admin):
    page = get_page(client, "/admin/support-groups/upload")
    assert "docs/" not in page.find("main").get_text()  # a link, not a path in a repository
    guide = get_page(client, page.find("a", string="Read what to write in each column")["href"])
    assert guide.h1.get_text(strip=True) == "Support group listings: the CSV format"
    columns = [row.find("td").get_text(strip=True) for row in guide.select("table tbody tr")]
    assert columns[: len(COLUMNS)] and set(COLUMNS) <= {
        name for cell in columns for name in cell.replace(",", " ").split()
    }


def test_the_change_page_says_when_the_listing_was_checked_and_flags_an_old_check(
    client, database, admin
):
    old = (TODAY - timedelta(days=400)).strftime("%d/%m/%Y")
    group = create_group(database, today=TODAY, **_values(checked_on=old))
    database.commit()
    page = get_page(client, f"/admin/support-groups/{group.id}/edit")
    rows = {row.dt.get_text(strip=True): " ".join(row.dd.get_text(" ").split())
            for row in page.select("main .nhsuk-summary-list__row")}  # fmt: skip
    assert rows["Last checked"].startswith((TODAY - timedelta(days=400)).strftime("%d %B %Y"))
    assert rows["Last checked"].endswith("by A. Admin Needs checking")
    assert rows["Shown to the public"] == "Yes (an example listing)"
    assert page.find("label", string=lambda text: text and "Both in person and online" in text)


def test_uploading_nothing_asks_for_a_file(client, database, admin):
    page = post_form(client, "/admin/support-groups/upload", {})
    assert "Choose a CSV file to upload" in error_messages(page)


def test_the_export_downloads_and_imports_again(client, database, admin):
    create_group(database, today=TODAY, **_values())
    create_group(database, today=TODAY, **_values(name="Hidden group", hidden="yes"))
    database.commit()
    response = client.get("/admin/support-groups/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert len(list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))) == 2
    assert _upload(client, response.data).status_code == 302
    assert "0 listings added, 2 changed" in get_page(client, "/admin/support-groups/").get_text()
