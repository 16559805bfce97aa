"""The rollup jobs in the schedule and `flask measures refresh`, through the real CLI."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from tests.adherence.support import unique_nhs_number
from tests.reminders.factories import create_patient
from webapp.models.follow_up import PatientMeasures
from webapp.reminders.jobs import SCHEDULE, job_named

NOW = datetime(2027, 7, 20, 9, 0)


def _computed(database) -> dict[int, datetime]:
    database.expire_all()
    return dict(database.execute(select(PatientMeasures.patient_id,
                                        PatientMeasures.computed_at)).all())  # fmt: skip


def test_measures_refresh_works_out_every_patient_and_says_how_many(database, runner):
    patients = [create_patient(database, nhs_number=unique_nhs_number()) for _ in range(3)]
    database.commit()
    with time_machine.travel(NOW.replace(tzinfo=UTC), tick=False):
        result = runner.invoke(args=["measures", "refresh"])
    assert (result.exit_code, result.output) == (0, "3 patients refreshed\n")
    assert _computed(database) == {patient.id: NOW for patient in patients}


def test_the_recent_pass_takes_only_patients_with_news(database, runner):
    quiet, changed = (create_patient(database, nhs_number=unique_nhs_number()) for _ in range(2))
    database.commit()
    with time_machine.travel(NOW.replace(tzinfo=UTC), tick=False):
        runner.invoke(args=["measures", "refresh"])
    later = NOW + timedelta(hours=1)
    changed.updated_at = later - timedelta(minutes=3)
    database.commit()
    with time_machine.travel(later.replace(tzinfo=UTC), tick=False):
        result = runner.invoke(args=["measures", "refresh", "--recent"])
    assert (result.exit_code, result.output) == (0, "1 patients refreshed\n")
    assert _computed(database) == {quiet.id: NOW, changed.id: later}


def test_the_schedule_refreshes_often_and_every_patient_nightly_and_at_start(app):
    recent, every = job_named("refresh-measures"), job_named("refresh-all-measures")
    assert recent.trigger == {"trigger": "interval", "minutes": 5} and not recent.at_start
    assert every.trigger == {"trigger": "cron", "hour": 0, "minute": 20} and every.at_start
    assert recent in SCHEDULE and every in SCHEDULE
