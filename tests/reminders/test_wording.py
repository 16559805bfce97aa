"""Reminder wording: every catalogue text fits two GSM-7 segments, discreet texts name no
medicine, one text carries several reminders, and every sentence is traced to a source."""

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from webapp.clock import utc_from_uk
from webapp.models.patients import Patient, Regimen
from webapp.models.reminders import Reminder
from webapp.models.staff import FlsService
from webapp.reminders import wording
from webapp.reminders.medicines import MEDICINES, Medicine
from webapp.reminders.wording import compose_text, count_segments

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical" / "reminder-wording.md"
LONGEST_NAME = "Wythenshawe Hospital FLSx"  # 25 GSM-7 characters, the most allowed
# The longest spoken dates: "Wednesday 29 September" before and after a follow-up.
LONG_DUE = date(2027, 9, 29)


def _service(sms_name: str | None = LONGEST_NAME) -> FlsService:
    return FlsService(name="Manchester FLS", sms_name=sms_name, phone="+441612911234")


def _reminder(
    kind: str,
    code: str,
    *,
    due_on: date = LONG_DUE,
    daily_texts: bool = False,
    regimen_id: int = 1,
    send_on: date | None = None,
) -> Reminder:
    regimen = Regimen(id=regimen_id, medicine=code, daily_texts=daily_texts)
    send_at = utc_from_uk(send_on or due_on, time(9, 0))
    return Reminder(kind=kind, regimen=regimen, regimen_id=regimen_id, due_on=due_on,
                    send_at=send_at)  # fmt: skip


def _kinds(entry: Medicine) -> list[str]:
    if entry.in_clinic:
        return ["welcome", "book", "clinic_due", "follow_up"]
    if entry.is_daily:
        return ["welcome", "check_in", "follow_up"]
    return ["welcome", "dose", "follow_up"]


def _every_catalogue_text():
    for entry in MEDICINES.values():
        for kind in _kinds(entry):
            for discreet in (False, True):
                for daily_texts in (False, True):
                    send_on = LONG_DUE + timedelta(days=entry.follow_up_days or 0)
                    reminder = _reminder(
                        kind,
                        entry.code,
                        daily_texts=daily_texts,
                        send_on=send_on if kind == "follow_up" else None,
                    )
                    patient = Patient(discreet=discreet)
                    yield entry, kind, discreet, compose_text([reminder], patient, _service())


CATALOGUE_TEXTS = list(_every_catalogue_text())


def test_the_longest_allowed_service_name_is_25_gsm7_characters():
    assert len(LONGEST_NAME) == wording.SMS_NAME_MAX
    assert wording.is_gsm7(LONGEST_NAME)


@pytest.mark.parametrize(("entry", "kind", "discreet", "text"), CATALOGUE_TEXTS,
                         ids=[f"{e.code}-{k}-{'discreet' if d else 'named'}"
                              for e, k, d, _ in CATALOGUE_TEXTS])  # fmt: skip
def test_every_catalogue_text_is_gsm7_and_fits_two_segments(entry, kind, discreet, text):
    counted = count_segments(text)
    assert counted.encoding == "GSM-7", text
    assert counted.segments <= 2, (counted, text)
    assert text.startswith(LONGEST_NAME) or text.startswith(f"Hello from {LONGEST_NAME}.")
    assert text.endswith("Reply STOP to stop these texts.")


@pytest.mark.parametrize(("entry", "kind", "discreet", "text"),
                         [case for case in CATALOGUE_TEXTS if case[2]])  # fmt: skip
def test_discreet_texts_name_no_medicine_and_carry_no_advice(entry, kind, discreet, text):
    lowered = text.lower()
    for other in MEDICINES.values():
        assert other.name.lower() not in lowered
        assert other.instruction not in text
        assert other.missed_dose is None or other.missed_dose[1:] not in text


def test_a_weekly_tablet_text_names_it_with_its_instruction_and_how_to_reply():
    text = compose_text([_reminder("dose", "alendronic_acid_weekly")], Patient(discreet=False),
                        _service("Leeds FLS"))  # fmt: skip
    assert text == (
        "Leeds FLS: Your alendronic acid is due today. "
        + MEDICINES["alendronic_acid_weekly"].instruction
        + " Reply TAKEN or MISSED. Reply STOP to stop these texts."
    )


def test_a_next_morning_follow_up_says_yesterday_and_gives_the_missed_dose_advice():
    reminder = _reminder("follow_up", "risedronate_weekly", due_on=date(2027, 3, 3),
                         send_on=date(2027, 3, 4))  # fmt: skip
    text = compose_text([reminder], Patient(discreet=False), _service("Leeds FLS"))
    assert text.startswith("Leeds FLS: Did you take your risedronate yesterday? If you missed it: "
                           "take one tablet the morning after you remember")  # fmt: skip
    assert "Never take 2 tablets on the same day." in text


def test_a_booking_note_gives_the_date_and_the_services_number_and_asks_no_reply():
    reminder = _reminder("book", "denosumab_6_monthly", due_on=date(2027, 6, 1))
    text = compose_text([reminder], Patient(discreet=False), _service("Leeds FLS"))
    assert "Your next denosumab is due on Tuesday 1 June." in text
    assert "please call us on 0161 291 1234." in text
    assert "TAKEN" not in text


def test_reminders_due_together_go_as_one_text_with_the_welcome_first():
    reminders = [
        _reminder("check_in", "calcium_vitamin_d_daily", regimen_id=2),
        _reminder("dose", "alendronic_acid_weekly", regimen_id=1),
        _reminder("welcome", "alendronic_acid_weekly", regimen_id=1),
    ]
    text = compose_text(reminders, Patient(discreet=False), _service("Leeds FLS"))
    assert text.startswith("Hello from Leeds FLS. We will text you when your medicine is due")
    assert text.index("alendronic acid is due today") < text.index("calcium and vitamin D")
    assert text.count("Reply STOP to stop these texts.") == 1
    assert text.count("Reply TAKEN or MISSED.") == 1


def test_a_service_with_no_sms_name_is_called_the_fracture_liaison_service():
    text = compose_text([_reminder("dose", "risedronate_weekly")], Patient(discreet=True),
                        _service(None))  # fmt: skip
    assert text.startswith("Fracture Liaison Service: Your medicine is due today.")


def test_a_text_needs_a_reminder():
    with pytest.raises(ValueError):
        compose_text([], Patient(discreet=False), _service())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("GSM-7", 0, 0)),
        ("a" * 160, ("GSM-7", 1, 160)),
        ("a" * 161, ("GSM-7", 2, 161)),
        ("a" * 306, ("GSM-7", 2, 306)),
        ("a" * 307, ("GSM-7", 3, 307)),
        ("€" * 80, ("GSM-7", 1, 160)),  # the extension table counts 2
        ("a" * 152 + "€" + "a" * 152, ("GSM-7", 3, 306)),  # an escape pair never splits
        ("a" * 159 + "[", ("GSM-7", 2, 161)),
        ("é" * 160, ("GSM-7", 1, 160)),  # é is in the basic table
        ("ê" * 70, ("UCS-2", 1, 70)),  # ê is not
        ("ê" * 71, ("UCS-2", 2, 71)),
        ("ê" * 134, ("UCS-2", 2, 134)),
        ("ê" * 135, ("UCS-2", 3, 135)),
        ("\U0001f600" * 35, ("UCS-2", 1, 70)),  # a surrogate pair counts 2
        ("a" * 66 + "\U0001f600" + "a" * 66, ("UCS-2", 3, 134)),  # nor a surrogate pair
        ("Your tablet’s due", ("UCS-2", 1, 17)),  # a curly apostrophe makes it UCS-2
    ],
)
def test_count_segments(text, expected):
    counted = count_segments(text)
    assert (counted.encoding, counted.segments, counted.characters) == expected


def _constants() -> list[str]:
    return [name for name in vars(wording) if name.isupper() and not name.startswith("_")]


def test_every_wording_constant_is_traced_in_the_clinical_doc():
    doc = DOC.read_text(encoding="utf-8")
    assert [name for name in _constants() if f"| `{name}` |" not in doc] == []


def test_the_doc_lists_no_constant_that_no_longer_exists():
    doc = DOC.read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert listed == set(_constants())
