"""The server-drawn SVG charts: well-formed, named for screen readers, one bar a month, escaped."""

import xml.etree.ElementTree as ET
from datetime import date

from webapp.adherence.facts import MonthCoverage
from webapp.charts import adherence_chart, bar_chart, coverage, percent

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def _months(measured=30) -> list[MonthCoverage]:
    """A year from January 2026: month n has 2n days covered of `measured` (March: none)."""
    return [MonthCoverage(date(2026, month, 1), 2 * month, 0 if month == 3 else measured)
            for month in range(1, 13)]  # fmt: skip


def test_the_chart_is_an_image_named_by_its_title_and_described_by_every_figure():
    svg = _parse(adherence_chart(_months()))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text == "Adherence by month, last 12 months"
    assert "January 2026: 7%" in desc.text  # 2 of 30 days
    assert "March 2026: No figure" in desc.text
    assert "December 2026: 80%" in desc.text  # 24 of 30
    assert "The target is 80%" in desc.text


def test_a_bar_for_each_month_measured_and_a_dash_for_a_month_with_nothing_to_measure():
    svg = _parse(adherence_chart(_months()))
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 11
    texts = [("".join(text.itertext())) for text in svg.iter(f"{SVG}text")]
    assert texts.count("–") == 1
    assert "Jan2026" in texts and "Dec" in texts  # the year under the first month only
    assert "Target 80%" in texts
    assert {"0%", "50%", "100%"} <= set(texts)


def test_bar_heights_are_in_proportion_and_the_target_line_sits_at_80_percent():
    svg = _parse(bar_chart("Two", [("Full", 1.0), ("Half", 0.5)]))
    full, half = (float(rect.get("height")) for rect in svg.findall(f"{SVG}rect"))
    assert half == full / 2
    baseline = max(float(rect.get("y")) + float(rect.get("height"))
                   for rect in svg.findall(f"{SVG}rect"))  # fmt: skip
    target = next(line for line in svg.findall(f"{SVG}line") if line.get("stroke-dasharray"))
    assert float(target.get("y1")) == round(baseline - 0.8 * full, 1)


def test_labels_and_titles_are_escaped_never_markup():
    hostile = '<script>alert("x")</script> & </svg>'
    markup = bar_chart(hostile, [(hostile, 0.4), ("ok", None)], chart_id="hostile")
    assert "<script>" not in str(markup)
    svg = _parse(markup)
    assert svg.find(f"{SVG}title").text == hostile
    assert hostile in ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert not list(svg.iter(f"{SVG}script"))


def test_values_are_kept_between_0_and_100_percent_and_none_is_no_figure():
    svg = _parse(bar_chart("Odd", [("Over", 1.7), ("Under", -0.2), ("None", None)]))
    desc = svg.find(f"{SVG}desc").text
    assert "Over: 100%" in desc and "Under: 0%" in desc and "None: No figure" in desc
    assert [float(rect.get("height")) >= 0 for rect in svg.findall(f"{SVG}rect")] == [True, True]


def test_ids_come_from_the_title_unless_given_so_two_charts_share_a_page():
    first = _parse(bar_chart("By medicine", [("A", 0.9)]))
    second = _parse(bar_chart("By month", [("A", 0.9)]))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    assert _parse(bar_chart("x", [], chart_id="mine")).find(f"{SVG}title").get("id") == "mine-title"


def test_coverage_and_percent():
    assert coverage(MonthCoverage(date(2026, 1, 1), 15, 30)) == 0.5
    assert coverage(MonthCoverage(date(2026, 1, 1), 0, 0)) is None
    assert coverage(MonthCoverage(date(2026, 1, 1), 40, 30)) == 1.0
    assert (percent(0.855), percent(None)) == ("86%", "No figure")
