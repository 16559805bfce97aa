"""Bar charts drawn on the server as inline SVG: no script, nothing to load, printable.

`bar_chart` draws one bar per label as a percentage, with the target drawn as
a labelled line; `adherence_chart` draws a patient's 12 months of adherence
with it. Each chart is an image with an accessible name (`<title>`) and a
description (`<desc>`) that reads every figure, and the page shows the same
figures as a table for screen readers and print. Every piece of text goes
through markupsafe, so a label can never break out of the SVG.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from webapp.adherence.facts import MonthCoverage
from webapp.adherence.measures import ADHERENT_PDC

TARGET = ADHERENT_PDC  # 80%: adherent at or above it (docs/clinical/adherence.md, PDC-80)
# The drawing's own units; the SVG scales to the width it is given.
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 44
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
TEXT = "#212b32"  # NHS.UK text colour: 4.5:1 or better on white
BAR = "#005eb8"  # NHS blue
GRID = "#d8dde0"


@dataclass(frozen=True)
class ChartBar:
    """One bar: its label under the axis (lines split on "\\n"), and its value 0–1 or None."""

    label: str
    value: float | None
    spoken: str = ""  # the label as the description reads it; the label if empty


def percent(value: float | None) -> str:
    """A fraction as a whole percentage ("85%"), or "No figure" when there is nothing."""
    return "No figure" if value is None else f"{round(value * 100)}%"


def bar_chart(
    title: str, bars: Sequence[ChartBar | tuple[str, float | None]], target: float | None = TARGET,
    *, chart_id: str | None = None, summary: str = "",
) -> Markup:
    """An SVG bar chart of percentages with the target line, as safe markup for a template.

    `bars` are ChartBar or (label, value) pairs, value a fraction 0–1 or None
    for "nothing to measure" (drawn as a dash, never as 0%). `chart_id` makes
    the ids of the title and description unique on the page (from the title
    if not given). `summary` opens the description, before the figures.
    """
    bars = [_clamped(bar if isinstance(bar, ChartBar) else ChartBar(*bar)) for bar in bars]
    chart_id = escape(chart_id or _slug(title))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bonecheck-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(bars, target, summary))}</desc>',
        *_AXIS,
        *_bars(bars),
    ]
    if target is not None:
        parts += _target_line(target)
    parts.append("</svg>")
    # Every piece above is either fixed markup with numbers or text passed through escape().
    return Markup("".join(parts))


def adherence_chart(months: Sequence[MonthCoverage], chart_id: str = "adherence-chart") -> Markup:
    """A patient's months as bars: days covered by a confirmed dose of the days measured."""
    bars = [ChartBar(_month_label(item.month, index), coverage(item), month_name(item.month))
            for index, item in enumerate(months)]  # fmt: skip
    return bar_chart("Adherence by month, last 12 months", bars, TARGET, chart_id=chart_id,
                     summary="Days covered by a confirmed dose, as a percentage of the days "
                     "on treatment in each month. The target is 80%.")  # fmt: skip


def coverage(month: MonthCoverage) -> float | None:
    """The month's covered days as a fraction of its measured days; None if none were measured."""
    if month.days_measured <= 0:
        return None
    return min(month.days_covered, month.days_measured) / month.days_measured


def month_name(month: date) -> str:
    return f"{month:%B %Y}"


def _month_label(month: date, index: int) -> str:
    """"Mar", with the year under the first bar and under each January."""
    return f"{month:%b}\n{month:%Y}" if index == 0 or month.month == 1 else f"{month:%b}"


def _clamped(bar: ChartBar) -> ChartBar:
    """The bar with its value kept to 0–1 (a rounding slip never draws off the chart)."""
    if bar.value is None:
        return bar
    return ChartBar(bar.label, max(0.0, min(float(bar.value), 1.0)), bar.spoken)


def _description(bars: Sequence[ChartBar], target: float | None, summary: str) -> str:
    figures = "; ".join(f"{(bar.spoken or bar.label).replace(chr(10), ' ')}: "
                        f"{percent(bar.value)}" for bar in bars)  # fmt: skip
    goal = f" Target {percent(target)}." if target is not None and not summary else ""
    return f"{summary}{goal} {figures}.".strip()


def _y(value: float) -> float:
    return round(TOP + PLOT_HEIGHT * (1 - value), 1)


def _axis() -> list[str]:
    """The 0%, 50% and 100% grid lines with their labels, and the baseline."""
    parts = []
    for value in (0.0, 0.5, 1.0):
        y = _y(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" '
                     f'stroke="{TEXT if value == 0 else GRID}" />')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" font-size="12" '
                     f'fill="{TEXT}">{percent(value)}</text>')
    return parts


_AXIS = _axis()  # the same on every chart: drawn once


def _bars(bars: Sequence[ChartBar]) -> list[str]:
    parts = []
    slot = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    width = round(slot * 0.6, 1)
    for index, bar in enumerate(bars):
        middle = round(LEFT + slot * index + slot / 2, 1)
        parts += _bar(bar, middle, width)
        parts.append(_label(bar.label, middle))
    return parts


def _bar(bar: ChartBar, middle: float, width: float) -> list[str]:
    if bar.value is None:  # nothing measured: a dash on the baseline, never a 0% bar
        return [f'<text x="{middle}" y="{_y(0) - 4}" text-anchor="middle" font-size="12" '
                f'fill="{TEXT}">–</text>']
    value = bar.value
    top = _y(value)
    return [
        f'<rect x="{round(middle - width / 2, 1)}" y="{top}" width="{width}" '
        f'height="{round(_y(0) - top, 1)}" fill="{BAR}" />',
        f'<text x="{middle}" y="{top - 4}" text-anchor="middle" font-size="11" '
        f'fill="{TEXT}">{percent(value)}</text>',
    ]


def _label(label: str, middle: float) -> str:
    spans = "".join(f'<tspan x="{middle}" dy="{0 if index == 0 else 14}">{escape(line)}</tspan>'
                    for index, line in enumerate(label.split("\n")))  # fmt: skip
    return (f'<text x="{middle}" y="{_y(0) + 16}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT}">{spans}</text>')


def _target_line(target: float) -> list[str]:
    y = _y(max(0.0, min(target, 1.0)))
    return [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="#d5281b" '
        f'stroke-width="2" stroke-dasharray="6 4" />',
        f'<text x="{WIDTH - RIGHT}" y="{y - 6}" text-anchor="end" font-size="12" '
        f'fill="{TEXT}">Target {percent(target)}</text>',
    ]


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"chart-{slug or 'bars'}"
