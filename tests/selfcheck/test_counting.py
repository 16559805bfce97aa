"""The anonymous weekly count of completed checks, on SQLite and PostgreSQL."""

import threading
from datetime import date

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.models import CompletedCheckCount
from webapp.selfcheck.counting import age_band, record_completed_check, risk_band, week_starting


@pytest.mark.parametrize(
    "today, monday",
    [(date(2025, 3, 10), date(2025, 3, 10)), (date(2025, 3, 16), date(2025, 3, 10)),
     (date(2025, 3, 17), date(2025, 3, 17))],
)
def test_weeks_start_on_monday(today, monday):
    assert week_starting(today) == monday


@pytest.mark.parametrize(
    "age, band", [(30, "30-39"), (49, "40-49"), (50, "50-59"), (65, "60-69"), (89, "80-89"),
                  (90, "90-100"), (100, "90-100")],
)
def test_age_bands_are_ten_years_wide(age, band):
    assert age_band(age) == band


@pytest.mark.parametrize(
    "percent, band", [(0.1, "MOF under 10%"), (9.99, "MOF under 10%"), (10.0, "MOF 10-20%"),
                      (19.99, "MOF 10-20%"), (20.0, "MOF 20% or more"), (80, "MOF 20% or more")],
)
def test_risk_bands(percent, band):
    assert risk_band(percent) == band


def _counts(session):
    rows = session.execute(db.select(CompletedCheckCount)).scalars()
    return {(r.week_starting, r.sex, r.age_band, r.risk_band): r.completed for r in rows}


def test_the_same_week_and_bands_add_to_one_row(database):
    for today in (date(2025, 3, 10), date(2025, 3, 12), date(2025, 3, 17)):
        record_completed_check(
            database, today=today, sex="female", age=67, major_osteoporotic_percent=12.0
        )
    record_completed_check(
        database, today=date(2025, 3, 11), sex="male", age=67, major_osteoporotic_percent=12.0
    )
    database.commit()
    assert _counts(database) == {
        (date(2025, 3, 10), "female", "60-69", "MOF 10-20%"): 2,
        (date(2025, 3, 17), "female", "60-69", "MOF 10-20%"): 1,
        (date(2025, 3, 10), "male", "60-69", "MOF 10-20%"): 1,
    }


def test_nothing_is_written_until_the_caller_commits(database):
    record_completed_check(
        database, today=date(2025, 3, 10), sex="female", age=67, major_osteoporotic_percent=5.0
    )
    database.rollback()
    assert _counts(database) == {}


def test_the_table_holds_nothing_that_identifies_a_person(database):
    columns = {column["name"] for column in inspect(db.engine).get_columns("completed_check_count")}
    assert columns == {"id", "week_starting", "sex", "age_band", "risk_band", "completed"}


def test_checks_finishing_at_the_same_moment_are_all_counted(database):
    """Many sessions incrementing one row at once: no lost update, no duplicate-key error."""
    engine, errors, workers = db.engine, [], 8
    start = threading.Barrier(workers)

    def finish_a_check():
        try:
            start.wait()
            with Session(engine) as session:
                record_completed_check(
                    session, today=date(2025, 3, 10), sex="female", age=72,
                    major_osteoporotic_percent=22.0,
                )
                session.commit()
        except Exception as error:  # noqa: BLE001  (reported below, with the others)
            errors.append(error)

    threads = [threading.Thread(target=finish_a_check) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _counts(database) == {(date(2025, 3, 10), "female", "70-79", "MOF 20% or more"): 8}
