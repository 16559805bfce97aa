"""A list refused row by row (a CR line end inside a CRLF list, say, after a column was
appended with awk): every row is still written in place with its reason, a batch at a
time, and the terminal lists only the first refused rows."""

import csv
from pathlib import Path

from click.testing import CliRunner

from webapp.cli import risk as risk_command
from webapp.risk import batches, casefinding
from webapp.risk.casefinding import score_practice_list

HEADER = "id,sex,age,bmi"


def awk_appended_list(folder: Path, people: int) -> Path:
    """A CRLF list with ",extra" appended after each line's CR: each person's line reads as
    two records, the person's and a two-cell one (the header's second is dropped)."""
    lines = [HEADER, *(f"P{number},F,{30 + number % 70},24" for number in range(people))]
    path = folder / "list.csv"
    path.write_bytes("".join(f"{line}\r,extra\n" for line in lines).encode("utf-8"))
    return path


def test_rows_refused_row_by_row_are_written_in_place_a_batch_at_a_time(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(batches, "BATCH_ROWS", 64)
    written: list[int] = []
    write_lines = casefinding.write_lines

    def counted(sink, lines):
        written.append(len(lines))
        write_lines(sink, lines)

    monkeypatch.setattr(casefinding, "write_lines", counted)
    refused: list[tuple[int, str]] = []

    summary = score_practice_list(
        awk_appended_list(tmp_path, 500), tmp_path / "out.csv",
        on_refused=lambda line, reason: refused.append((line, reason)),
    )  # fmt: skip

    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))[1:]
    assert (summary.rows_read, summary.rows_scored, summary.rows_refused) == (1000, 500, 500)
    assert [row[0] for row in rows[::2]] == [f"P{number}" for number in range(500)]
    assert all(row[:2] == ["", "extra"] and row[-1].startswith("This row has 2 values")
               for row in rows[1::2])  # fmt: skip
    assert [line for line, _ in refused] == list(range(3, 1002, 2))
    assert sum(written) == 1000
    assert len(written) <= 1000 // 64 + 1  # one write a batch, not one a refused row


def test_the_terminal_lists_the_first_refused_rows_and_says_the_rest_are_not(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(risk_command, "REFUSED_ROWS_LISTED", 3)
    practice_list = awk_appended_list(tmp_path, 4)

    result = CliRunner().invoke(
        risk_command.risk_cli, ["score", str(practice_list), "-o", str(tmp_path / "out.csv")]
    )

    assert result.exit_code == 0, result.output
    listed = [line for line in result.stderr.splitlines() if line.startswith("Line ")]
    assert listed == [f"Line {line}: not scored: This row has 2 values but the header has 4."
                      for line in (3, 5, 7)]  # fmt: skip
    assert "More rows not scored: only the first 3 are listed here" in result.stderr
    assert "refused: 4" in result.stderr
