"""What the overview says besides its numbers: the breakdown charts and how each figure is
worked out, with the constants read from the measures themselves so the words cannot drift."""

import functools
import re
from datetime import date
from pathlib import Path

import markdown
from markupsafe import Markup

from webapp.adherence.kpis import YEAR_WINDOW_WEEKS
from webapp.adherence.measures import ADHERENT_PDC, PERMISSIBLE_GAP_DAYS
from webapp.blueprints.nurse.figures import fraction, percent
from webapp.charts import ChartBar, bar_chart

# The definitions and their sources, kept with the measures and checked against their constants.
DEFINITIONS = Path(__file__).resolve().parents[3] / "docs" / "clinical" / "adherence.md"
# A chart of more bars than this is unreadable: it shows the latest, the table shows them all.
MOST_BARS = 24
_MONTH_KEY = re.compile(r"([0-9]{4})-([0-9]{2})")


def chart_context(summary) -> list[dict]:
    """The three breakdowns (by medicine, month of fracture, month of enrolment), each with its
    groups for the table and a bar chart of the patients with PDC at or above the target."""
    breakdowns = [
        ("by-medicine", "By medicine", summary.by_medicine),
        ("by-fracture-month", "By month of fracture", summary.by_fracture_month),
        ("by-enrolment-month", "By month of enrolment", summary.by_enrolment_month),
    ]
    return [_breakdown(chart_id, title, groups) for chart_id, title, groups in breakdowns]


def _breakdown(chart_id: str, title: str, groups) -> dict:
    """One breakdown: every group in the table; in the chart, the latest MOST_BARS with a
    medicine or month (patients with none recorded are in the table only)."""
    charted = [group for group in groups if group.key][-MOST_BARS:]
    return {"id": chart_id, "title": title, "groups": groups, "shown_in_chart": len(charted),
            "chart": _chart(chart_id, title, charted) if charted else None}


def _chart(chart_id: str, title: str, groups) -> str:
    bars = [ChartBar(_short_label(group), fraction(group.adherent.numerator,
                                                   group.adherent.denominator), group.label)
            for group in groups]  # fmt: skip
    return bar_chart(
        f"Patients with {percent(ADHERENT_PDC)} or more of days covered, {title.lower()}",
        bars, target=ADHERENT_PDC, chart_id=f"chart-{chart_id}",
        summary=f"The line marks the {percent(ADHERENT_PDC)} target.",
    )


def _short_label(group) -> str:
    """A month as "Mar\\n2026" under its bar (the chart's description reads it in full)."""
    found = _MONTH_KEY.fullmatch(group.key)
    if found:
        month = date(int(found[1]), int(found[2]), 1)
        return f"{month:%b}\n{month:%Y}"
    return group.label


def how_worked_out() -> dict:
    """The figures the "How these are worked out" section quotes."""
    return {"adherent": percent(ADHERENT_PDC), "gap_days": PERMISSIBLE_GAP_DAYS,
            "year_window_weeks": YEAR_WINDOW_WEEKS,
            "window_from": 52 - YEAR_WINDOW_WEEKS, "window_to": 52 + YEAR_WINDOW_WEEKS}  # fmt: skip


@functools.cache
def definitions() -> tuple[str, Markup]:
    """docs/clinical/adherence.md as (its heading, the HTML below it), read once: the page and
    the document can never disagree."""
    heading, _, rest = DEFINITIONS.read_text(encoding="utf-8").partition("\n")
    html = markdown.markdown(rest, extensions=["tables", "toc"], output_format="html")
    html = html.replace("<table>", '<table class="nhsuk-table bonecheck-dense-table">')
    return heading.removeprefix("# ").strip(), Markup(html)
