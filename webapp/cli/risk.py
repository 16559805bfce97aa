"""`flask risk score`: case-finding over a GP practice list, a thin wrapper on webapp.risk."""

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.risk.casefinding import CaseFindingSummary, RiskSpread, score_practice_list
from webapp.risk.errors import PracticeListError

risk_cli = AppGroup("risk", help="Fracture-risk tools for GP practices.")

CREDIT = (
    "Estimated with the published QFracture-2012 equations (Hippisley-Cox & Coupland, "
    "BMJ 2012). Not a diagnosis: see docs/clinical/case-finding.md before acting on it."
)


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
def score_command(input_csv: Path, output_csv: Path) -> None:
    """Score a practice list CSV with 10-year fracture risks (QFracture-2012)."""
    try:
        with _progress_bar(input_csv) as on_progress:
            summary = score_practice_list(
                input_csv, output_csv, on_refused=_report_refused_row, on_progress=on_progress
            )
    except PracticeListError as problem:
        raise click.ClickException(str(problem)) from problem
    for line in summary_lines(summary, output_csv):
        click.echo(line, err=True)


def _report_refused_row(line_number: int, reason: str) -> None:
    click.echo(f"Line {line_number}: not scored: {reason}", err=True)


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


def summary_lines(summary: CaseFindingSummary, output_csv: Path) -> list[str]:
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


def _spread_line(label: str, spread: RiskSpread) -> str:
    return (
        f"{label:<28}{spread.lowest:>9.2f}{spread.median:>9.2f}"
        f"{spread.centile_90:>14.2f}{spread.highest:>9.2f}"
    )


def _percent(part: int, whole: int) -> str:
    return f" ({100 * part / whole:.1f}%)" if whole else ""
