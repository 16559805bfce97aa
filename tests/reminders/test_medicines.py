"""The medicine catalogue (fast, unit): the codes the CSV uses, facts traced to sources."""

import re
from datetime import time
from pathlib import Path

import pytest

from webapp.reminders.medicines import (
    MEDICINES,
    GivenAt,
    UnknownMedicine,
    medicine,
    reminder_time_problem,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical" / "medicines.md"
ISSUE_CODES = {
    "alendronic_acid_weekly",
    "risedronate_weekly",
    "ibandronic_acid_monthly",
    "denosumab_6_monthly",
    "zoledronic_acid_yearly",
    "teriparatide_daily",
    "romosozumab_monthly",
    "calcium_vitamin_d_daily",
}


def _source_keys_in_doc() -> set[str]:
    sources = DOC.read_text().split("## Sources", 1)[1].split("## ", 1)[0]
    return set(re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", sources, flags=re.MULTILINE))


def test_the_catalogue_has_exactly_the_codes_the_patient_csv_uses():
    assert set(MEDICINES) == ISSUE_CODES


@pytest.mark.parametrize("code", sorted(ISSUE_CODES))
def test_every_entry_cites_sources_listed_in_the_clinical_doc(code):
    keys = {key.strip() for key in medicine(code).source.split(",")}
    assert keys <= _source_keys_in_doc()
    assert f"`{code}`" in DOC.read_text()


@pytest.mark.parametrize("code", sorted(ISSUE_CODES))
def test_every_instruction_and_missed_dose_rule_is_quoted_in_the_doc(code):
    entry = medicine(code)
    text = DOC.read_text()
    assert entry.instruction in text
    if entry.missed_dose is not None:
        assert entry.missed_dose in text


@pytest.mark.parametrize("code", sorted(ISSUE_CODES))
def test_every_medicine_has_one_interval(code):
    entry = medicine(code)
    assert (entry.every_days is None) != (entry.every_months is None)


def test_clinic_medicines_have_a_booking_text_and_home_ones_do_not():
    for entry in MEDICINES.values():
        assert (entry.book_ahead_days is not None) == (entry.given_at == GivenAt.CLINIC)


def test_the_course_lengths_are_the_published_ones():
    assert medicine("teriparatide_daily").course_months == 24
    assert medicine("romosozumab_monthly").course_doses == 12
    assert not medicine("denosumab_6_monthly").has_course


def test_intervals_are_the_published_ones():
    assert medicine("alendronic_acid_weekly").is_weekly
    assert medicine("ibandronic_acid_monthly").every_months == 1
    assert medicine("denosumab_6_monthly").every_months == 6
    assert medicine("zoledronic_acid_yearly").every_months == 12
    assert medicine("calcium_vitamin_d_daily").is_daily
    assert medicine("calcium_vitamin_d_daily").times_a_day == 2


@pytest.mark.parametrize("code", ["alendronic_acid_weekly", "ibandronic_acid_monthly"])
def test_a_first_thing_tablet_refuses_an_afternoon_reminder(code):
    problem = reminder_time_problem(medicine(code), time(14, 0))
    assert problem is not None
    assert "between 6am and 10am" in problem
    assert reminder_time_problem(medicine(code), time(7, 30)) is None


def test_risedronate_allows_another_time_of_day():
    assert reminder_time_problem(medicine("risedronate_weekly"), time(18, 0)) is None


def test_an_unknown_code_is_refused_with_the_codes_to_use():
    with pytest.raises(UnknownMedicine, match="alendronic_acid_weekly"):
        medicine("paracetamol")
    assert issubclass(UnknownMedicine, ValueError)
