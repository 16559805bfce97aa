"""Case-finding: scoring a practice list CSV, the NICE CG146 count, and `flask risk score`."""

import csv
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from webapp.cli.risk import risk_cli
from webapp.risk import (
    COEFFICIENT_KEYS,
    AssessmentReason,
    PracticeListError,
    RiskProfile,
    batches,
    bounded_bmi,
    casefinding,
    estimate_fracture_risk,
    meets_nice_cg146_assessment_criteria,
    nice_cg146_assessment_reasons,
)
from webapp.risk.bmi import BELOW_RANGE_NOTE
from webapp.risk.casefinding import RESULT_COLUMNS, score_practice_list, spread_of
from webapp.risk.practice_list import YES_NO_COLUMNS

VECTORS = json.loads(
    Path(__file__).with_name("qfracture_2012_test_vectors.json").read_text(encoding="utf-8")
)
COLUMN_FOR_ANSWER = {answer: column for column, answer in YES_NO_COLUMNS.items()}
HEADER = ["id", "sex", "age", "bmi", "ethnicity", "smoking", "alcohol", "diabetes", "falls"]
WOMAN_65 = ["P1", "F", "65", "25", "1", "0", "0", "none", "0"]


def write_list(folder: Path, rows: list[list[str]], header=HEADER, name="list.csv") -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as destination:
        csv.writer(destination).writerows([header, *rows])
    return path


def read_list(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def score(folder: Path, practice_list: Path) -> tuple[list[dict[str, str]], list, object]:
    """Score a list; (output rows, refused (line, reason) pairs, summary)."""
    refused = []
    summary = score_practice_list(
        practice_list,
        folder / "scored.csv",
        on_refused=lambda line, reason: refused.append((line, reason)),
    )
    return read_list(folder / "scored.csv"), refused, summary


def test_reference_vectors_score_the_same_through_a_practice_list(tmp_path):
    header = ["id", "sex", "age", "bmi", "ethnicity", "smoking", "alcohol", "diabetes"]
    header += list(YES_NO_COLUMNS)
    rows = []
    for vector in VECTORS["ten_year"]:
        answers = {COEFFICIENT_KEYS_BY_KEY[key] for key in vector["flags"]}
        diabetes = next((a[:5] for a in sorted(answers) if a.endswith("_diabetes")), "none")
        rows.append(
            [vector["id"], vector["sex"], str(vector["age"]), repr(vector["bmi"]),
             str(vector["ethrisk"]), str(vector["smoke_cat"]), str(vector["alcohol_cat6"]),
             diabetes]
            + ["1" if answer in answers else "0" for answer in YES_NO_COLUMNS.values()]
        )  # fmt: skip

    scored, refused, summary = score(tmp_path, write_list(tmp_path, rows, header))

    assert refused == []
    for vector, row in zip(VECTORS["ten_year"], scored, strict=True):
        assert row["id"] == vector["id"]
        assert row["mof_10y_percent"] == f"{vector['mof']:.6f}"
        assert row["hip_10y_percent"] == f"{vector['hip']:.6f}"
        assert row["error"] == ""
    assert summary.rows_scored == len(VECTORS["ten_year"])


COEFFICIENT_KEYS_BY_KEY = {key: answer for answer, key in COEFFICIENT_KEYS.items()}


def test_every_input_column_is_copied_through_in_order_then_the_results(tmp_path):
    header = ["practice", "id", "sex", "age", "bmi", "nhs_note", "ethnicity", "smoking", "alcohol"]
    quoted = 'Moor Lane, "the old surgery"\nsecond line'
    rows = [
        ["Moor Lane", "P1", "F", "65", "25.0", quoted, "1", "0", "0"],
        ["Moor Lane", "P2", "m", "80", "23", "  spaced  ", "2", "1", "2"],
    ]

    practice_list = write_list(tmp_path, rows, header)
    score(tmp_path, practice_list)

    with open(tmp_path / "scored.csv", encoding="utf-8", newline="") as source:
        output = list(csv.reader(source))
    assert output[0] == header + list(RESULT_COLUMNS)
    assert [row[: len(header)] for row in output[1:]] == rows
    assert all(row[-1] == "" and row[-5] and row[-4] for row in output[1:])


def test_bad_rows_keep_their_line_with_the_reason_and_the_rest_are_scored(tmp_path):
    rows = [
        WOMAN_65,
        ["P2", "F", "29", "25", "1", "0", "0", "none", "0"],
        ["P3", "X", "65", "25", "1", "0", "0", "none", "0"],
        ["P4", "F", "65", "25,5", "1", "0", "0", "none", "0"],
        ["P5", "F", "65", "25", "12", "0", "0", "none", "0"],
        ["P6", "F", "65", "25", "1", "0", "0", "none", "maybe"],
        ["P7", "F", "65", "25", "1", "0", "0", "type3", "0"],
        ["P8", "F", "65.5", "25", "1", "0", "0", "none", "0"],
        WOMAN_65,
    ]

    scored, refused, summary = score(tmp_path, write_list(tmp_path, rows))

    assert [line for line, _ in refused] == [3, 4, 5, 6, 7, 8, 9]
    reasons = [reason for _, reason in refused]
    for expected, reason in zip(
        ["age", "sex", "bmi", "ethnicity", "falls", "diabetes", "age"], reasons, strict=True
    ):
        assert reason.startswith(expected)
    assert "'maybe'" in reasons[4]
    assert [row["error"] for row in scored[1:-1]] == reasons
    assert all(row["mof_10y_percent"] == row["hip_10y_percent"] == "" for row in scored[1:-1])
    assert scored[0]["mof_10y_percent"] == scored[-1]["mof_10y_percent"] != ""
    assert (summary.rows_read, summary.rows_scored, summary.rows_refused) == (9, 2, 7)


def test_refused_lines_are_physical_lines_counting_quoted_line_breaks(tmp_path):
    header = ["id", "sex", "age", "bmi", "comment"]
    rows = [
        ["P1", "F", "70", "24", "two\nlines"],
        ["P2", "F", "70", "24", "three\nphysical\nlines"],
        ["P3", "F", "101", "24", ""],
    ]

    _, refused, _ = score(tmp_path, write_list(tmp_path, rows, header))

    # header 1, P1 2-3, P2 4-6, P3 7
    assert refused == [(7, "age must be a whole number from 30 to 100 years; got 101.")]


def test_a_row_with_the_wrong_number_of_values_is_refused_and_kept_aligned(tmp_path):
    (tmp_path / "list.csv").write_text(
        "id,sex,age,bmi\nP1,F,70\nP2,F,70,24,extra\nP3,F,70,24\n", encoding="utf-8"
    )

    scored, refused, _ = score(tmp_path, tmp_path / "list.csv")

    assert [line for line, _ in refused] == [2, 3]
    assert scored[0]["id"] == "P1" and scored[0]["bmi"] == ""
    assert "has 3 values but the header has 4" in scored[0]["error"]
    assert "has 5 values" in scored[1]["error"]
    assert scored[2]["error"] == "" and scored[2]["mof_10y_percent"]


def test_height_and_weight_are_used_when_there_is_no_bmi(tmp_path):
    header = ["id", "sex", "age", "bmi", "height_cm", "weight_kg"]
    rows = [["P1", "F", "70", "", "160", "64"], ["P2", "M", "70", "", "", "80"]]

    scored, refused, _ = score(tmp_path, write_list(tmp_path, rows, header))

    expected = estimate_fracture_risk(
        RiskProfile(sex="female", age=70, bmi=64 / 1.6**2, ethnicity=1, smoking=0, alcohol=0)
    )
    assert scored[0]["bmi_used"] == "25.00"
    assert scored[0]["mof_10y_percent"] == f"{expected.major_osteoporotic_percent:.6f}"
    assert refused == [(3, "No BMI, and no height_cm and weight_kg to work it out from.")]


def test_a_list_with_only_height_and_weight_columns_is_accepted(tmp_path):
    header = ["sex", "age", "weight_kg", "height_cm"]

    scored, refused, _ = score(tmp_path, write_list(tmp_path, [["F", "70", "64", "160"]], header))

    assert refused == [] and scored[0]["bmi_used"] == "25.00"


@pytest.mark.parametrize(("bmi", "used"), [("17.5", "20.00"), ("44", "40.00")])
def test_bmi_outside_20_to_40_is_bounded_and_the_row_says_so(tmp_path, bmi, used):
    row = ["P1", "F", "70", bmi, "1", "0", "0", "none", "0"]

    scored, refused, _ = score(tmp_path, write_list(tmp_path, [row]))

    bounded, note = bounded_bmi(float(bmi))
    expected = estimate_fracture_risk(
        RiskProfile(sex="female", age=70, bmi=bounded, ethnicity=1, smoking=0, alcohol=0)
    )
    assert refused == []
    assert scored[0]["bmi_used"] == used
    assert scored[0]["notes"] == f"BMI {float(bmi):.1f}: {note}"
    assert scored[0]["mof_10y_percent"] == f"{expected.major_osteoporotic_percent:.6f}"


def test_implausible_bmi_is_refused_not_bounded(tmp_path):
    row = ["P1", "F", "70", "250", "1", "0", "0", "none", "0"]

    scored, refused, _ = score(tmp_path, write_list(tmp_path, [row]))

    assert "check the height is in centimetres" in scored[0]["error"]
    assert refused[0][0] == 2


def test_blank_or_missing_categories_are_assumed_and_the_row_says_so(tmp_path):
    header = ["id", "sex", "age", "bmi", "ethnicity"]

    scored, _, summary = score(
        tmp_path, write_list(tmp_path, [["P1", "M", "80", "24", ""]], header)
    )

    notes = scored[0]["notes"]
    assert "ethnicity not recorded: estimated as 1 (White or not stated)" in notes
    assert "smoking not recorded: estimated as a non-smoker" in notes
    assert "alcohol not recorded: estimated as drinking no alcohol" in notes
    assert summary.assumptions == (
        "No smoking column: every row estimated as a non-smoker.",
        "No alcohol column: every row estimated as drinking no alcohol.",
    )
    expected = estimate_fracture_risk(
        RiskProfile(sex="male", age=80, bmi=24.0, ethnicity=1, smoking=0, alcohol=0)
    )
    assert scored[0]["hip_10y_percent"] == f"{expected.hip_percent:.6f}"


@pytest.mark.parametrize("yes", ["1", "yes", "YES", "y", "Y", "true", "True", " yes "])
@pytest.mark.parametrize("no", ["0", "no", "N", "false", "FALSE", ""])
def test_yes_no_spellings(tmp_path, yes, no):
    rows = [["P1", "F", "70", "24", "1", "0", "0", "none", yes], ["P2", "F", "70", "24", "1", "0",
            "0", "none", no]]  # fmt: skip

    scored, refused, _ = score(tmp_path, write_list(tmp_path, rows))

    person = RiskProfile(sex="female", age=70, bmi=24.0, ethnicity=1, smoking=0, alcohol=0)
    falls = estimate_fracture_risk(RiskProfile(**(vars(person) | {"falls": True})))
    assert refused == []
    assert scored[0]["mof_10y_percent"] == f"{falls.major_osteoporotic_percent:.6f}"
    expected = estimate_fracture_risk(person)
    assert scored[1]["mof_10y_percent"] == f"{expected.major_osteoporotic_percent:.6f}"


@pytest.mark.parametrize(
    ("diabetes", "answer"), [("type1", "type1_diabetes"), ("Type2", "type2_diabetes")]
)
def test_diabetes_column(tmp_path, diabetes, answer):
    rows = [["P1", "M", "70", "24", "1", "0", "0", diabetes, "0"]]

    scored, _, _ = score(tmp_path, write_list(tmp_path, rows))

    person = {"sex": "male", "age": 70, "bmi": 24.0, "ethnicity": 1, "smoking": 0, "alcohol": 0}
    expected = estimate_fracture_risk(RiskProfile(**person, **{answer: True}))
    assert scored[0]["hip_10y_percent"] == f"{expected.hip_percent:.6f}"


def test_byte_order_mark_is_accepted(tmp_path):
    practice_list = tmp_path / "list.csv"
    practice_list.write_bytes(b"\xef\xbb\xbfsex,age,bmi\r\nF,70,24\r\n")

    scored, refused, _ = score(tmp_path, practice_list)

    assert refused == [] and scored[0]["sex"] == "F" and scored[0]["mof_10y_percent"]


def test_summary_counts_cg146_previous_fractures_and_the_spread(tmp_path):
    header = ["sex", "age", "bmi", "smoking", "previous_fracture", "steroids"]
    rows = [
        ["F", "65", "25", "0", "0", "0"],  # woman 65: meets
        ["F", "64", "25", "0", "0", "0"],  # no risk factor
        ["F", "55", "25", "2", "0", "0"],  # current smoker at 55: meets
        ["M", "74", "17.9", "0", "0", "0"],  # BMI below 18.5 before bounding: meets
        ["M", "45", "25", "0", "1", "0"],  # previous fracture under 50: meets
        ["M", "45", "25", "3", "0", "0"],  # smoking under 50: does not
        ["M", "29", "25", "0", "1", "1"],  # refused: too young for the equations
    ]

    scored, _, summary = score(tmp_path, write_list(tmp_path, rows, header))

    assert (summary.rows_read, summary.rows_scored, summary.rows_refused) == (7, 6, 1)
    assert summary.meeting_nice_cg146 == 4
    assert summary.previous_fracture == 1
    printed = sorted(float(row["hip_10y_percent"]) for row in scored[:6])
    spread = summary.hip
    assert spread.lowest == pytest.approx(printed[0], abs=5e-7)
    assert spread.median == pytest.approx((printed[2] + printed[3]) / 2, abs=5e-7)
    assert spread.centile_90 == pytest.approx(
        printed[4] + 0.5 * (printed[5] - printed[4]), abs=5e-7
    )
    assert spread.highest == pytest.approx(printed[-1], abs=5e-7)


def test_centiles_interpolate_between_ranks():
    spread = spread_of([4.0, 1.0, 3.0, 2.0])

    assert (spread.lowest, spread.median, spread.highest) == (1.0, 2.5, 4.0)
    assert spread.centile_90 == pytest.approx(3.7)
    assert spread_of([]) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no header row"),
        (b"name,age\nAnn,70\n", "sex, bmi (or both height_cm and weight_kg)"),
        (b"sex,age,height_cm\nF,70,160\n", "bmi (or both height_cm and weight_kg)"),
        (b"sex,age,bmi,Age\nF,70,24,71\n", "'age' appears twice"),
        (b"sex,age,bmi\nF,70,24\nF,71,25,caf\xe9\n", "not UTF-8"),
    ],
)
def test_a_list_that_cannot_be_read_leaves_no_output(tmp_path, content, message):
    practice_list = tmp_path / "list.csv"
    practice_list.write_bytes(content)

    with pytest.raises(PracticeListError, match=re.escape(message)):
        score_practice_list(practice_list, tmp_path / "scored.csv")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]


def test_a_missing_list_is_reported(tmp_path):
    with pytest.raises(PracticeListError, match="Cannot read .*nowhere.csv"):
        score_practice_list(tmp_path / "nowhere.csv", tmp_path / "scored.csv")


def test_the_output_may_not_overwrite_the_input(tmp_path):
    practice_list = write_list(tmp_path, [WOMAN_65])

    with pytest.raises(PracticeListError, match="must not be the input"):
        score_practice_list(practice_list, practice_list)


def test_an_unwritable_destination_is_reported(tmp_path):
    practice_list = write_list(tmp_path, [WOMAN_65])

    with pytest.raises(PracticeListError, match="Cannot write"):
        score_practice_list(practice_list, tmp_path / "no-such-folder" / "scored.csv")


def test_a_failed_run_keeps_the_previous_output_intact(tmp_path):
    (tmp_path / "scored.csv").write_text("an earlier run\n", encoding="utf-8")
    (tmp_path / "list.csv").write_bytes(b"sex,age,bmi\nF,70,24\nF,71,\xff\n")

    with pytest.raises(PracticeListError):
        score_practice_list(tmp_path / "list.csv", tmp_path / "scored.csv")

    assert (tmp_path / "scored.csv").read_text(encoding="utf-8") == "an earlier run\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv", "scored.csv"]



def test_a_run_stopped_the_moment_its_output_appears_leaves_nothing(tmp_path, monkeypatch):
    # A signal the CLI turns into an exception can land just after the temporary file is
    # made, before the code that removes it on the way out would know its name.
    practice_list = write_list(tmp_path, [WOMAN_65])

    def make_then_stop(*arguments) -> int:
        os.close(os.open(*arguments))
        raise KeyboardInterrupt

    # The module's own `os` only: other threads of the test process keep the real one.
    stopping_os = SimpleNamespace(**{**vars(os), "open": make_then_stop})
    monkeypatch.setattr(casefinding, "os", stopping_os)
    with pytest.raises(KeyboardInterrupt):
        score_practice_list(practice_list, tmp_path / "scored.csv")
    monkeypatch.undo()

    assert sorted(path.name for path in tmp_path.iterdir()) == [practice_list.name]


@pytest.mark.parametrize(
    ("person", "reasons"),
    [
        (dict(sex="female", age=65), [AssessmentReason.WOMAN_65_OR_OVER]),
        (dict(sex="female", age=64), []),
        (dict(sex="male", age=75), [AssessmentReason.MAN_75_OR_OVER]),
        (dict(sex="male", age=74), []),
        (dict(sex="male", age=60, yes_answers={"falls"}), [AssessmentReason.FALLS]),
        (
            dict(sex="female", age=50, yes_answers={"parent_hip_fracture_or_osteoporosis"}),
            [AssessmentReason.PARENT_HIP_FRACTURE],
        ),
        (dict(sex="male", age=55, bmi=18.4), [AssessmentReason.LOW_BMI]),
        (dict(sex="male", age=55, bmi=18.5), []),
        (dict(sex="male", age=55, smoking=2), [AssessmentReason.SMOKING]),
        (dict(sex="male", age=55, smoking=1), []),
        (dict(sex="male", age=55, alcohol=3), [AssessmentReason.ALCOHOL]),
        (dict(sex="male", age=55, alcohol=2), []),
        (
            dict(sex="female", age=55, yes_answers={"type1_diabetes"}),
            [AssessmentReason.SECONDARY_OSTEOPOROSIS],
        ),
        (dict(sex="female", age=55, yes_answers={"asthma_or_copd"}), []),
        (dict(sex="female", age=45, yes_answers={"steroid_tablets", "falls"}),
         [AssessmentReason.STEROID_TABLETS]),
        (dict(sex="female", age=45, yes_answers={"falls"}, smoking=4), []),
        (
            dict(sex="female", age=70, yes_answers={"previous_fracture"}),
            [AssessmentReason.WOMAN_65_OR_OVER, AssessmentReason.PREVIOUS_FRACTURE],
        ),
    ],
)  # fmt: skip
def test_nice_cg146_assessment_criteria(person, reasons):
    answers = dict(bmi=25.0, smoking=0, alcohol=0, yes_answers=set()) | person

    assert list(nice_cg146_assessment_reasons(**answers)) == reasons
    assert meets_nice_cg146_assessment_criteria(**answers) is bool(reasons)


def test_cli_scores_a_list_and_reports_bad_rows_and_a_summary(runner, tmp_path):
    rows = [WOMAN_65, ["P2", "F", "29", "25", "1", "0", "0", "none", "0"]]
    practice_list = write_list(tmp_path, rows)

    result = runner.invoke(
        risk_cli, ["score", str(practice_list), "--output", str(tmp_path / "scored.csv")]
    )

    assert result.exit_code == 0, result.output
    assert "Line 3: not scored: age must be a whole number from 30 to 100" in result.stderr
    assert "Rows read: 2; scored: 1; refused: 1" in result.stderr
    assert "NICE CG146 criteria for a fracture-risk assessment: 1 of 1 scored" in result.stderr
    assert "published QFracture-2012 equations" in result.stderr
    assert "Scoring" not in result.stderr  # no progress bar when stderr is not a terminal
    assert len(read_list(tmp_path / "scored.csv")) == 2


def test_cli_is_registered_as_flask_risk_score(runner, tmp_path):
    practice_list = write_list(tmp_path, [WOMAN_65])

    result = runner.invoke(
        args=["risk", "score", str(practice_list), "--output", str(tmp_path / "out.csv")]
    )

    assert result.exit_code == 0, result.output
    assert read_list(tmp_path / "out.csv")[0]["error"] == ""


def test_cli_fails_with_a_clear_message_when_the_list_cannot_be_read(runner, tmp_path):
    practice_list = tmp_path / "list.csv"
    practice_list.write_text("name,age\nAnn,70\n", encoding="utf-8")

    result = runner.invoke(risk_cli, ["score", str(practice_list), "-o", str(tmp_path / "o.csv")])

    assert result.exit_code == 1
    assert "Error: The header row lacks the required column(s): sex" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_bmi_note_in_the_list_is_the_self_checks_wording(tmp_path):
    row = ["P1", "F", "70", "18", "1", "0", "0", "none", "0"]

    scored, _, _ = score(tmp_path, write_list(tmp_path, [row]))

    assert scored[0]["notes"].endswith(BELOW_RANGE_NOTE)


def test_worker_processes_write_exactly_what_one_process_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_ROWS", 7)
    ages = [str(age) for age in range(28, 102)]
    rows = [
        [f"P{n}", "FM"[n % 2], age, f"{17 + n % 26}.{n % 10}", str(1 + n % 9), str(n % 5),
         str(n % 6), ["none", "type1", "type2", ""][n % 4], "yes" if n % 3 == 0 else "0"]
        for n, age in enumerate(ages)
    ]  # fmt: skip
    rows[10][-1] = "maybe"
    practice_list = write_list(tmp_path, rows)
    progress, refused = [], []

    alone = score_practice_list(practice_list, tmp_path / "alone.csv", workers=1)
    shared = score_practice_list(
        practice_list,
        tmp_path / "shared.csv",
        workers=2,
        on_progress=progress.append,
        on_refused=lambda line, reason: refused.append(line),
    )

    assert (tmp_path / "shared.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()
    assert shared == alone
    assert refused == [2, 3, 12, 75]  # ages 28 and 29, "maybe", age 101 on the last line
    assert progress == sorted(progress) and progress[-1] == len(rows)


def test_the_scored_list_is_readable_by_its_owner_only(tmp_path):
    score_practice_list(write_list(tmp_path, [WOMAN_65]), tmp_path / "scored.csv")

    assert (tmp_path / "scored.csv").stat().st_mode & 0o777 == 0o600
