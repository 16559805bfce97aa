"""`flask risk score`: case-finding over a GP practice list, a thin wrapper on webapp.risk.

The command needs no app: it is a plain click group (no app context), found by `flask`
as a plugin before the app is built (`cli_plugins.py`), and also registered on the app
so `flask --app wsgi risk` works on an uninstalled checkout. Nothing heavy is imported
until it runs: every web process builds the app, and none of them needs NumPy or pyarrow.
"""

import atexit
import contextlib
import gc
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli_plugins import RISK_HELP

if TYPE_CHECKING:
    from webapp.risk.casefinding import CaseFindingSummary, RiskSpread
    from webapp.risk.report import CutOffs

risk_cli = click.Group("risk", help=RISK_HELP)

CREDIT = (
    "Estimated with the published QFracture-2012 equations (Hippisley-Cox & Coupland, "
    "BMJ 2012). Not a diagnosis: see docs/clinical/case-finding.md before acting on it."
)
# A run stopped by one of these removes its unfinished output and exits 128 + the signal.
STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Refused rows listed on the terminal; the rest are counted in the summary (every reason is
# in the error column): a list refused row by row would otherwise print a line a row.
REFUSED_ROWS_LISTED = 100
# glibc's mallopt settings (malloc.h) and the values `_freed_memory_kept` gives them: blocks
# up to its largest threshold come from the heap, and the heap's top is not trimmed.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
LARGEST_MMAP_THRESHOLD = 32 << 20  # glibc's most, on a 64-bit system
NEVER_TRIM = 2**31 - 1


@risk_cli.command("score")
@click.argument("input_csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    "output_csv",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the scored list (CSV, UTF-8).",
)
@click.option(
    "--report",
    "report_html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a one-page HTML report of counts (no names, no ids) here.",
)
@click.option(
    "--cut-off",
    "cut_off_texts",
    multiple=True,
    metavar="mof=PERCENT|hip=PERCENT",
    help="A cut-off on QFracture 10-year risk for the report (repeatable); without one, "
    "the defaults that docs/clinical/impact.md gives and explains.",
)
def score_command(
    input_csv: Path, output_csv: Path, report_html: Path | None, cut_off_texts: tuple[str, ...]
) -> None:
    """Score a practice list CSV with 10-year fracture risks (QFracture-2012)."""
    with _collector_paused():
        cut_offs = _cut_offs(report_html, cut_off_texts, input_csv, output_csv)
        from webapp.risk.casefinding import score_practice_list
        from webapp.risk.errors import PracticeListError
    _freed_memory_kept()
    report = None
    if cut_offs is not None:
        from webapp.risk.report import ReportTally

        report = ReportTally(cut_offs)
    try:
        with _stopped_by_signals(), _progress_bar(input_csv) as on_progress:
            summary = score_practice_list(
                input_csv,
                output_csv,
                on_refused=_refused_row_lister(),
                on_progress=on_progress,
                report=report,
            )
            if report is not None and report_html is not None:
                _write_report(report, report_html, input_csv)
    except PracticeListError as problem:
        raise click.ClickException(str(problem)) from problem
    for line in summary_lines(summary, output_csv):
        click.echo(line, err=True)
    if report_html is not None:
        click.echo(f"Wrote the report {report_html}.", err=True)
    # At exit, Python's collector would look over every object NumPy and pyarrow made
    # before the process ends (0.1 s or more, after the work is done): frozen, they are
    # left to the operating system, which frees the whole process at once.
    atexit.register(gc.freeze)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the block runs. Importing NumPy and pyarrow
    makes tens of thousands of objects and no garbage, and on the way the collector would
    look over them, and over every object Flask made, several times: 25 to 50 ms a run."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _freed_memory_kept() -> None:
    """Have the C library keep the memory this process frees, for its next use, rather
    than hand it back to the system at once (where it can: glibc's mallopt).

    Each batch of the list makes and frees arrays of the same sizes, a few hundred KiB
    each. By default glibc gives such memory back to the system as it is freed, and the
    next batch faults it in again a page at a time: measured on a 551,550-row list, 32,000
    to 40,000 page faults a run rather than 25,000, and some 7% more CPU time. The process
    ends when the list is scored, so the memory kept is never needed elsewhere, and its
    peak does not grow with the list (tests/risk/test_columnar_command.py).
    """
    import ctypes  # here: every web process imports this module, and none needs it

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc: its own allocator's defaults stand
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(M_MMAP_THRESHOLD, LARGEST_MMAP_THRESHOLD)
    mallopt(M_TRIM_THRESHOLD, NEVER_TRIM)


def _cut_offs(
    report_html: Path | None, texts: tuple[str, ...], input_csv: Path, output_csv: Path
) -> "CutOffs | None":
    """The report's cut-offs (None without --report), refusing bad options before any work."""
    if report_html is None:
        if texts:
            raise click.UsageError(
                "--cut-off sets the report's cut-offs: add --report REPORT.html."
            )
        return None
    if report_html.resolve() in (input_csv.resolve(), output_csv.resolve()):
        raise click.BadParameter(
            "the report must be a file of its own, not the input or the output.",
            param_hint="--report",
        )
    if not report_html.parent.is_dir():
        raise click.BadParameter(
            f"there is no folder {str(report_html.parent)!r} to write it in.", param_hint="--report"
        )
    from webapp.risk.report import cut_offs_from

    try:
        return cut_offs_from(texts)
    except ValueError as problem:
        raise click.BadParameter(str(problem), param_hint="--cut-off") from problem


def _write_report(report, report_html: Path, input_csv: Path) -> None:
    """The report page, written atomically like the scored list."""
    from webapp.clock import utc_now
    from webapp.risk.casefinding import write_text_atomically
    from webapp.risk.report import render_report

    page = render_report(report, list_name=input_csv.name, generated_at=utc_now())
    write_text_atomically(report_html, page)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """While the block runs, SIGTERM, SIGINT and SIGHUP stop it by raising SystemExit, so
    the scored list's temporary file is removed on the way out (the signal's default
    would end the process where it stands and leave it behind)."""

    def stop(number: int, frame: object) -> None:
        name = signal.Signals(number).name
        click.echo(f"Stopped by {name}: the scored list was not written.", err=True)
        raise SystemExit(128 + number)

    previous = {number: signal.signal(number, stop) for number in STOPPING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _refused_row_lister() -> Callable[[int, str], None]:
    """Prints the first REFUSED_ROWS_LISTED refused rows by line, then says the rest are
    not listed."""
    listed = 0

    def list_refused_row(line_number: int, reason: str) -> None:
        nonlocal listed
        listed += 1
        if listed <= REFUSED_ROWS_LISTED:
            click.echo(f"Line {line_number}: not scored: {reason}", err=True)
        elif listed == REFUSED_ROWS_LISTED + 1:
            click.echo(
                f"More rows not scored: only the first {REFUSED_ROWS_LISTED} are listed here; "
                "every reason is in the error column.",
                err=True,
            )

    return list_refused_row


@contextlib.contextmanager
def _progress_bar(input_csv: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal; nothing at all when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    try:
        with open(input_csv, "rb") as counting:
            rows = sum(block.count(b"\n") for block in iter(lambda: counting.read(1 << 20), b""))
    except OSError:
        yield None  # score_practice_list reports the problem properly
        return
    with click.progressbar(length=max(rows - 1, 1), label="Scoring", file=sys.stderr) as bar:
        yield lambda rows_read: bar.update(rows_read - bar.pos)


def summary_lines(summary: "CaseFindingSummary", output_csv: Path) -> list[str]:
    """The end-of-run summary: counts, NICE CG146, previous fractures, spread of risks."""
    scored = summary.rows_scored
    meeting, previous = summary.meeting_nice_cg146, summary.previous_fracture
    lines = [
        f"Wrote {output_csv}.",
        f"Rows read: {summary.rows_read:,}; scored: {scored:,}; "
        f"refused: {summary.rows_refused:,} (the reason is in the error column).",
        *summary.assumptions,
        "Meet the NICE CG146 criteria for a fracture-risk assessment: "
        f"{meeting:,} of {scored:,} scored{_percent(meeting, scored)}.",
        f"Previous fracture recorded: {previous:,} of {scored:,} scored"
        f"{_percent(previous, scored)}.",
    ]
    if summary.major_osteoporotic and summary.hip:
        lines += [
            f"{'10-year risk, %':<28}{'lowest':>9}{'median':>9}{'90th centile':>14}{'highest':>9}",
            _spread_line("Major osteoporotic fracture", summary.major_osteoporotic),
            _spread_line("Hip fracture", summary.hip),
        ]
    lines.append(CREDIT)
    return lines


def _spread_line(label: str, spread: "RiskSpread") -> str:
    return (
        f"{label:<28}{spread.lowest:>9.2f}{spread.median:>9.2f}"
        f"{spread.centile_90:>14.2f}{spread.highest:>9.2f}"
    )


def _percent(part: int, whole: int) -> str:
    return f" ({100 * part / whole:.1f}%)" if whole else ""
