"""The case-finding report: the tally's counts, merging, refusal grouping and the page."""

import pickle
from datetime import datetime

import numpy as np
import pytest
from bs4 import BeautifulSoup

from tests.risk.report_list import CUT_OFFS, PEOPLE, REFUSALS, columns_of, hundred_times
from webapp.risk.refusals import OTHER, reason_group
from webapp.risk.report import (
    DEFAULT_CUT_OFFS,
    CutOffs,
    ReportTally,
    ScoredColumns,
    cut_offs_from,
    parse_cut_off,
    read_on_bone_treatment,
    render_report,
)
from webapp.risk.report_page import count_text, percent_text


def tally_of(people, cut_offs=CUT_OFFS, with_treatment=True) -> ReportTally:
    tally = ReportTally(cut_offs)
    tally.add_scored(columns_of(people, with_treatment))
    return tally


def test_the_hand_worked_list_is_counted_as_worked_out():
    tally = tally_of(PEOPLE)
    tally.add_refused(REFUSALS)
    assert (tally.rows_read, tally.rows_scored, tally.rows_refused) == (24, 16, 8)
    assert tally.people.tolist() == [[2, 2, 3, 1, 1], [1, 2, 1, 1, 2]]
    assert tally.meeting_nice_cg146.tolist() == [[0, 1, 3, 1, 1], [0, 1, 0, 1, 2]]
    # Columns: at or above the MOF cut-off, the hip cut-off, either; rows women, men.
    assert tally.at_or_above.tolist() == [[4, 3, 5], [1, 3, 3]]
    assert tally.mof_bins.tolist() == [3, 3, 3, 2, 2, 1, 0, 0, 0, 0, 1, 0, 1]
    assert tally.hip_bins.tolist() == [4, 1, 2, 1, 1, 1, 1, 1, 1] + [0] * 9 + [1, 0, 2]
    assert (tally.previous_fracture, tally.previous_fracture_at_or_above) == (5, 4)
    assert tally.has_treatment_column
    assert tally.treatment_at_or_above.tolist() == [2, 5, 1]  # treated, not, blank
    assert tally.treatment_previous_fracture.tolist() == [2, 3, 0]
    assert tally.treatment_unknown == 3
    assert tally.estimate_people == 6
    assert tally.hip_risk_sum == pytest.approx(42.5)
    assert tally.other_major_risk_sum == pytest.approx(48.5)


def test_without_a_treatment_column_everyone_above_a_cut_off_is_in_the_estimate():
    tally = tally_of(PEOPLE, with_treatment=False)
    assert not tally.has_treatment_column
    assert tally.treatment_at_or_above.tolist() == [0, 0, 0]
    # The 6 of the hand-worked estimate plus #2 (hip 3.5, other 4.5) and #13 (9.0, 5.0).
    assert tally.estimate_people == 8
    assert tally.hip_risk_sum == pytest.approx(42.5 + 3.5 + 9.0)
    assert tally.other_major_risk_sum == pytest.approx(48.5 + 4.5 + 5.0)


def test_cut_offs_move_who_is_counted_above_them():
    tally = tally_of(PEOPLE, CutOffs(major_osteoporotic=20.0, hip=10.0))
    # MOF 20 or more: #3 (25) and #6 (31); hip 10 or more: #3 and #6 as well.
    assert tally.at_or_above.tolist() == [[2, 2, 2], [0, 0, 0]]
    assert tally.estimate_people == 2
    assert tally.hip_risk_sum == pytest.approx(32.5)


def test_merging_batch_tallies_equals_one_tally_of_the_whole_list():
    whole = tally_of(PEOPLE)
    whole.add_refused(REFUSALS)
    merged = ReportTally(CUT_OFFS)
    for batch_number, start in enumerate(range(0, len(PEOPLE), 5)):
        batch = tally_of(PEOPLE[start : start + 5])
        batch.add_refused(REFUSALS[2 * batch_number : 2 * batch_number + 2])
        # Workers hand their tallies back to the parent process pickled.
        merged.merge(pickle.loads(pickle.dumps(batch)))
    for name in vars(whole):
        mine, theirs = getattr(merged, name), getattr(whole, name)
        if isinstance(theirs, float):
            assert mine == pytest.approx(theirs), name
        elif isinstance(theirs, np.ndarray):
            assert mine.tolist() == theirs.tolist(), name
        else:
            assert mine == theirs, name


def test_tallies_with_different_cut_offs_do_not_merge():
    with pytest.raises(ValueError, match="different cut-offs"):
        tally_of(PEOPLE).merge(tally_of(PEOPLE, CutOffs(12.0, 3.0)))


def test_refusals_are_grouped_without_the_cells_they_quote():
    groups = [reason_group(reason) for reason in REFUSALS]
    assert groups == [
        "age must be a whole number from 30 to 100 years (got a number)",
        "age must be a whole number from 30 to 100 years (got text)",
        "sex must be F or M (female or male) (got text)",
        "sex must be F or M (female or male) (got a blank cell)",
        "The row has a different number of values from the header row",
        "No BMI, and no height_cm and weight_kg to work it out from",
        "bmi is not plausible for an adult (below 10 or above 100 kg/m²; usually a height in "
        "metres or a weight in stones)",
        "falls must be yes or no (1/0, yes/no, y/n, true/false) (got text)",
    ]
    assert not any(value in " ".join(groups) for value in ("29", "Smith", "'X'", "250", "maybe"))


@pytest.mark.parametrize(
    "reason",
    [
        "Something new went wrong with 'Jane Smith'.",
        "nhs_number must be blank; got '943 476 5919'.",  # not a column we know
        "age must be 30 or more, not 29; got 29.",  # a value before "; got"
    ],
)
def test_a_reason_we_do_not_recognise_is_counted_without_its_text(reason):
    assert reason_group(reason) == OTHER


def test_on_bone_treatment_is_read_as_yes_no_with_blank_as_not_recorded():
    cells = ["1", "Yes", " y ", "TRUE", "0", "no", "N", "false", "", "  ", "maybe", "2"]
    assert read_on_bone_treatment(cells).tolist() == [1, 1, 1, 1, 0, 0, 0, 0, -1, -1, -1, -1]
    assert read_on_bone_treatment(cells).dtype == np.int8


def test_the_treatment_vocabulary_is_the_practice_lists_yes_no_vocabulary():
    from webapp.risk.practice_list import YES_NO_VALUES

    answers = {text: answer for text, answer in YES_NO_VALUES.items() if text}
    assert read_on_bone_treatment(answers).tolist() == [int(a) for a in answers.values()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mof=10", ("major_osteoporotic", 10.0)),
        ("MOF = 12.5", ("major_osteoporotic", 12.5)),
        ("hip=3", ("hip", 3.0)),
        ("major_osteoporotic=20", ("major_osteoporotic", 20.0)),
    ],
)
def test_a_cut_off_is_read_from_the_command_line(text, expected):
    assert parse_cut_off(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10", "written mof=PERCENT or hip=PERCENT"),
        ("spine=5", "written mof=PERCENT or hip=PERCENT"),
        ("hip=three", "more than 0 and less than 100; got 'three'"),
        ("hip=0", "more than 0"),
        ("mof=100", "less than 100"),
        ("mof=nan", "less than 100"),
    ],
)
def test_a_cut_off_that_cannot_be_used_is_explained(text, message):
    with pytest.raises(ValueError, match=message):
        parse_cut_off(text)


def test_cut_offs_given_replace_the_defaults_one_at_a_time():
    assert cut_offs_from([]) == DEFAULT_CUT_OFFS
    assert DEFAULT_CUT_OFFS == CutOffs(major_osteoporotic=10.0, hip=5.0)
    assert cut_offs_from(["hip=3"]) == CutOffs(major_osteoporotic=10.0, hip=3.0)
    assert cut_offs_from(["mof=15", "mof=20"]) == CutOffs(major_osteoporotic=20.0, hip=5.0)


# The page ----------------------------------------------------------------------------

WHEN = datetime(2026, 12, 1, 23, 50)


def rendered(tally: ReportTally, list_name: str = "Riverside Surgery") -> BeautifulSoup:
    """The page for a tally, parsed, with the promises every page keeps checked."""
    html = render_report(tally, list_name=list_name, generated_at=WHEN)
    page = BeautifulSoup(html, "html.parser")
    headings = page.find_all("h1")
    assert len(headings) == 1
    assert page.title.get_text().startswith(headings[0].get_text())
    for table in page.find_all("table"):
        assert table.caption is not None and table.caption.get_text().strip()
        assert all(cell.get("scope") in ("col", "row") for cell in table.find_all("th"))
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids))
    return page


def table(page: BeautifulSoup, caption: str) -> list[list[str]]:
    """The rows of the table with this caption (header row included), as cell texts."""
    for candidate in page.find_all("table"):
        if " ".join(candidate.caption.get_text().split()) == caption:
            return [
                [" ".join(cell.get_text().split()) for cell in row.find_all(["th", "td"])]
                for row in candidate.find_all("tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def key_figures(page: BeautifulSoup) -> list[str]:
    return [" ".join(item.get_text().split()) for item in page.select(".key-figures li")]


def text_of(page: BeautifulSoup) -> str:
    return " ".join(page.get_text().split())


def test_the_page_shows_the_hand_worked_counts():
    page = rendered(hundred_times())
    assert key_figures(page)[:4] == [
        "1,600 people scored of 2,400 rows read",
        "1,000 meet NICE CG146’s criteria for a fracture-risk assessment (62.5%)",
        "800 at or above the cut-offs on QFracture risk (50.0%)",
        "500 with a previous fracture recorded",
    ]
    refused = table(page, "Rows refused, by reason")
    assert len(refused) == 1 + 8 + 1
    assert all(row[1] == "100" for row in refused[1:-1])
    assert refused[-1] == ["All refused rows", "800"]
    assert table(page, "Meeting NICE CG146’s criteria for assessment, by sex and age band")[1:] == [
        ["Female", "30 to 49", "200", "0", "0.0%"],
        ["Female", "50 to 64", "200", "100", "50.0%"],
        ["Female", "65 to 74", "300", "300", "100.0%"],
        ["Female", "75 to 84", "100", "100", "100.0%"],
        ["Female", "85 and over", "100", "100", "100.0%"],
        ["Male", "30 to 49", "100", "0", "0.0%"],
        ["Male", "50 to 64", "200", "100", "50.0%"],
        ["Male", "65 to 74", "100", "0", "0.0%"],
        ["Male", "75 to 84", "100", "100", "100.0%"],
        ["Male", "85 and over", "200", "200", "100.0%"],
        ["Everyone scored", "1,600", "1,000", "62.5%"],
    ]
    assert "identified 27.8% of the 551,550 records" in text_of(page)


def test_the_page_shows_who_is_at_or_above_the_cut_offs_as_worked_out():
    page = rendered(hundred_times())
    assert table(page, "People at or above the cut-offs, by sex") == [
        ["Sex", "Scored", "Major osteoporotic 10% or more", "Hip 3% or more", "Either",
         "Either, share"],
        ["Female", "900", "400", "300", "500", "55.6%"],  # 500 / 900
        ["Male", "700", "100", "300", "300", "42.9%"],  # 300 / 700
        ["Everyone scored", "1,600", "500", "600", "800", "50.0%"],
    ]  # fmt: skip
    words = text_of(page)
    assert "major osteoporotic fracture 10% and hip fracture 3%" in words
    assert "NOGG’s intervention thresholds are defined on FRAX probabilities" in words


def test_the_histograms_and_their_tables_hold_the_hand_worked_bins():
    page = rendered(hundred_times())
    mof = table(page, "10-year risk of a major osteoporotic fracture: people in each band "
                      "(the same as the chart)")  # fmt: skip
    assert [row[1] for row in mof[1:]] == [
        "300", "300", "300", "200", "200", "100", "0", "0", "0", "0", "100", "0", "100"
    ]  # fmt: skip
    assert mof[1][0] == "0% to under 2.5%" and mof[-1][0] == "30% and over"
    hip = table(page, "10-year risk of a hip fracture: people in each band (the same as the chart)")
    assert [row[1] for row in hip[1:]] == (
        ["400", "100", "200", "100", "100", "100", "100", "100", "100"]
        + ["0"] * 9 + ["100", "0", "200"]
    )  # fmt: skip
    assert hip[-1][0] == "10% and over"
    charts = page.find_all("svg")
    assert len(charts) == 2
    for chart in charts:
        assert chart["role"] == "img"
        labelled_by = [page.find(id=name) for name in chart["aria-labelledby"].split()]
        assert [element.name for element in labelled_by] == ["title", "desc"]
    descriptions = [" ".join(desc.get_text().split()) for desc in page.find_all("desc")]
    # MOF: the first three bins tie at 300, and the first is named; hip: 400 in the first.
    assert "The most people fall in the bin 0% to under 2.5%." in descriptions[0]
    assert "The most people fall in the bin 0% to under 0.5%." in descriptions[1]
    # One drawn bar for each bin with people in it: 8 MOF bins, 11 hip bins.
    assert [len(chart.find_all("rect", fill="#005eb8")) for chart in charts] == [8, 11]


def test_the_treatment_gap_is_counted_as_worked_out():
    page = rendered(hundred_times())
    assert table(page, "Bone treatment recorded (the on_bone_treatment column)")[1:] == [
        ["At or above the cut-offs", "200", "500", "100"],
        ["Previous fracture", "200", "300", "0"],
    ]
    words = text_of(page)
    assert "The treatment gap: 500 people at or above the cut-offs" in words
    assert "In the whole list, 300 people have a blank or unreadable" in words
    assert "500 of the people scored have a previous fracture recorded" in words
    assert "400 of them are at or above the cut-offs" in words


def test_the_estimate_is_the_hand_worked_sum_of_risks_times_reductions_and_adherence():
    # 600 people at or above a cut-off and not treated. Hip: risks sum to 4,250% = 42.5
    # expected fractures; x 0.40 x 0.436 = 7.412 prevented; x £10,964 = £81,265.
    # Other major: 4,850% = 48.5 expected; x 0.16 x 0.436 = 3.38336; x £690 = £2,334.5.
    # All: 91 expected, 10.795 prevented (11 rounded), £83,599.7 (£83,600 rounded).
    page = rendered(hundred_times())
    assert table(
        page,
        "Estimated fractures prevented over 10 years, and hospital costs avoided "
        "(estimate, rounded)",
    )[1:] == [
        ["Hip", "43", "7.4", "£81,300"],
        ["Other major osteoporotic (spine, wrist, shoulder)", "49", "3.4", "£2,300"],
        ["All", "91", "11", "£83,600"],
    ]
    assert "11 fractures that treatment could prevent over 10 years (estimate)" in key_figures(page)
    inputs = dict(
        (row[0], row[1]) for row in table(page, "Every input to the estimate, with its source")
    )
    assert inputs["Hip fracture relative risk reduction"] == "40% (RR 0.60)"
    assert inputs["Other major fracture relative risk reduction"] == "16% (non-vertebral, RR 0.84)"
    assert inputs["Adherence assumption"] == "43.6% get the benefit"
    assert inputs["Cost of a hip fracture"] == "£10,964"
    assert inputs["Cost of another major fracture"] == "£690"
    assert "If the 600 people at or above the cut-offs and not recorded as on bone" in text_of(page)


def test_small_counts_are_hidden_and_no_estimate_is_given_for_a_few_people():
    # Counts as shown: 1 to 7 hidden, the rest to the nearest 5 (16 -> 15, 24 -> 25,
    # 8, 9 and 10 -> 10); shares from the counts as shown (10 of 15 = 66.7%).
    tally = tally_of(PEOPLE)
    tally.add_refused(REFUSALS)
    page = rendered(tally)
    assert key_figures(page)[:3] == [
        "15 people scored of 25 rows read",
        "10 meet NICE CG146’s criteria for a fracture-risk assessment (66.7%)",
        "10 at or above the cut-offs on QFracture risk (66.7%)",
    ]
    bands = table(page, "Meeting NICE CG146’s criteria for assessment, by sex and age band")
    assert bands[1] == ["Female", "30 to 49", "fewer than 8", "0", "–"]
    assert bands[3] == ["Female", "65 to 74", "fewer than 8", "fewer than 8", "–"]
    assert bands[-1] == ["Everyone scored", "15", "10", "66.7%"]
    assert table(page, "People at or above the cut-offs, by sex")[1:] == [
        ["Female", "10", "fewer than 8", "fewer than 8", "fewer than 8", "–"],
        ["Male", "fewer than 8", "fewer than 8", "fewer than 8", "fewer than 8", "–"],
        ["Everyone scored", "15", "fewer than 8", "fewer than 8", "10", "66.7%"],
    ]
    # Only 6 people would be in the estimate: too few to show one.
    words = text_of(page)
    assert (
        "Not shown: fewer than 8 people are at or above the cut-offs and not on treatment" in words
    )
    assert not page.find("caption", string=lambda text: text and "Estimated fractures" in text)
    assert "The treatment gap: fewer than 8 people" in words
    mof = table(page, "10-year risk of a major osteoporotic fracture: people in each band "
                      "(the same as the chart)")  # fmt: skip
    assert {row[1] for row in mof[1:]} == {"fewer than 8", "0"}
    # No bar is drawn whose height would give a hidden count away, and the charts'
    # descriptions do not say which hidden band is the largest.
    assert not page.find_all("rect", fill="#005eb8")
    assert all("The most people" not in desc.get_text() for desc in page.find_all("desc"))


def test_a_list_with_no_one_scored_still_makes_a_page():
    tally = ReportTally(CUT_OFFS)
    empty = np.array([], dtype=bool)
    tally.add_scored(
        ScoredColumns(empty, np.array([], dtype=np.int64), np.array([]), np.array([]),
                      empty, empty, np.array([], dtype=np.int8))
    )  # fmt: skip
    tally.add_refused(["This row has 7 values but the header has 9."] * 9)
    page = rendered(tally)
    assert key_figures(page)[0] == "0 people scored of 10 rows read"  # 9, rounded to 5
    assert table(page, "Rows refused, by reason")[1:] == [
        ["The row has a different number of values from the header row", "10"],
        ["All refused rows", "10"],
    ]
    assert "Not shown: fewer than 8 people" in text_of(page)


@pytest.mark.parametrize(
    ("number", "shown"),
    [(0, "0"), (1, "fewer than 8"), (7, "fewer than 8"), (8, "10"), (12, "10"), (13, "15"),
     (1_232, "1,230"), (1_233, "1,235"), (551_550, "551,550")],
)  # fmt: skip
def test_counts_are_hidden_below_8_and_rounded_to_the_nearest_5(number, shown):
    assert count_text(number) == shown


def test_shares_are_worked_out_from_the_counts_as_shown():
    # 9 of 13 shown as 10 of 15: 66.7%, not 69.2%, so the share gives nothing away.
    assert percent_text(9, 13) == "66.7%"
    assert percent_text(5, 100) == "–"  # the part is hidden
    assert percent_text(0, 100) == "0.0%"
    assert percent_text(0, 0) == "–"


def test_without_a_treatment_column_the_page_says_so():
    page = rendered(tally_of(PEOPLE, with_treatment=False))
    assert "The list has no on_bone_treatment column" in text_of(page)
    assert "Bone treatment recorded" not in text_of(page)


def test_the_page_holds_no_value_from_the_rows_it_refused():
    tally = tally_of(PEOPLE)
    tally.add_refused(
        [
            "sex must be F or M (female or male); got 'Jane Smith'.",
            "age must be a whole number from 30 to 100 years; got '943 476 5919'.",
            "This row has 3 values but the header has 9.",
            "Something unexpected about 'P-000123'.",
        ]
    )
    html = render_report(tally, list_name="Riverside Surgery", generated_at=WHEN)
    for value in ("Jane", "Smith", "943", "5919", "P-000123"):
        assert value not in html


def test_the_list_name_is_text_not_markup():
    html = render_report(
        tally_of(PEOPLE), list_name="<script>alert(1)</script> & Co", generated_at=WHEN
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_the_page_loads_nothing_and_runs_nothing():
    html = render_report(hundred_times(), list_name="Riverside Surgery", generated_at=WHEN)
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["script", "link", "img", "iframe", "object", "embed"])
    assert not page.find_all(src=True)
    assert not any(name.startswith("on") for tag in page.find_all(True) for name in tag.attrs)
    for tag in page.find_all(href=True):
        # Citation links a reader may follow; nothing the page itself fetches.
        assert tag.name == "a" and tag["href"].startswith("https://"), tag
    style = page.style.get_text()
    assert "url(" not in style and "@import" not in style
    assert "@page { size: A4" in style


def test_the_tally_agrees_with_counting_person_by_person():
    """Random people, counted once by the tally and once by plain loops over them."""
    rng = np.random.default_rng(11)
    people = [
        (
            bool(rng.random() < 0.5),
            int(rng.integers(30, 101)),
            float(rng.gamma(2, 4)),
            float(rng.gamma(1, 2)),
            bool(rng.random() < 0.4),
            bool(rng.random() < 0.15),
            int(rng.choice([1, 0, -1])),
        )
        for _ in range(600)
    ]
    tally = tally_of(people)
    people_count = np.zeros((2, 5), dtype=int)
    meeting = np.zeros((2, 5), dtype=int)
    at_or_above = np.zeros((2, 3), dtype=int)
    treatment_above, treatment_previous = [0, 0, 0], [0, 0, 0]
    hip_sum = other_sum = 0.0
    index_of = {1: 0, 0: 1, -1: 2}
    for female, age, mof, hip, meets, previous, treated in people:
        sex = 0 if female else 1
        band = sum(age >= start for start in (50, 65, 75, 85))
        people_count[sex, band] += 1
        meeting[sex, band] += meets
        flags = (mof >= CUT_OFFS.major_osteoporotic, hip >= CUT_OFFS.hip)
        above = flags[0] or flags[1]
        at_or_above[sex] += [flags[0], flags[1], above]
        if above:
            treatment_above[index_of[treated]] += 1
        if previous:
            treatment_previous[index_of[treated]] += 1
        if above and treated != 1:
            hip_sum += hip
            other_sum += max(mof - hip, 0.0)
    assert tally.people.tolist() == people_count.tolist()
    assert tally.meeting_nice_cg146.tolist() == meeting.tolist()
    assert tally.at_or_above.tolist() == at_or_above.tolist()
    assert tally.treatment_at_or_above.tolist() == treatment_above
    assert tally.treatment_previous_fracture.tolist() == treatment_previous
    assert tally.treatment_unknown == sum(person[6] == -1 for person in people)
    assert tally.hip_risk_sum == pytest.approx(hip_sum)
    assert tally.other_major_risk_sum == pytest.approx(other_sum)


def test_on_bone_treatment_read_from_distinct_texts_and_codes_is_the_same():
    distinct = ["yes", "", "no", "Y", "unsure"]
    codes = np.array([0, 1, 2, 3, 4, 4, 2, 0])
    cells = [distinct[code] for code in codes]
    indexed = read_on_bone_treatment(distinct)[codes]
    assert indexed.tolist() == read_on_bone_treatment(cells).tolist() == [1, -1, 0, 1, -1, -1, 0, 1]


def test_a_cut_off_beyond_the_last_band_is_drawn_at_the_charts_edge_and_labelled_inside():
    page = rendered(tally_of(PEOPLE, CutOffs(major_osteoporotic=40.0, hip=15.0)))
    for chart, label in zip(page.find_all("svg"), ("cut-off 40%", "cut-off 15%"), strict=True):
        width = float(chart["viewbox"].split()[2])
        text = chart.find("text", string=label)
        assert text["text-anchor"] == "end"
        line = chart.find("line", stroke="#d5281b")
        assert float(line["x1"]) == float(line["x2"]) <= width
