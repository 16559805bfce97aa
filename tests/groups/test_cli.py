"""`flask groups import` / `export` and the demo listings `flask seed demo` loads."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from webapp.clock import UK_TIME, uk_now
from webapp.groups.csv_io import MAX_IMPORT_BYTES
from webapp.models.groups import SupportGroup
from webapp.models.staff import FlsService

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-listings.csv"


def _count(session, model=SupportGroup) -> int:
    return session.scalar(select(func.count()).select_from(model))


@time_machine.travel("2026-12-01 09:00 +0000", tick=False)
def test_the_sample_file_imports_and_exports_the_same(runner, database, tmp_path):
    result = runner.invoke(args=["groups", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "4 listings added, 0 changed" in result.output
    assert _count(database) == 4
    output = tmp_path / "export.csv"
    result = runner.invoke(args=["groups", "export", "--output", str(output)])
    assert result.exit_code == 0, result.output
    # The same rows, in the same order and form; the export ends lines with CRLF.
    assert output.read_bytes() == SAMPLE.read_bytes().replace(b"\n", b"\r\n")


TWO_YEARS_ON = uk_now().replace(hour=12) + timedelta(days=2 * 365)


@pytest.mark.parametrize("when", [datetime(2029, 3, 1, 12, tzinfo=UK_TIME),
                                  TWO_YEARS_ON], ids=["2029", "two-years-on"])  # fmt: skip
def test_the_sample_file_still_imports_after_its_meeting_dates_pass(runner, database, when):
    with time_machine.travel(when, tick=False):
        result = runner.invoke(args=["groups", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "4 listings added, 0 changed" in result.output
    assert result.output.count("has passed, so the next one shown is") == 4
    durham = database.scalars(select(SupportGroup).filter_by(reference="sample-durham")).one()
    [line] = [line for line in result.output.splitlines() if "(sample-durham)" in line]
    next_on = datetime.strptime(line.split("next one shown is ")[1][:10], "%d/%m/%Y").date()
    # Still the third Tuesday of a month (not August), on or after the day of the import.
    assert next_on >= when.date() and next_on.weekday() == 1 and 15 <= next_on.day <= 21
    assert next_on.month != 8
    assert durham.next_meeting_on == date(2027, 1, 19)  # the sample's date, kept with its rule


@time_machine.travel("2026-12-01 09:00 +0000", tick=False)
def test_export_to_the_screen(runner, database):
    runner.invoke(args=["groups", "import", str(SAMPLE)])
    result = runner.invoke(args=["groups", "export"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("reference,name,town")
    assert len(result.output.splitlines()) == 5


def test_a_file_with_bad_rows_lists_them_and_writes_nothing(runner, database, tmp_path):
    bad = tmp_path / "bad.csv"
    # Two rows broken on purpose: exactly those are reported.
    text = SAMPLE.read_text(encoding="utf-8").replace("0191 498 0111", "0191").replace(
        "https://example.org/sample-online", "http://example.org/sample-online"
    )
    bad.write_text(text, encoding="utf-8")
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False):
        result = runner.invoke(args=["groups", "import", str(bad)])
    assert result.exit_code == 1
    assert "Line 3, contact_phone: Enter a UK phone number" in result.output
    assert "Line 4, website: Enter a web address starting https://" in result.output
    assert "2 problems. Nothing was imported" in result.output
    assert _count(database) == 0


def test_a_binary_file_gets_a_clear_error(runner, database, tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = runner.invoke(args=["groups", "import", str(binary)])
    assert result.exit_code == 1
    assert "not a CSV text file" in result.output and "Nothing was imported" in result.output
    assert _count(database) == 0


def test_a_huge_file_is_refused_before_it_is_read(runner, database, tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.write(SAMPLE.read_bytes())
        handle.write(b" " * MAX_IMPORT_BYTES)
    result = runner.invoke(args=["groups", "import", str(huge)])
    assert result.exit_code == 1
    assert "too big" in result.output
    assert _count(database) == 0


def test_a_missing_file_is_explained(runner, database):
    result = runner.invoke(args=["groups", "import", "/no/such/file.csv"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_the_demo_listings_load_twice_without_copies(runner, database):
    for _ in range(2):
        result = runner.invoke(args=["seed", "demo"])
        assert result.exit_code == 0, result.output
    groups = database.scalars(select(SupportGroup)).all()
    assert len(groups) == 12
    assert all(group.is_example and "(example)" in group.name for group in groups)
    towns = {group.town for group in groups}
    assert {"Durham", "London", "Cardiff", "Glasgow", "Manchester", "Bristol", "Norwich",
            "Inverness", "Online"} <= towns  # fmt: skip
    assert sum(group.meeting_format == "online" for group in groups) == 2
    services = database.scalars(select(FlsService).where(FlsService.name.like("%(example)"))).all()
    assert len(services) == 4 and all(service.is_example for service in services)
