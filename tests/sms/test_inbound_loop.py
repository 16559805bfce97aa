"""The whole loop in one test: enrol, plan, send through the real twilio client to the local
Twilio-speaking server, reply by signed webhook, and see the answer in `flask reminders
export` and on the patient's page. Real time: the service texts all day."""

import csv
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tests.accounts.factories import create_fls_service, create_staff_member, sign_in
from tests.pages import get_page
from tests.patients.factories import patient_entry, regimen_entry
from tests.sms.conftest import FROM_NUMBER, PUBLIC_BASE_URL
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.sms.inbound_wire import send_text
from webapp.clock import to_uk, uk_today, utc_now
from webapp.extensions import db
from webapp.models.reminders import Reminder
from webapp.models.staff import Role
from webapp.patients.details import PatientRules, check_patient, check_regimen
from webapp.patients.records import enrol_patient
from webapp.reminders.dispatch import DispatchSettings, send_due_reminders
from webapp.sms.twilio import TwilioGateway


def _enrol(database, service, nurse, first_dose_at):
    """A nurse enrols a patient on weekly risedronate, the first dose at `first_dose_at` (UK)."""
    entry = patient_entry(reminder_time=f"{first_dose_at:%H:%M}")
    regimen, errors = check_regimen(regimen_entry(medicine="risedronate_weekly",
                                                  first_dose_date=first_dose_at.date()),
                                    uk_today(), entry.date_of_birth)  # fmt: skip
    assert not errors, errors
    rules = PatientRules(session=database, service=service, today=uk_today(), allow_drama=True)
    details, errors = check_patient(entry, rules, [regimen.medicine])
    assert not errors, errors
    patient = enrol_patient(database, nurse, service, details, [regimen], utc_now(),
                            plan_days=14)  # fmt: skip
    database.commit()
    return patient


def test_enrol_plan_send_reply_and_see_the_answer(app, database, fake_twilio, tmp_path):
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE_URL)
    service = create_fls_service(database, name="Loop FLS")
    service.sms_sending_starts, service.sms_sending_ends = time(0, 0), time.max
    nurse = create_staff_member(database, Role.NURSE, fls_service=service)
    # The first dose a few minutes from now; the dispatcher is run at that moment.
    dose_moment = utc_now() + timedelta(minutes=3)
    patient = _enrol(database, service, nurse, to_uk(dose_moment))

    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, public_base_url=PUBLIC_BASE_URL,
        from_number=FROM_NUMBER, api_base_url=fake_twilio.base_url, timeout=2.0,
    )  # fmt: skip
    send_due_reminders(sessionmaker(db.engine), gateway, dose_moment,
                       DispatchSettings(max_per_second=0), lambda: dose_moment)  # fmt: skip
    sent = fake_twilio.messages_to(patient.mobile)[-1]
    assert "risedronate is due today" in sent.body and "Reply TAKEN or MISSED" in sent.body

    client = app.test_client()
    response = send_text(client, patient.mobile, "Taken thanks 👍")
    assert b"we have recorded it as taken" in response.data

    output = tmp_path / "reminders.csv"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["reminders", "export", "-o", str(output)]).exit_code == 0
    with output.open(newline="", encoding="utf-8") as handle:
        dose = [row for row in csv.DictReader(handle) if row["kind"] == "dose"][0]
    assert (dose["status"], dose["outcome"], dose["late"]) == ("sent", "taken", "no")

    sign_in(client, nurse)
    page = get_page(client, f"/patients/{patient.id}")
    rows = [" ".join(row.get_text().split()) for row in page.select("tbody tr")]
    assert any("Dose reminder" in row and row.endswith("Taken") for row in rows), rows
    database.expire_all()
    [dose_reminder] = database.scalars(select(Reminder).where(
        Reminder.patient_id == patient.id, Reminder.kind == "dose",
        Reminder.due_on == to_uk(dose_moment).date(),
    )).all()  # fmt: skip
    assert (dose_reminder.outcome, dose_reminder.reply_id is not None) == ("taken", True)
