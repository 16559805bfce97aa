"""CSV import (all or nothing, every bad line reported) and export (the same format)."""

import csv
import io

import pytest
from sqlalchemy import func, select

from tests.groups.factories import TODAY, create_group, listing_values, online_values
from webapp.groups.csv_io import (
    MAX_IMPORT_ROWS,
    ListingFileError,
    ListingRowsError,
    export_listings,
    import_listings,
)
from webapp.groups.validation import COLUMNS
from webapp.models.groups import SupportGroup
from webapp.models.staff import AuditEvent


def _csv(*rows: dict, columns=COLUMNS) -> bytes:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return output.getvalue().encode("utf-8")


def _count(session, model=SupportGroup) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_good_file_adds_every_listing_and_logs_each(database):
    data = _csv(listing_values(), online_values())
    result = import_listings(database, data, TODAY, actor=None)
    assert (result.added, result.updated) == (2, 0)
    assert _count(database) == 2
    events = database.scalars(select(AuditEvent)).all()
    assert [event.action for event in events] == ["create", "create"]
    assert events[0].actor_email == "command line"


def test_a_file_with_bad_rows_writes_nothing_and_reports_each_line(database):
    data = _csv(
        listing_values(),
        listing_values(name="Second", contact_phone="12345"),
        online_values(website="http://insecure.example.org"),
        listing_values(name="Fourth", venue_postcode="ZZ99"),
    )
    with pytest.raises(ListingRowsError) as caught:
        import_listings(database, data, TODAY, actor=None)
    problems = [(p.line, p.column) for p in caught.value.problems]
    assert problems == [(3, "contact_phone"), (4, "website"), (5, "venue_postcode")]
    assert str(caught.value.problems[0]).startswith("Line 3, contact_phone: Enter a UK phone")
    assert _count(database) == 0


def test_a_passed_date_on_a_repeating_row_is_imported_and_reported(database):
    data = _csv(
        listing_values(next_meeting_date="15/07/2025"),  # third Tuesday, monthly, not August
        online_values(),  # meets on 01/10/2025, today: not passed
        listing_values(name="Weekly", repeats="weekly", not_in_months="",
                       next_meeting_date="26/09/2025"),  # fmt: skip
    )
    result = import_listings(database, data, TODAY, actor=None)
    assert (result.added, result.updated) == (3, 0)
    assert [(p.line, p.given.isoformat(), p.next_on.isoformat()) for p in result.passed_meetings] \
        == [(2, "2025-07-15", "2025-10-21"), (4, "2025-09-26", "2025-10-03")]  # fmt: skip
    assert str(result.passed_meetings[0]) == (
        "Line 2 (durham-bone-health-group-example): the meeting on 15/07/2025 has passed, "
        "so the next one shown is 21/10/2025, from its repeat rule"
    )


def test_a_passed_one_off_date_stops_the_import(database):
    data = _csv(listing_values(repeats="none", next_meeting_date="15/07/2025"))
    with pytest.raises(ListingRowsError) as caught:
        import_listings(database, data, TODAY, actor=None)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "next_meeting_date")]
    assert _count(database) == 0


def test_line_numbers_count_quoted_multi_line_cells(database):
    data = _csv(
        listing_values(address="Ward 1\nExample Hospital\nDurham"),
        listing_values(name="Second", cost="=1+1"),
    )
    with pytest.raises(ListingRowsError) as caught:
        import_listings(database, data, TODAY, actor=None)
    assert [(p.line, p.column) for p in caught.value.problems] == [(5, "cost")]


def test_the_same_reference_twice_in_a_file_is_reported(database):
    data = _csv(listing_values(), listing_values())
    with pytest.raises(ListingRowsError) as caught:
        import_listings(database, data, TODAY, actor=None)
    assert "also used on line 2" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file"),
        ("name,town\nCaf\xe9,Durham\n".encode("latin-1"), "not a CSV text file"),
        (b"nom,ville\nA,B\n", "Unknown: nom, ville"),
        (b"name,town\nA,B\n", "no column for: region, format, meeting_pattern"),
        (",".join(COLUMNS).encode() + b"\r\n", "no listings"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_error(database, data, message):
    with pytest.raises(ListingFileError, match=message):
        import_listings(database, data, TODAY, actor=None)
    assert _count(database) == 0


def test_a_huge_file_is_refused_before_it_is_read(database):
    data = _csv(listing_values()) + b"x" * 100
    with pytest.raises(ListingFileError, match="too big"):
        import_listings(database, data, TODAY, actor=None, max_bytes=len(data) - 1)
    assert _count(database) == 0


def test_too_many_rows_are_refused(database):
    rows = [listing_values(name=f"Group {n}") for n in range(MAX_IMPORT_ROWS + 1)]
    with pytest.raises(ListingFileError, match=f"more than {MAX_IMPORT_ROWS}"):
        import_listings(database, _csv(*rows), TODAY, actor=None)
    assert _count(database) == 0


def test_a_row_with_too_many_values_is_reported(database):
    data = _csv(listing_values()) + b"a,b\r\n"
    with pytest.raises(ListingRowsError) as caught:
        import_listings(database, data, TODAY, actor=None)
    assert caught.value.problems[0].line == 3
    assert "has 2 values" in caught.value.problems[0].message


def test_a_byte_order_mark_from_excel_is_fine(database):
    data = b"\xef\xbb\xbf" + _csv(listing_values())
    assert import_listings(database, data, TODAY, actor=None).added == 1


def test_only_some_columns_are_needed(database):
    columns = ("name", "town", "region", "format", "meeting_pattern", "contact_email")
    data = _csv(online_values(next_meeting_date="", repeats=""), columns=columns)
    assert import_listings(database, data, TODAY, actor=None).added == 1


def test_export_then_import_round_trips(database):
    create_group(database)
    create_group(database, **online_values(hidden="yes", checked_by="", checked_on=""))
    create_group(
        database, region="scotland", town="Inverness", name="Highland Bones (example)",
        venue_postcode="IV2", repeats="every-6-months", start_time="", end_time="",
        contact_phone="", not_in_months="",
    )  # fmt: skip
    exported = export_listings(database, TODAY)
    before = [_public_fields(group) for group in _all(database)]
    for group in _all(database):
        database.delete(group)
    database.flush()
    result = import_listings(database, exported.encode("utf-8"), TODAY, actor=None)
    assert result.added == 3
    assert [_public_fields(group) for group in _all(database)] == before
    # Importing the same file again updates in place: no copies.
    again = import_listings(database, exported.encode("utf-8"), TODAY, actor=None)
    assert (again.added, again.updated) == (0, 3)
    assert export_listings(database, TODAY) == exported


def test_export_writes_the_next_meeting_from_today(database):
    create_group(database)  # third Tuesday from 21/10/2025, not in August
    exported = export_listings(database, TODAY.replace(month=11, day=1))
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["next_meeting_date"] == "18/11/2025"
    assert list(row) == list(COLUMNS)


def test_a_passed_one_off_meeting_exports_as_a_row_that_imports_again(database):
    create_group(database, repeats="none", not_in_months="")  # 21/10/2025, 19:30 to 21:00
    exported = export_listings(database, TODAY.replace(month=11, day=1))
    row = next(csv.DictReader(io.StringIO(exported)))
    assert (row["next_meeting_date"], row["start_time"], row["end_time"]) == ("", "", "")
    result = import_listings(database, exported.encode("utf-8"), TODAY.replace(month=11, day=1),
                             actor=None)  # fmt: skip
    assert (result.added, result.updated) == (0, 1)


def _all(session):
    return session.scalars(select(SupportGroup).order_by(SupportGroup.reference)).all()


def _public_fields(group):
    return {
        column.key: getattr(group, column.key)
        for column in SupportGroup.__table__.columns
        if column.key not in ("id", "created_at", "updated_at")
    }
