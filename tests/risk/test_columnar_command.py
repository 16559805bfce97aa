"""`flask risk score` on the columnar engine: the two ways of reading a list, the report
options, stopping on a signal, and memory that does not grow with the list."""

import contextlib
import csv
import gc
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from webapp.cli.risk import risk_cli
from webapp.risk import batches, casefinding, list_files, report
from webapp.risk.casefinding import score_practice_list
from webapp.risk.report import DEFAULT_CUT_OFFS, ReportTally

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,sex,age,bmi,smoking,previous_fracture,note\n"
ROWS = [
    "NHS9434765919,F,70,24,0,1,007\n",
    "NHS9434765920,M,80,31.5,2,0,\"Moor Lane, the old surgery\"\n",
    "NHS9434765921,F,29,24,0,0,too young\n",
    "NHS9434765922,F,66,17,1,0\n",
    "NHS9434765923,M,55,,0,0,no bmi\n",
    "NHS9434765924,F,75,22,0,yes,extra,cell\n",
]


def read_output(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as source:
        return list(csv.reader(source))


def score_both_ways(
    tmp_path: Path, text: str, monkeypatch, workers: int | None = None
) -> tuple[bytes, list, bytes, list]:
    """The output and refused lines read by pyarrow, then by the csv module."""
    practice_list = tmp_path / "list.csv"
    practice_list.write_text(text, encoding="utf-8", newline="")
    runs = []
    for with_pyarrow in (True, False):
        monkeypatch.setattr(casefinding, "READ_WITH_PYARROW", with_pyarrow)
        refused: list[tuple[int, str]] = []
        score_practice_list(practice_list, tmp_path / "out.csv", on_refused=_into(refused),
                            workers=workers)  # fmt: skip
        runs += [(tmp_path / "out.csv").read_bytes(), refused]
    return tuple(runs)


def _into(refused: list):
    return lambda line, reason: refused.append((line, reason))


@pytest.mark.parametrize(("rows_a_batch", "parsed_in_pieces_of"), [(2, 64), (3, 1 << 20),
                                                                    (65_536, 64)])  # fmt: skip
def test_pyarrow_and_the_csv_module_write_the_same_list(
    tmp_path, monkeypatch, rows_a_batch, parsed_in_pieces_of
):
    monkeypatch.setattr(batches, "BATCH_ROWS", rows_a_batch)
    monkeypatch.setattr(list_files, "PARSE_BYTES", parsed_in_pieces_of)

    fast, fast_refused, slow, slow_refused = score_both_ways(
        tmp_path, HEADER + "".join(ROWS), monkeypatch
    )

    assert fast == slow
    assert fast_refused == slow_refused
    assert [line for line, _ in fast_refused] == [4, 5, 6, 7]
    output = read_output(tmp_path / "out.csv")
    assert output[1][6] == "007" and output[2][6] == "Moor Lane, the old surgery"
    assert output[5][: len(HEADER.split(","))] == ROWS[4].strip().split(",")
    assert "has 8 values but the header has 7" in output[6][-1]
    assert "has 6 values" in output[4][-1]


def test_blank_lines_keep_every_later_line_number_right(tmp_path, monkeypatch):
    text = HEADER + ROWS[0] + "\n" + ROWS[1] + "\r\n\n" + ROWS[2]
    practice_list = tmp_path / "list.csv"
    practice_list.write_text(text, encoding="utf-8", newline="")
    refused = []

    summary = score_practice_list(practice_list, tmp_path / "out.csv",
                                  on_refused=lambda line, reason: refused.append(line))  # fmt: skip

    assert refused == [7]  # header 1, rows 2 and 4, blank 3, 5 and 6, row 7
    assert summary.rows_read == 3


@pytest.mark.parametrize(
    "late",
    ["\n", "\r\n", 'P9,F,70,24,0,0,"two\nlines"\n', 'P9,F,70,24,0,0,"one, line"\n'],
    ids=["blank LF", "blank CRLF", "quoted line break", "quoted comma"],
)
@pytest.mark.parametrize("workers", [1, 2])
def test_a_list_found_not_one_record_a_line_late_on_keeps_every_line_number(
    tmp_path, monkeypatch, late, workers
):
    # Many blocks before the odd line; with two workers, later blocks are being read when
    # the one that holds it is found, and are read again by the csv module.
    monkeypatch.setattr(list_files, "BLOCK_BYTES", 64)
    rows = [ROWS[0]] * 10 + [late] + [ROWS[2], ROWS[5]] * 3

    fast, fast_refused, slow, slow_refused = score_both_ways(
        tmp_path, HEADER + "".join(rows), monkeypatch, workers
    )

    assert fast == slow
    assert fast_refused == slow_refused
    assert len(fast_refused) == 6


@pytest.mark.parametrize("workers", [1, 2])
def test_rows_of_the_wrong_width_at_the_ends_of_blocks_keep_their_lines_and_order(
    tmp_path, monkeypatch, workers
):
    # Blocks of about two lines, each read and scored on its own (side by side with two
    # workers): many end on a row of the wrong width, and some hold nothing else.
    monkeypatch.setattr(list_files, "BLOCK_BYTES", 64)
    rows = [ROWS[0], ROWS[5], ROWS[5], ROWS[1], ROWS[5], ROWS[2], ROWS[0], ROWS[5]] * 3

    fast, fast_refused, slow, slow_refused = score_both_ways(
        tmp_path, HEADER + "".join(rows), monkeypatch, workers
    )

    assert fast == slow
    assert fast_refused == slow_refused
    wrong_width = [line for line, reason in fast_refused if "has 8 values" in reason]
    assert wrong_width == [line for line, row in enumerate(rows, 2) if row == ROWS[5]]


def test_a_cell_that_looks_like_a_number_is_copied_as_written(tmp_path):
    (tmp_path / "list.csv").write_text(
        "id,sex,age,bmi,nhs_number\n007,F,070,24.50,0123456789\n", encoding="utf-8"
    )

    score_practice_list(tmp_path / "list.csv", tmp_path / "out.csv")

    assert read_output(tmp_path / "out.csv")[1][:5] == ["007", "F", "070", "24.50", "0123456789"]


def write_list(tmp_path: Path, extra_header: str = "", extra_cells: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "list.csv"
    lines = [HEADER.strip() + extra_header + "\n"]
    for number, row in enumerate(ROWS[:5]):
        cells = row.strip()
        lines.append(cells + (f",{extra_cells[number]}" if extra_cells else "") + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_the_report_is_written_with_the_cut_offs_given_and_no_ids(runner, tmp_path):
    practice_list = write_list(tmp_path)

    result = runner.invoke(risk_cli, [
        "score", str(practice_list), "-o", str(tmp_path / "out.csv"),
        "--report", str(tmp_path / "report.html"), "--cut-off", "mof=12.5", "--cut-off", "hip=3",
    ])  # fmt: skip

    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "major osteoporotic fracture 12.5%" in page and "hip fracture 3%" in page
    assert "NHS943476" not in page and "Moor Lane" not in page
    assert f"Wrote the report {tmp_path / 'report.html'}." in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv", "out.csv",
                                                                 "report.html"]  # fmt: skip


def test_the_report_counts_what_the_summary_counts(tmp_path):
    practice_list = write_list(
        tmp_path, ",on_bone_treatment", ("yes", "no", "", "maybe", "0")
    )
    tally = ReportTally(DEFAULT_CUT_OFFS)

    summary = score_practice_list(practice_list, tmp_path / "out.csv", report=tally)

    assert (tally.rows_scored, tally.rows_refused) == (summary.rows_scored, summary.rows_refused)
    assert (tally.rows_scored, tally.rows_refused) == (2, 3)
    assert tally.meeting_nice_cg146.sum() == summary.meeting_nice_cg146
    assert tally.previous_fracture == summary.previous_fracture == 1
    assert tally.has_treatment_column
    assert tally.treatment_unknown + tally.treatment_at_or_above.sum() <= 2


def test_without_report_no_tally_is_built(runner, tmp_path, monkeypatch):
    def no_tally(*args, **kwargs):
        raise AssertionError("a tally was built without --report")

    monkeypatch.setattr(report, "ReportTally", no_tally)

    result = runner.invoke(risk_cli, ["score", str(write_list(tmp_path)), "-o",
                                      str(tmp_path / "out.csv")])  # fmt: skip

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--report", "{tmp}/r.html", "--cut-off", "mof=ten"], "The mof cut-off must be"),
        (["--report", "{tmp}/r.html", "--cut-off", "femur=3"], "A cut-off is written mof="),
        (["--report", "{tmp}/r.html", "--cut-off", "hip=100"], "less than 100"),
        (["--cut-off", "mof=10"], "add --report REPORT.html"),
        (["--report", "{tmp}/nowhere/r.html"], "there is no folder"),
        (["--report", "{tmp}/out.csv"], "not the input or the output"),
    ],
)
def test_bad_options_are_refused_before_any_work(runner, tmp_path, options, message):
    practice_list = write_list(tmp_path)
    options = [option.replace("{tmp}", str(tmp_path)) for option in options]

    result = runner.invoke(risk_cli, ["score", str(practice_list), "-o", str(tmp_path / "out.csv"),
                                      *options])  # fmt: skip

    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]


@pytest.mark.parametrize("options", [[], ["--cut-off", "mof=10"]])
def test_the_cycle_collector_is_on_again_after_a_run_or_a_refusal(runner, tmp_path, options):
    # The command pauses the collector while it imports NumPy and pyarrow.
    assert gc.isenabled()
    practice_list = write_list(tmp_path)

    result = runner.invoke(risk_cli, ["score", str(practice_list), "-o", str(tmp_path / "out.csv"),
                                      *options])  # fmt: skip

    assert result.exit_code == (2 if options else 0), result.output
    assert gc.isenabled()


# A fictional list's rows, cycled to any length: 45 distinct people, about 120 bytes each.
PEOPLE = [
    f"BH{n:07d},Moor Lane Surgery,{'FM'[n % 2]},{30 + n * 7 % 71},{17 + n % 24}.{n % 10},"
    f"{1 + n % 9},{n % 5},{n % 6},{('none', 'type2', '')[n % 3]},{n % 3 // 2},0,{n % 7 // 6},"
    f"{n} Church Lane Anytown AB{n % 9} {n % 7}CD\n"
    for n in range(45)
]
GENERATED_HEADER = (
    b"id,practice,sex,age,bmi,ethnicity,smoking,alcohol,diabetes,falls,steroids,cancer,address\n"
)


def generated_list(path: Path, rows: int) -> Path:
    """A list of `rows` people written in blocks (cheap: no csv module, no random)."""
    block = "".join(PEOPLE).encode()
    with open(path, "wb") as destination:
        destination.write(GENERATED_HEADER)
        for _ in range(rows // len(PEOPLE)):
            destination.write(block)
        destination.write("".join(PEOPLE[: rows % len(PEOPLE)]).encode())
    return path


# Runs `flask risk score` (the real command, in an app with only the risk group, so the
# test does not pay for building the whole service), or just the scoring.
COMMAND = """
import sys
from flask import Flask
from webapp.cli.risk import risk_cli
app = Flask("risk")
app.cli.add_command(risk_cli)
app.cli.main(["risk", "score", *sys.argv[1:]])
"""
# Blocks of 1 MiB rather than 4, so that both lists fill the pipeline of blocks being
# parsed, scored and written (a few blocks' worth, whatever the list's length); the C
# library's memory kept as `flask risk score` has it kept.
PEAK_MEMORY = """
import resource, sys
from webapp.cli.risk import _freed_memory_kept
from webapp.risk import list_files
from webapp.risk.casefinding import score_practice_list
_freed_memory_kept()
list_files.BLOCK_BYTES = 1 << 20
score_practice_list(sys.argv[1], sys.argv[2])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def python(code: str, *arguments: object, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, arguments)], cwd=REPO_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options,
    )  # fmt: skip


def test_memory_does_not_grow_with_the_list(tmp_path):
    peaks, sizes = {}, {}
    for rows in (250_000, 1_000_000):
        practice_list = generated_list(tmp_path / f"{rows}.csv", rows)
        run = python(PEAK_MEMORY, practice_list, tmp_path / "out.csv")
        output, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors
        peaks[rows] = int(output) * 1024  # ru_maxrss is in KiB on Linux
        sizes[rows] = practice_list.stat().st_size

    # Each extra person costs the 8 bytes of risks kept for the summary's centiles, and
    # nothing like the 120 bytes of their row: the list is never held whole. (The allowance
    # is for the allocators, whose peaks differ by a batch or so from run to run.)
    growth = peaks[1_000_000] - peaks[250_000]
    assert growth < 750_000 * 8 + 24 * 1024 * 1024, peaks
    assert growth < (sizes[1_000_000] - sizes[250_000]) / 2, (peaks, sizes)


@pytest.fixture(scope="module")
def long_list(tmp_path_factory) -> Path:
    return generated_list(tmp_path_factory.mktemp("signals") / "list.csv", 300_000)


@pytest.mark.parametrize("stopping", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_stops_the_run_and_leaves_no_part_file_or_process(tmp_path, long_list, stopping):
    scored = tmp_path / "scored.csv"
    run = python(COMMAND, long_list, "--output", scored)
    children = set()
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".scored.csv.*.part")) and run.poll() is None:
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.005)
    children |= _children(run.pid)
    run.send_signal(stopping)
    _, errors = run.communicate(timeout=60)

    assert run.returncode == 128 + stopping, errors
    assert f"Stopped by {stopping.name}" in errors
    assert "Traceback" not in errors
    assert list(tmp_path.iterdir()) == []
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]


def _children(pid: int) -> set[int]:
    """The process's child processes, from /proc (Linux)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(FileNotFoundError):  # a thread that has just ended
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found
