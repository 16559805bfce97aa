"""Reply answers: every sentence traced in docs/clinical/reply-wording.md, every answer
GSM-7 in at most two segments, side-effect answers say whom to call and never reassure."""

from datetime import datetime
from pathlib import Path

import pytest

from webapp.models.staff import FlsService
from webapp.reminders import reply_wording as say
from webapp.reminders.medicines import MEDICINES
from webapp.reminders.wording import count_segments

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical" / "reply-wording.md"
NOW = datetime(2027, 3, 3, 9, 0)  # UTC, 09:00 UK


def _service(**values) -> FlsService:
    values = {"sms_name": "Wythenshawe Hospital FLSx", "phone": "+441612911234",
              "opening_hours": "Monday to Friday, 8:30am to 4:30pm", **values}  # fmt: skip
    return FlsService(name="Manchester FLS", **values)


def _constants() -> list[str]:
    return [name for name in vars(say) if name.isupper() and not name.startswith("_")]


def test_every_reply_constant_is_traced_in_the_clinical_doc():
    doc = DOC.read_text(encoding="utf-8")
    assert [name for name in _constants() if f"| `{name}` |" not in doc] == []


def test_the_doc_lists_no_constant_that_no_longer_exists_and_awaits_sign_off():
    doc = DOC.read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert listed == set(_constants())
    assert "awaiting clinical sign-off" in doc


def _every_answer():
    service = _service()
    yield say.taken_answer(service)
    yield say.nothing_open_answer(service)
    yield say.later_answer(service, NOW, NOW)
    yield say.later_answer(service, datetime(2027, 3, 4, 8, 0), NOW)
    yield say.later_answer(service, None, NOW)
    yield say.help_answer(service)
    yield say.unclear_answer(service)
    yield say.unknown_number_answer()
    for needs_999 in (False, True):
        for taken in (False, True):
            yield say.side_effect_answer(service, needs_999, taken)
    for entry in MEDICINES.values():
        for discreet in (False, True):
            yield say.missed_answer(service, [entry], discreet)


@pytest.mark.parametrize("answer", list(_every_answer()))
def test_every_answer_is_gsm7_in_at_most_two_segments(answer):
    counted = count_segments(answer)
    assert (counted.encoding, counted.segments <= 2) == ("GSM-7", True), answer


def test_a_missed_weekly_tablet_is_told_its_leaflets_rule():
    weekly = MEDICINES["alendronic_acid_weekly"]
    answer = say.missed_answer(_service(sms_name="Leeds FLS"), [weekly], discreet=False)
    assert answer == (
        "Leeds FLS: Thank you for telling us, we have recorded it as missed. If you missed it: "
        "take one tablet the morning after you remember, then go back to your usual day. "
        "Never take 2 tablets on the same day."
    )


def test_a_missed_monthly_tablet_gets_its_own_rule_and_discreet_patients_the_leaflet():
    monthly = MEDICINES["ibandronic_acid_monthly"]
    named = say.missed_answer(_service(), [monthly], discreet=False)
    assert monthly.missed_dose[1:] in named and "7 days" in named
    discreet = say.missed_answer(_service(), [monthly], discreet=True)
    assert "ibandronic" not in discreet.lower() and "leaflet" in discreet
    assert "0161 291 1234" in discreet


def test_side_effect_answers_say_whom_to_call_and_999_only_for_its_signs():
    plain = say.side_effect_answer(_service(), needs_999=False, taken=False)
    assert "0161 291 1234" in plain and "GP" in plain and "111" in plain and "999" not in plain
    urgent = say.side_effect_answer(_service(), needs_999=True, taken=True)
    assert urgent.index("999") < urgent.index("111")
    assert urgent.endswith(say.SIDE_EFFECT_TAKEN)
    for answer in (plain, urgent):
        for reassurance in ("nothing to worry", "normal", "don't worry", "do not worry", "common"):
            assert reassurance not in answer.lower()


def test_help_gives_the_phone_and_hours_and_leaves_out_empty_or_long_hours():
    assert say.help_answer(_service(sms_name="Leeds FLS")) == (
        "Leeds FLS: For help with these texts or your treatment, call us on 0161 291 1234. "
        "Our opening hours: Monday to Friday, 8:30am to 4:30pm. Reply STOP to stop these texts."
    )
    assert "opening hours" not in say.help_answer(_service(opening_hours=""))
    assert "opening hours" not in say.help_answer(_service(opening_hours="x" * 81))


def test_later_answers_give_the_uk_time_today_or_tomorrow():
    summer_now = datetime(2027, 7, 1, 9, 0)  # 10:00 BST
    assert say.later_answer(_service(sms_name="Leeds FLS"), datetime(2027, 7, 1, 11, 0),
                            summer_now).endswith("once more at 12:00.")  # fmt: skip
    assert say.later_answer(_service(), datetime(2027, 7, 2, 7, 0),
                            summer_now).endswith("once more tomorrow at 08:00.")  # fmt: skip


def test_the_unknown_number_answer_names_no_service_and_no_medicine():
    answer = say.unknown_number_answer()
    assert "FLS" not in answer and "Fracture" not in answer
    assert all(entry.name not in answer.lower() for entry in MEDICINES.values())
