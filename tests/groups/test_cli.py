"""`flask groups import` / `export` and the demo listings `flask seed demo` loads."""

from pathlib import Path

import time_machine
from sqlalchemy import func, select

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
