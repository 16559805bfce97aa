"""The receipt rules on their own: reading a report, progress, and texts never heard of."""

from datetime import timedelta

from tests.sms.factories import create_patient, create_sent_message
from webapp.clock import utc_now
from webapp.models.patients import PatientStatus
from webapp.models.reminders import ReminderStatus
from webapp.sms import receipts
from webapp.sms.receipts import StatusReceipt, apply_receipt, read_receipt

SID = "SM" + "0123456789abcdef" * 2


def test_a_report_is_read_from_twilios_fields():
    receipt = read_receipt({"message": "12"}, {"MessageSid": SID, "MessageStatus": "undelivered",
                                               "ErrorCode": "30003", "To": "+447700900123"})
    assert receipt == StatusReceipt(provider_sid=SID, provider_status="undelivered",
                                    status=ReminderStatus.UNDELIVERED, message_id=12,
                                    error_code=30003, to="+447700900123")


def test_the_older_sms_fields_will_do():
    receipt = read_receipt({}, {"SmsSid": SID, "SmsStatus": "Delivered", "ErrorCode": ""})
    assert (receipt.status, receipt.message_id, receipt.error_code) == ("delivered", None, None)


def test_progress_only_goes_forward():
    assert receipts.progress("sending") == receipts.progress("needs_check") == 0
    assert receipts.progress("sent") == receipts.progress("unknown") == 1
    assert {receipts.progress(s) for s in ("delivered", "undelivered", "failed")} == {2}


def test_silent_texts_become_unknown_after_the_configured_days(database):
    now = utc_now()
    patient = create_patient(database)
    silent = create_sent_message(database, patient, provider_sid=SID,
                                 sent_at=now - timedelta(days=3, minutes=1), reminders=2)
    recent = create_sent_message(database, patient, sent_at=now - timedelta(days=2))
    delivered = create_sent_message(database, patient, status=ReminderStatus.DELIVERED,
                                    sent_at=now - timedelta(days=5))

    assert receipts.mark_silent_messages_unknown(database, now, timedelta(days=3)) == 1
    database.commit()
    database.expire_all()
    assert (silent.status, [r.status for r in silent.reminders]) == ("unknown",
                                                                      ["unknown", "unknown"])
    assert silent.status_changed_at == now
    assert (recent.status, delivered.status) == ("sent", "delivered")
    assert receipts.mark_silent_messages_unknown(database, now, timedelta(days=3)) == 0


def test_a_late_receipt_still_settles_an_unknown_text(database):
    now = utc_now()
    message = create_sent_message(database, create_patient(database), provider_sid=SID,
                                  status=ReminderStatus.UNKNOWN)
    late = StatusReceipt(provider_sid=SID, provider_status="sent", status=ReminderStatus.SENT)
    assert apply_receipt(database, late, now).outcome == "no_change"
    final = StatusReceipt(provider_sid=SID, provider_status="delivered",
                          status=ReminderStatus.DELIVERED)
    assert apply_receipt(database, final, now).outcome == "applied"
    assert (message.status, message.reminders[0].status) == ("delivered", "delivered")


def test_a_receipt_settles_a_text_waiting_for_a_nurse_to_check(database):
    message = create_sent_message(database, create_patient(database),
                                  status=ReminderStatus.NEEDS_CHECK)
    receipt = StatusReceipt(provider_sid=SID, provider_status="sent", status=ReminderStatus.SENT,
                            message_id=message.id)
    assert apply_receipt(database, receipt, utc_now()).outcome == "applied"
    assert (message.status, message.provider_sid) == ("sent", SID)


def test_stopping_texts_leaves_a_discharged_patient_discharged(database):
    patient = create_patient(database, status=PatientStatus.DISCHARGED)
    assert receipts.stop_texts_to_number(patient, patient.mobile, 21610, utc_now())
    assert (patient.status, patient.sms_blocked_code) == ("discharged", 21610)
    assert not receipts.stop_texts_to_number(patient, patient.mobile, 30003, utc_now())
