"""The audit log reads in words: what was done to which record, and each field's plain name."""

import pytest

from webapp.accounts.audit_words import event_words, field_label


@pytest.mark.parametrize(
    "action, entity_type, entity_id, words",
    [
        ("check", "support_group", "13", "Marked support group 13 as checked"),
        ("hide", "fls_service", "2", "Hid Fracture Liaison Service 2 from the public"),
        ("create", "staff_member", "7", "Added staff account 7"),
        ("reset-security-code", "staff_member", "7", "Reset the security code of staff account 7"),
        ("pause", "patient", "41", "Texts paused: patient 41"),
        ("patient.opted_out_by_sms", "patient", "41", "Opted out of texts: patient 41"),
        ("reply.read", "inbound_message", "9", "Marked reply 9 as read"),
        # An action the log learns later still reads as words, never as a bare code.
        ("set-up-totp", "staff_member", "4", "Set up totp for staff account 4"),
    ],
)
def test_each_event_reads_as_what_was_done_to_which_record(action, entity_type, entity_id,
                                                           words):
    assert event_words(action, entity_type, entity_id) == words


@pytest.mark.parametrize(
    "name, label",
    [("checked_by", "Checked by"), ("nhs_number", "NHS number"), ("named_nurse_id", "Named nurse"),
     ("fls_service_id", "Fracture Liaison Service"), ("venue_postcode", "Venue postcode"),
     ("hospital_district_id", "Hospital district")],
)
def test_fields_are_named_as_people_name_them(name, label):
    assert field_label(name) == label
