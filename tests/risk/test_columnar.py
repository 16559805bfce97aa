"""The columnar engine against the row engine (the reference) and ClinRisk's own vectors.

Both engines read the same cells with the same readers and the same loaded coefficients;
these tests hold them to the same answer for any list Hypothesis can write, bad cells and
edge values included: the same rows scored, risks within 1e-9 percentage points, the same
BMI used, notes and NICE CG146 count.
"""

import csv
import io
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.risk import COEFFICIENT_KEYS, RiskInputError
from webapp.risk.batches import coded, decimal_texts, fixed_decimals
from webapp.risk.columnar import CodedColumn, score_columns
from webapp.risk.list_files import csv_cell
from webapp.risk.practice_list import YES_NO_COLUMNS, PracticeListColumns, RowScorer

VECTORS = json.loads(
    Path(__file__).with_name("qfracture_2012_test_vectors.json").read_text(encoding="utf-8")
)
ANSWER_FOR_KEY = {key: answer for answer, key in COEFFICIENT_KEYS.items()}
COLUMN_FOR_ANSWER = {answer: column for column, answer in YES_NO_COLUMNS.items()}
AGREE_TO = 1e-9  # percentage points
PRINTED_TO = 5e-7 + 1e-9  # ClinRisk prints 6 decimals

# Cells a practice list may hold: valid ones, with the edges of every range, and bad ones.
VALID = {
    "sex": st.sampled_from(["F", "M", "f", "male", "Female", " M "]),
    "age": st.one_of(st.integers(30, 100).map(str), st.sampled_from(["30", "100", " 70 ", "065"])),
    "bmi": st.one_of(
        st.floats(10.0, 100.0).map(repr),
        st.sampled_from(["20", "40", "19.999", "40.001", "18.49", "18.5", "10", "100", "1e1", ""]),
    ),
    "height_cm": st.floats(100.0, 220.0).map(lambda h: f"{h:.1f}"),
    "weight_kg": st.floats(25.0, 250.0).map(lambda w: f"{w:.1f}"),
    "ethnicity": st.sampled_from(["", "1", "5", "9", " 3 "]),
    "smoking": st.sampled_from(["", "0", "1", "2", "3", "4"]),
    "alcohol": st.sampled_from(["", "0", "1", "2", "3", "4", "5"]),
    "diabetes": st.sampled_from(["", "none", "type1", "Type2", "TYPE1"]),
    **{column: st.sampled_from(["", "0", "1", "yes", "No", " y ", "n", "true", "FALSE"])
       for column in YES_NO_COLUMNS},
}  # fmt: skip
BAD = {
    "sex": st.sampled_from(["X", "", "fm"]),
    "age": st.sampled_from(["29", "101", "65.5", "", "sixty", "-70"]),
    "bmi": st.sampled_from(["9.99", "100.01", " ", "25,5", "nan", "inf", "abc", "-25"]),
    "height_cm": st.sampled_from(["", "0", "-160", "x", "1e400", "16"]),
    "weight_kg": st.sampled_from(["", "0", "500", "x", "-1"]),
    "ethnicity": st.sampled_from(["0", "10", "2.0", "x"]),
    "smoking": st.sampled_from(["5", "-1", "x"]),
    "alcohol": st.sampled_from(["6", "1.5"]),
    "diabetes": st.sampled_from(["type3", "yes"]),
    **{column: st.sampled_from(["maybe", "2", "-"]) for column in YES_NO_COLUMNS},
}
OPTIONAL_COLUMNS = ["bmi", "height_cm", "weight_kg", "ethnicity", "smoking", "alcohol", "diabetes",
                    *YES_NO_COLUMNS]  # fmt: skip


@st.composite
def practice_lists(draw):
    """A header (sex, age, then any other columns, in any order) and 1 to 20 rows, each
    valid or with one or two bad cells."""
    optional = draw(st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True))
    if "bmi" not in optional:  # a list needs a bmi column or both height and weight
        optional = list(dict.fromkeys([*optional, "height_cm", "weight_kg"]))
    header = draw(st.permutations(["sex", "age", *optional]))
    rows = []
    for _ in range(draw(st.integers(1, 20))):
        row = [draw(VALID[name]) for name in header]
        for position in draw(st.lists(st.integers(0, len(header) - 1), max_size=2)):
            if draw(st.integers(0, 2)) == 0:
                row[position] = draw(BAD[header[position]])
        rows.append(row)
    return header, rows


def both_engines(header: list[str], rows: list[list[str]]):
    """(row engine's result or reason for each row, the columnar engine's ColumnarScores)."""
    columns = PracticeListColumns.from_header(header)
    scorer = RowScorer(columns)
    by_row = []
    for row in rows:
        try:
            by_row.append(scorer.score(row))
        except RiskInputError as problem:
            by_row.append(str(problem))
    cells = {name: CodedColumn.of([row[position] for row in rows])
             for name, position in columns.positions.items()}  # fmt: skip
    return by_row, score_columns(columns, cells, len(rows))


@settings(max_examples=150)
@given(practice_lists())
def test_the_columnar_engine_agrees_with_the_row_engine(practice_list):
    header, rows = practice_list
    by_row, columnar = both_engines(header, rows)

    notes = [columnar.notes.distinct[code] for code in columnar.notes.codes]
    for index, expected in enumerate(by_row):
        if isinstance(expected, str):  # refused: the row engine gives the reason
            assert not columnar.scored[index], (rows[index], expected)
            continue
        mof, hip, bmi_used, note, meets, previous = expected
        assert columnar.scored[index], rows[index]
        assert abs(columnar.major_osteoporotic[index] - mof) <= AGREE_TO
        assert abs(columnar.hip[index] - hip) <= AGREE_TO
        assert columnar.bmi_used[index] == bmi_used
        assert notes[index] == note
        assert bool(columnar.meets_nice_cg146[index]) is meets
        assert bool(columnar.previous_fracture[index]) is previous
        assert columnar.female[index] == (rows[index][header.index("sex")].strip()[0] in "Ff")


def test_the_reference_vectors_score_on_both_engines():
    header = ["id", "sex", "age", "bmi", "ethnicity", "smoking", "alcohol", "diabetes",
              *YES_NO_COLUMNS]  # fmt: skip
    rows = []
    for vector in VECTORS["ten_year"]:
        answers = {ANSWER_FOR_KEY[key] for key in vector["flags"]}
        diabetes = next((a[:5] for a in sorted(answers) if a.endswith("_diabetes")), "none")
        rows.append(
            [vector["id"], vector["sex"], str(vector["age"]), repr(vector["bmi"]),
             str(vector["ethrisk"]), str(vector["smoke_cat"]), str(vector["alcohol_cat6"]),
             diabetes, *("1" if answer in answers else "0" for answer in YES_NO_COLUMNS.values())]
        )  # fmt: skip

    by_row, columnar = both_engines(header, rows)

    assert columnar.scored.all()
    for index, vector in enumerate(VECTORS["ten_year"]):
        for got in (columnar.major_osteoporotic[index], by_row[index][0]):
            assert f"{got:.6f}" == f"{vector['mof']:.6f}"
            assert abs(got - vector["mof"]) <= PRINTED_TO
        for got in (columnar.hip[index], by_row[index][1]):
            assert f"{got:.6f}" == f"{vector['hip']:.6f}"
            assert abs(got - vector["hip"]) <= PRINTED_TO
    assert len(rows) == 13


@pytest.mark.parametrize(
    ("bmi", "height", "weight", "scored"),
    [("", "160", "64", True), ("", "160", "", False), ("", "0", "64", False),
     ("", "160", "2", False), ("17.5", "", "", True), ("250", "160", "64", False)],
)  # fmt: skip
def test_bmi_from_height_and_weight_only_when_the_bmi_cell_is_blank(bmi, height, weight, scored):
    header = ["sex", "age", "bmi", "height_cm", "weight_kg"]
    by_row, columnar = both_engines(header, [["F", "70", bmi, height, weight]])

    assert bool(columnar.scored[0]) is scored is not isinstance(by_row[0], str)


def test_coded_columns_give_each_row_its_own_text():
    column = CodedColumn.of(["b", "a", "b", ""])

    assert [column.distinct[code] for code in column.codes] == ["b", "a", "b", ""]
    assert np.asarray(column.codes).shape == (4,)


def test_the_edges_of_every_nice_cg146_rule_agree():
    header = ["sex", "age", "bmi", "smoking", "alcohol", "previous_fracture", "steroids", "falls"]
    rows = [
        [sex, age, bmi, smoking, alcohol, fracture, steroids, falls]
        for sex, age, bmi, smoking, alcohol, fracture, steroids, falls in itertools.product(
            "FM", ["49", "50", "64", "65", "74", "75"], ["18.49", "18.5"], "12", "23", "01",
            "01", "01",
        )
    ]  # fmt: skip

    by_row, columnar = both_engines(header, rows)

    assert columnar.meets_nice_cg146.tolist() == [scored[4] for scored in by_row]
    assert 0 < columnar.meets_nice_cg146.sum() < len(rows)


RISKS_AND_EDGES = st.one_of(st.floats(0.0, 100.0), st.sampled_from(
    [0.0, 0.5e-6, 2.5e-6, 9.9999995, 99.9999995, 100.0, 12.3456785, 1e-300, 999.994]))  # fmt: skip


@given(st.lists(RISKS_AND_EDGES, min_size=1, max_size=50), st.sampled_from([2, 6]))
def test_risks_are_written_as_python_formats_them(values, decimals):
    written = np.array([index % 5 != 3 for index in range(len(values))])

    units = fixed_decimals(np.array(values), decimals, written)
    text = decimal_texts([(units, decimals)], written)

    expected = [f"{value:.{decimals}f}" if keep else ""
                for value, keep in zip(values, written, strict=True)]  # fmt: skip
    assert text.to_pylist() == expected
    assert [unit for unit, keep in zip(units.tolist(), written, strict=True) if keep] == [
        int(number.replace(".", "")) for number in expected if number
    ]


@given(st.lists(st.tuples(RISKS_AND_EDGES, RISKS_AND_EDGES, st.floats(14.0, 55.0), st.booleans()),
                min_size=1, max_size=50))  # fmt: skip
def test_a_rows_numbers_are_written_as_cells_in_a_row_blank_where_not_scored(rows):
    mof, hip, bmi, written = (np.array(column) for column in zip(*rows, strict=True))
    numbers = [(fixed_decimals(mof, 6, written), 6), (fixed_decimals(hip, 6, written), 6),
               (fixed_decimals(bmi, 2, written), 2)]  # fmt: skip

    text = decimal_texts(numbers, written)

    assert text.to_pylist() == [
        f"{row[0]:.6f},{row[1]:.6f},{row[2]:.2f}" if row[3] else ",," for row in rows
    ]


def test_a_number_too_big_to_be_a_risk_or_bmi_is_refused_not_written_wrongly():
    with pytest.raises(ValueError, match="1000 or more"):
        fixed_decimals(np.array([12.5, 1000.0]), 2, np.array([True, True]))


@given(st.text(alphabet=st.sampled_from(["a", " ", ",", '"', "\r", "\n", ";", "é"]), min_size=1))
def test_a_note_or_reason_is_written_as_the_csv_module_writes_a_cell(text):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([text])

    assert csv_cell(text) + "\r\n" == buffer.getvalue()


@pytest.mark.parametrize(
    "cells", [["1", "0", "1"], ["F", "M", "x"], ["", "1", "10"], ["yes", "no", "y"], ["0"]]
)
def test_a_column_read_from_pyarrow_is_coded_to_its_own_texts(cells):
    import pyarrow as pa

    column = coded(pa.chunked_array([pa.array(cells[:1]), pa.array(cells[1:], pa.string())]))

    assert [column.distinct[code] for code in column.codes] == cells


@given(
    st.lists(st.sampled_from(["0", "1", "F", "9"]), min_size=1, max_size=80),
    st.lists(st.tuples(st.integers(0, 79), st.sampled_from(["", "yes", "12", "é", "1 ", "0"]))),
)
def test_a_column_of_one_character_cells_but_a_few_is_coded_to_its_own_texts(cells, others):
    import pyarrow as pa

    for position, text in others:
        cells[position % len(cells)] = text

    column = coded(pa.chunked_array([pa.array(cells, pa.string())]))

    assert [column.distinct[code] for code in column.codes] == cells
    assert len(set(column.distinct)) == len(column.distinct)
