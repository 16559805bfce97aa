"""Drawing the case-finding report: a ReportTally turned into one self-contained HTML page.

Plain jinja2 with autoescape on (the list name is typed by a person and must never become
markup), inline CSS and SVG, no scripts and nothing fetched: the page can be emailed or
printed and opens the same anywhere. Counts follow one rule (`shown_count`): 1 to 7 are
hidden and the rest rounded to the nearest 5, so that a shared page cannot single anyone
out, even by taking one count from another.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from webapp.risk import report_figures as figures
from webapp.risk.report import (
    AGE_BAND_STARTS,
    HIP_BIN_WIDTH,
    MOF_BIN_WIDTH,
    NOT_TREATED,
    SEXES,
    TREATED,
    TREATMENT_UNKNOWN,
    ReportTally,
)

# NHS Digital's rule for sub-national counts: 1 to 7 are shown as "fewer than 8", the rest
# rounded to the nearest 5; a figure worked out from fewer than 8 people is not shown.
SMALLEST_COUNT_SHOWN = 8
ROUNDED_TO = 5
CHART_WIDTH, CHART_HEIGHT = 640, 220
CHART_LEFT, CHART_BOTTOM, CHART_TOP = 48, 40, 16

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_page(tally: ReportTally, *, list_name: str, generated_at: datetime) -> str:
    """The report page for `tally` (see webapp.risk.report.render_report)."""
    template = _environment.get_template("report.html.j2")
    return template.render(
        list_name=list_name,
        generated=_when(generated_at),
        tally=tally,
        cut_offs=tally.cut_offs,
        smallest=SMALLEST_COUNT_SHOWN,
        rounded_to=ROUNDED_TO,
        count=count_text,
        percent=percent_text,
        totals=_totals(tally),
        bands=_band_rows(tally),
        at_or_above=_at_or_above_rows(tally),
        charts=[_mof_chart(tally), _hip_chart(tally)],
        treatment=_treatment(tally),
        estimate=_estimate(tally),
        figures=figures,
    )


def shown_count(number: int) -> int | None:
    """A count as the page may show it: None for 1 to 7, else rounded to the nearest 5.

    Rounding every count, not only hiding the small ones, is what stops a hidden count
    being found by taking the others from a total.
    """
    number = int(number)
    if _hidden(number):
        return None
    return int(_half_up(number, ROUNDED_TO))


def count_text(number: int) -> str:
    """A count as the page shows it: "fewer than 8", or rounded with thousands commas."""
    shown = shown_count(number)
    return f"fewer than {SMALLEST_COUNT_SHOWN}" if shown is None else f"{shown:,}"


def percent_text(part: int, whole: int) -> str:
    """part of whole to one decimal place, worked out from the counts as shown (rounded);
    a dash when either is hidden or the whole is 0."""
    part, whole = shown_count(part), shown_count(whole)
    if part is None or not whole:
        return "–"
    return f"{_half_up(100 * part / whole, 0.1):.1f}%"


def _hidden(number: int) -> bool:
    return 0 < number < SMALLEST_COUNT_SHOWN


def _when(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


@dataclass(frozen=True)
class Totals:
    """Whole-list totals of the by-sex counts."""

    meeting: int
    mof: int
    hip: int
    either: int


def _totals(tally: ReportTally) -> Totals:
    mof, hip, either = (int(value) for value in tally.at_or_above.sum(axis=0))
    return Totals(int(tally.meeting_nice_cg146.sum()), mof, hip, either)


def _band_labels() -> list[str]:
    starts = AGE_BAND_STARTS
    labels = [f"{start} to {end - 1}" for start, end in zip(starts, starts[1:], strict=False)]
    return [*labels, f"{starts[-1]} and over"]


@dataclass(frozen=True)
class BandRow:
    """One row of the CG146 table: a sex and age band, scored, meeting the criteria."""

    sex: str
    band: str
    scored: int
    meeting: int


def _band_rows(tally: ReportTally) -> list[BandRow]:
    rows = []
    for row, sex in enumerate(SEXES):
        for column, band in enumerate(_band_labels()):
            scored, meeting = tally.people[row, column], tally.meeting_nice_cg146[row, column]
            rows.append(BandRow(sex.capitalize(), band, int(scored), int(meeting)))
    return rows


def _at_or_above_rows(tally: ReportTally) -> list[tuple[str, int, int, int, int]]:
    """(sex, scored, at or above the MOF cut-off, the hip cut-off, either) for each sex."""
    rows = []
    for row, sex in enumerate(SEXES):
        mof, hip, either = (int(value) for value in tally.at_or_above[row])
        rows.append((sex.capitalize(), int(tally.people[row].sum()), mof, hip, either))
    return rows


@dataclass(frozen=True)
class Bar:
    """One histogram bin: its label, count as shown, and where its bar is drawn."""

    label: str
    count: str
    x: float
    y: float
    width: float
    height: float
    hidden: bool


@dataclass(frozen=True)
class Chart:
    """An SVG histogram of one risk, with the table that says the same."""

    key: str
    title: str
    description: str
    bars: list[Bar]
    cut_off: float
    cut_off_x: float
    ticks: list[tuple[float, str]]
    top_count: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    bottom: int = CHART_BOTTOM
    top: int = CHART_TOP


def _mof_chart(tally: ReportTally) -> Chart:
    return _chart(
        "mof",
        "10-year risk of a major osteoporotic fracture",
        tally.mof_bins,
        MOF_BIN_WIDTH,
        tally.cut_offs.major_osteoporotic,
    )


def _hip_chart(tally: ReportTally) -> Chart:
    return _chart(
        "hip", "10-year risk of a hip fracture", tally.hip_bins, HIP_BIN_WIDTH, tally.cut_offs.hip
    )


def _chart(key: str, title: str, counts, width: float, cut_off: float) -> Chart:
    """Bars for each bin, scaled to the largest count shown; hidden counts get no bar."""
    shown = [shown_count(n) or 0 for n in counts]
    top_count = _nice_top(max(shown, default=0))
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    step = plot_width / len(counts)
    bars = []
    for index, number in enumerate(int(n) for n in counts):
        rounded = shown_count(number) or 0
        height = plot_height * rounded / top_count if top_count else 0.0
        bars.append(
            Bar(
                _bin_label(index, width, len(counts)),
                count_text(number),
                CHART_LEFT + index * step + 1,
                CHART_TOP + plot_height - height,
                step - 2,
                height,
                _hidden(number),
            )
        )
    # A cut-off beyond the last bin's start is drawn at the right-hand edge.
    span = width * len(counts)
    cut_off_x = CHART_LEFT + plot_width * min(cut_off, span) / span
    return Chart(
        key,
        title,
        _description(title, counts, width),
        bars,
        cut_off,
        cut_off_x,
        _ticks(width, len(counts), step),
        top_count,
    )


def _nice_top(largest: int) -> int:
    """A round number at or above the largest count, for the top of the chart's scale
    (0 when no bar is drawn: the chart then has no scale to show)."""
    if largest <= 0:
        return 0
    magnitude = 10 ** math.floor(math.log10(largest))
    for multiple in (1, 2, 2.5, 5, 10):
        if largest <= multiple * magnitude:
            return max(1, int(multiple * magnitude))
    return largest


def _bin_label(index: int, width: float, bins: int) -> str:
    low = f"{index * width:g}"
    if index == bins - 1:
        return f"{low}% and over"
    return f"{low}% to under {(index + 1) * width:g}%"


def _ticks(width: float, bins: int, step: float) -> list[tuple[float, str]]:
    """Axis labels at about six evenly spaced bin edges."""
    every = max(1, round(bins / 6))
    return [(CHART_LEFT + index * step, f"{index * width:g}%") for index in range(0, bins, every)]


def _description(title: str, counts, width: float) -> str:
    """A sentence for screen readers: where most people fall; the table has every bin.

    The busiest bin is judged on the counts as shown and named only when one is shown, so
    the sentence says no more about small groups than the table does.
    """
    numbers = [shown_count(n) or 0 for n in counts]
    busiest = max(range(len(numbers)), key=numbers.__getitem__)
    where = ""
    if numbers[busiest]:
        where = f"The most people fall in the bin {_bin_label(busiest, width, len(numbers))}. "
    return (
        f"Histogram of {title.lower()}, in bins {width:g} percentage points wide. "
        f"{where}The table below gives every bin."
    )


@dataclass(frozen=True)
class Treatment:
    """The treatment gap, when the list says who is on bone treatment."""

    present: bool
    above: tuple[int, int, int]  # treated, not treated, blank: at or above a cut-off
    previous_fracture: tuple[int, int, int]
    unknown: int


def _treatment(tally: ReportTally) -> Treatment:
    def triple(counts) -> tuple[int, int, int]:
        return (int(counts[TREATED]), int(counts[NOT_TREATED]), int(counts[TREATMENT_UNKNOWN]))

    return Treatment(
        tally.has_treatment_column,
        triple(tally.treatment_at_or_above),
        triple(tally.treatment_previous_fracture),
        int(tally.treatment_unknown),
    )


@dataclass(frozen=True)
class Estimate:
    """Fractures that treating the people above the cut-offs could prevent, and the saving."""

    shown: bool
    people: int
    hip_expected: str
    other_expected: str
    all_expected: str
    hip_fractures: str
    other_fractures: str
    all_fractures: str
    hip_saving: str
    other_saving: str
    saving: str


def _estimate(tally: ReportTally) -> Estimate:
    """Sum of own risks × relative risk reduction × adherence; × cost per fracture."""
    hip = tally.hip_risk_sum / 100 * figures.HIP_RELATIVE_RISK_REDUCTION * figures.ADHERENCE
    other = (
        tally.other_major_risk_sum
        / 100
        * figures.OTHER_MAJOR_RELATIVE_RISK_REDUCTION
        * figures.ADHERENCE
    )
    hip_saving = hip * figures.HIP_FRACTURE_COST
    other_saving = other * figures.OTHER_MAJOR_FRACTURE_COST
    return Estimate(
        shown=tally.estimate_people >= SMALLEST_COUNT_SHOWN,
        people=tally.estimate_people,
        hip_expected=fractures_text(tally.hip_risk_sum / 100),
        other_expected=fractures_text(tally.other_major_risk_sum / 100),
        all_expected=fractures_text((tally.hip_risk_sum + tally.other_major_risk_sum) / 100),
        hip_fractures=fractures_text(hip),
        other_fractures=fractures_text(other),
        all_fractures=fractures_text(hip + other),
        hip_saving=pounds_text(hip_saving),
        other_saving=pounds_text(other_saving),
        saving=pounds_text(hip_saving + other_saving),
    )


def fractures_text(number: float) -> str:
    """Rounded half up: one decimal place under 10 ("fewer than 0.1" below it), then whole."""
    if number < 0.05:
        return "fewer than 0.1"
    if number < 9.95:
        return f"{_half_up(number, 0.1):.1f}"
    return f"{_half_up(number, 1):,.0f}"


def pounds_text(amount: float) -> str:
    """Rounded half up: to £100 under £100,000, to £1,000 under £1 million, then £ millions."""
    if amount < 50:
        return "less than £100"
    if amount < 99_950:
        return f"£{_half_up(amount, 100):,.0f}"
    if amount < 999_500:
        return f"£{_half_up(amount, 1000):,.0f}"
    return f"£{_half_up(amount / 1e6, 0.1):,.1f} million"


def _half_up(number: float, step: float) -> float:
    """`number` to the nearest multiple of `step`, halves rounded up (as people do by hand)."""
    return math.floor(number / step + 0.5) * step
