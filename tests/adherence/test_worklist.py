"""The worklist reasons (fast, unit): each present when it should be, absent when it should
not, and with a new cause_key when its cause happens again (so a handled mark covers one
occurrence only). Patients are enrolled on Monday 5 January 2026 unless a test says not."""

from dataclasses import replace
from datetime import date

import pytest

from tests.adherence.builders import contact, patient, prompt, regimen, reply, text, weekly
from webapp.adherence import worklist
from webapp.adherence.coverage import read_treatment
from webapp.adherence.facts import Reason, Urgency

D = date(2026, 1, 5)


def _run(rule, facts, today):
    return rule(facts, today, read_treatment(facts, today))


def _reasons(facts, today):
    return [item.reason for item in worklist.worklist_reasons(facts, today)]


# --- Replies ---


def test_an_unread_urgent_side_effect():
    first = reply(date(2026, 3, 3), "side_effect", urgent=True, read=False)
    found = _run(worklist.urgent_side_effect, patient(replies=[first]), date(2026, 3, 4))
    assert found.reason == Reason.URGENT_SIDE_EFFECT
    assert found.urgency == Urgency.URGENT
    assert found.cause_key == f"reply:{first.id}"
    assert found.detail == "Urgent side effect reported on 3 March 2026"
    assert found.since == date(2026, 3, 3)
    second = reply(date(2026, 3, 5), "side_effect", urgent=True, read=False)
    again = _run(worklist.urgent_side_effect, patient(replies=[first, second]), date(2026, 3, 5))
    assert again.cause_key == f"reply:{second.id}"
    assert again.since == date(2026, 3, 3)  # waiting since the first


def test_no_urgent_reason_once_read_or_not_urgent_or_discharged():
    read = reply(date(2026, 3, 3), "side_effect", urgent=True, read=True)
    not_urgent = reply(date(2026, 3, 3), "side_effect", urgent=False, read=False)
    unread = reply(date(2026, 3, 3), "side_effect", urgent=True, read=False)
    today = date(2026, 3, 4)
    assert _run(worklist.urgent_side_effect, patient(replies=[read, not_urgent]), today) is None
    discharged = patient(replies=[unread], status="discharged", discharged_on=today)
    assert _run(worklist.urgent_side_effect, discharged, today) is None


def test_unread_replies_that_are_not_urgent():
    unclear = reply(date(2026, 3, 3), "unclear", read=False)
    later = reply(date(2026, 3, 6), "side_effect", read=False)
    found = _run(worklist.unread_reply, patient(replies=[unclear, later]), date(2026, 3, 7))
    assert found.reason == Reason.UNREAD_REPLY
    assert found.cause_key == f"reply:{later.id}"
    assert found.detail == "2 replies to read, the latest on 6 March 2026"
    assert found.since == date(2026, 3, 3)
    just_one = _run(worklist.unread_reply, patient(replies=[unclear]), date(2026, 3, 7))
    assert just_one.cause_key == f"reply:{unclear.id}"
    read = reply(date(2026, 3, 3), "unclear", read=True)
    urgent = reply(date(2026, 3, 3), "side_effect", urgent=True, read=False)
    assert _run(worklist.unread_reply, patient(replies=[read, urgent]), date(2026, 3, 7)) is None


# --- Denosumab ---


def _denosumab(**overrides):
    return regimen("denosumab_6_monthly", D, last_given_date=D, **overrides)


def test_denosumab_more_than_4_weeks_late():
    """Given 5 January: due 5 July; 28 days later (2 August) not yet, 3 August late."""
    denosumab = _denosumab()
    facts = patient(denosumab)
    assert _run(worklist.denosumab_late, facts, date(2026, 8, 2)) is None
    found = _run(worklist.denosumab_late, facts, date(2026, 8, 3))
    assert found.reason == Reason.DENOSUMAB_LATE
    assert found.cause_key == "due:2026-07-05"
    assert found.detail == "Injection was due on 5 July 2026, 4 weeks ago"
    assert found.since == date(2026, 7, 5)


def test_a_denosumab_dose_recorded_clears_it_and_the_next_lateness_is_a_new_cause():
    """Given again on 10 August (by the GP): next due 10 February 2027, late from 11 March."""
    denosumab = _denosumab()
    facts = patient(denosumab, contacts=[contact("dose_given_gp", date(2026, 8, 10), denosumab)])
    assert _run(worklist.denosumab_late, facts, date(2026, 8, 11)) is None
    assert _run(worklist.denosumab_late, facts, date(2027, 3, 10)) is None
    assert _run(worklist.denosumab_late, facts, date(2027, 3, 11)).cause_key == "due:2027-02-10"


def test_a_taken_reply_to_the_clinic_text_counts_as_given():
    denosumab = _denosumab()
    facts = patient(denosumab, prompts=[prompt(denosumab, date(2026, 7, 5), kind="clinic_due")])
    assert _run(worklist.denosumab_late, facts, date(2026, 8, 3)) is None


def test_denosumab_with_no_dose_recorded_counts_as_the_reminders_do():
    """A first dose dated before enrolment is taken as given (due 6 months on); one dated
    after enrolment is itself due, and late 4 weeks after it."""
    before = regimen("denosumab_6_monthly", date(2025, 12, 1))
    assert _run(worklist.denosumab_late, patient(before), date(2026, 6, 29)) is None
    assert _run(worklist.denosumab_late, patient(before), date(2026, 6, 30)).cause_key == (
        "due:2026-06-01")
    after = regimen("denosumab_6_monthly", date(2026, 2, 1))
    assert _run(worklist.denosumab_late, patient(after), date(2026, 3, 2)).cause_key == (
        "due:2026-02-01")


def test_no_lateness_when_stopped_or_not_texted():
    stopped = _denosumab(stopped_on=date(2026, 6, 1))
    assert _run(worklist.denosumab_late, patient(stopped), date(2026, 9, 1)) is None
    opted_out = patient(_denosumab(), status="opted_out", opted_out_on=date(2026, 6, 1))
    assert _run(worklist.denosumab_late, opted_out, date(2026, 9, 1)) is None
    paused = patient(_denosumab(), status="paused", paused_on=date(2026, 6, 1))
    assert _run(worklist.denosumab_late, paused, date(2026, 9, 1)) is not None


def test_denosumab_stopped_with_nothing_to_follow():
    stopped = _denosumab(stopped_on=date(2026, 3, 2))
    found = _run(worklist.denosumab_stopped, patient(stopped), date(2026, 3, 3))
    assert found.reason == Reason.DENOSUMAB_STOPPED
    assert found.urgency == Urgency.URGENT
    assert found.cause_key == f"stopped:regimen {stopped.id}:2026-03-02"
    assert found.detail == ("Denosumab stopped on 2 March 2026, with no treatment to follow "
                            "recorded")
    assert found.since == date(2026, 3, 2)


def test_a_follow_on_treatment_clears_the_stop():
    today = date(2026, 3, 20)
    switched = _denosumab(stopped_on=date(2026, 3, 2), switched_to_id=99)
    assert _run(worklist.denosumab_stopped, patient(switched), today) is None
    stopped = _denosumab(stopped_on=date(2026, 3, 2))
    zoledronic = regimen("zoledronic_acid_yearly", date(2026, 3, 10))
    assert _run(worklist.denosumab_stopped, patient(stopped, zoledronic), today) is None
    # Alendronate begun before denosumab, since stopped, does not follow it.
    earlier = regimen(first_dose_date=date(2025, 1, 6), stopped_on=D)
    assert _run(worklist.denosumab_stopped, patient(stopped, earlier), today) is not None
    # Nor does one stopped before the denosumab was; one stopped after it did follow it.
    gone = regimen(first_dose_date=date(2026, 2, 1), stopped_on=date(2026, 3, 1))
    assert _run(worklist.denosumab_stopped, patient(stopped, gone), today) is not None
    went_on = replace(gone, stopped_on=date(2026, 3, 15))
    assert _run(worklist.denosumab_stopped, patient(stopped, went_on), today) is None


@pytest.mark.parametrize(
    ("status", "dates", "key", "words"),
    [
        ("paused", {"paused_on": date(2026, 4, 1)}, "paused:2026-04-01", "Texts paused"),
        ("opted_out", {"opted_out_on": date(2026, 4, 1)}, "opted_out:2026-04-01",
         "Stopped the texts"),
        ("discharged", {"discharged_on": date(2026, 4, 1)}, "discharged:2026-04-01",
         "Discharged"),
    ],
)
def test_paused_opted_out_or_discharged_on_denosumab(status, dates, key, words):
    facts = patient(_denosumab(), status=status, **dates)
    found = _run(worklist.denosumab_stopped, facts, date(2026, 4, 2))
    assert found.cause_key == key
    assert found.detail.startswith(f"{words} on denosumab on 1 April 2026")
    assert _run(worklist.denosumab_stopped, patient(_denosumab()), date(2026, 4, 2)) is None


def test_a_discharged_patient_gets_only_the_denosumab_stop():
    denosumab = _denosumab()
    alendronate = regimen(first_dose_date=date(2025, 12, 1))  # begun before denosumab
    facts = patient(
        denosumab, alendronate, status="discharged", discharged_on=date(2026, 4, 1),
        prompts=weekly(alendronate, "NNNN", start=D), fracture_date=date(2026, 1, 1),
        replies=[reply(date(2026, 3, 30), "side_effect", urgent=True, read=False)],
        last_text=text(date(2026, 3, 30), "failed"),
    )  # fmt: skip
    assert _reasons(facts, date(2026, 4, 2)) == [Reason.DENOSUMAB_STOPPED]
    # Alendronate started after denosumab is a follow-on: then nothing at all.
    later = replace(alendronate, first_dose_date=date(2026, 2, 2))
    assert _reasons(replace(facts, regimens=(denosumab, later)), date(2026, 4, 2)) == []


# --- Other clinic doses ---


def test_zoledronic_acid_overdue_a_week_after_its_due_date():
    """Given 5 January 2026: due 5 January 2027; the follow-up goes 7 days later."""
    zoledronic = regimen("zoledronic_acid_yearly", D, last_given_date=D)
    facts = patient(zoledronic)
    assert _run(worklist.injection_overdue, facts, date(2027, 1, 12)) is None
    found = _run(worklist.injection_overdue, facts, date(2027, 1, 13))
    assert found.reason == Reason.INJECTION_OVERDUE
    assert found.cause_key == "due:2027-01-05"
    assert found.detail == "Zoledronic acid was due on 5 January 2027, 8 days ago"
    answered = patient(zoledronic, prompts=[prompt(zoledronic, date(2027, 1, 5),
                                                   kind="clinic_due")])  # fmt: skip
    assert _run(worklist.injection_overdue, answered, date(2027, 1, 13)) is None


def test_romosozumab_overdue_and_not_after_its_12_doses():
    """No dose recorded: the first is due on its date (after enrolment). The 12th of 12 given
    on 5 December 2026: nothing more is due."""
    romosozumab = regimen("romosozumab_monthly", date(2026, 2, 2))
    assert _run(worklist.injection_overdue, patient(romosozumab),
                date(2026, 2, 10)).cause_key == "due:2026-02-02"  # fmt: skip
    done = replace(romosozumab, first_dose_date=D, last_given_date=date(2026, 12, 5))
    assert _run(worklist.injection_overdue, patient(done), date(2027, 3, 1)) is None
    denosumab = _denosumab()
    assert _run(worklist.injection_overdue, patient(denosumab), date(2026, 9, 1)) is None


# --- Course ends ---


def test_teriparatide_course_ending_within_8_weeks():
    """24 months from 5 January 2026: the course ends with 4 January 2028; shown from
    10 November 2027, 8 weeks before 5 January 2028."""
    teriparatide = regimen("teriparatide_daily", D)
    facts = patient(teriparatide)
    assert _run(worklist.course_ending, facts, date(2027, 11, 9)) is None
    found = _run(worklist.course_ending, facts, date(2027, 11, 10))
    assert found.reason == Reason.COURSE_ENDING
    assert found.cause_key == f"course:regimen {teriparatide.id}:2028-01-05"
    assert found.detail == ("Teriparatide course ends on 4 January 2028, with no treatment to "
                            "follow recorded")
    assert found.since == date(2027, 11, 10)
    ended = _run(worklist.course_ending, facts, date(2028, 2, 1))
    assert "course ended on 4 January 2028" in ended.detail
    alendronate = regimen(first_dose_date=date(2028, 1, 5))
    assert _run(worklist.course_ending, patient(teriparatide, alendronate),
                date(2027, 12, 1)) is None  # fmt: skip
    # A follow-on that went on past the course's end still followed it, once stopped.
    stopped_later = replace(alendronate, stopped_on=date(2029, 1, 1))
    assert _run(worklist.course_ending, patient(teriparatide, stopped_later),
                date(2029, 6, 1)) is None  # fmt: skip


def test_romosozumab_course_end_moves_with_the_doses_given():
    """12 monthly doses from 5 January 2026 end with 4 January 2027. Three given by
    20 March (the third late): 9 more from 20 April to 20 December, ending 20 January 2027."""
    romosozumab = regimen("romosozumab_monthly", D)
    assert _run(worklist.course_ending, patient(romosozumab), date(2026, 11, 10)).cause_key == (
        f"course:regimen {romosozumab.id}:2027-01-05")
    late = replace(romosozumab, last_given_date=date(2026, 3, 20))
    assert _run(worklist.course_ending, patient(late), date(2026, 11, 10)) is None
    assert _run(worklist.course_ending, patient(late), date(2026, 11, 25)).cause_key == (
        f"course:regimen {romosozumab.id}:2027-01-20")


def test_no_course_end_for_other_medicines():
    assert _run(worklist.course_ending, patient(regimen()), date(2030, 1, 1)) is None


# --- Doses missed, no replies ---


def test_two_doses_in_a_row_missed_or_unanswered():
    alendronate = regimen(first_dose_date=D)
    found = _run(worklist.missed_doses, patient(alendronate, prompts=weekly(alendronate, "TMN")),
                 date(2026, 1, 25))  # fmt: skip
    assert found.reason == Reason.MISSED_DOSES
    assert found.cause_key == f"missed:regimen {alendronate.id}:2026-01-19"
    assert found.detail == ("Alendronic acid: 2 doses in a row missed or unanswered, the last "
                            "due on 19 January 2026")
    assert found.since == date(2026, 1, 12)
    again = _run(worklist.missed_doses, patient(alendronate, prompts=weekly(alendronate, "TMNM")),
                 date(2026, 1, 30))  # fmt: skip
    assert again.cause_key == f"missed:regimen {alendronate.id}:2026-01-26"
    # An open answer does not break or make a run: the last two settled ones count.
    assert _run(worklist.missed_doses, patient(alendronate, prompts=weekly(alendronate, "MM?")),
                date(2026, 1, 20)) is not None  # fmt: skip


@pytest.mark.parametrize("outcomes", ["M", "MT", "TM?", "MMT"])
def test_no_missed_doses_reason_without_two_in_a_row(outcomes):
    alendronate = regimen(first_dose_date=D)
    facts = patient(alendronate, prompts=weekly(alendronate, outcomes))
    assert _run(worklist.missed_doses, facts, date(2026, 2, 1)) is None


def test_missed_doses_only_for_a_current_bone_treatment_of_a_texted_patient():
    stopped = regimen(first_dose_date=D, stopped_on=date(2026, 1, 26))
    calcium = regimen("calcium_vitamin_d_daily", D)
    today = date(2026, 2, 1)
    assert _run(worklist.missed_doses, patient(stopped, prompts=weekly(stopped, "MM")),
                today) is None  # fmt: skip
    assert _run(worklist.missed_doses, patient(calcium, prompts=weekly(calcium, "MM", "check_in")),
                today) is None  # fmt: skip
    alendronate = regimen(first_dose_date=D)
    opted_out = patient(alendronate, prompts=weekly(alendronate, "MM"), status="opted_out")
    assert _run(worklist.missed_doses, opted_out, today) is None


def test_no_reply_to_the_last_three():
    alendronate = regimen(first_dose_date=D)
    found = _run(worklist.no_replies, patient(alendronate, prompts=weekly(alendronate, "TNNN")),
                 date(2026, 2, 1))  # fmt: skip
    assert found.reason == Reason.NO_REPLIES
    assert found.cause_key == "no_reply:2026-01-26"
    assert found.since == date(2026, 1, 12)
    assert found.detail == "No reply to the last 3 texts, the latest about 26 January 2026"
    for outcomes in ("NN", "NNM", "NNNT"):
        facts = patient(alendronate, prompts=weekly(alendronate, outcomes))
        assert _run(worklist.no_replies, facts, date(2026, 2, 1)) is None


def test_follow_ups_are_not_counted_among_the_last_three():
    alendronate = regimen(first_dose_date=D)
    follow_up = prompt(alendronate, date(2026, 1, 19), "no_response", kind="follow_up")
    facts = patient(alendronate, prompts=[*weekly(alendronate, "TNN"), follow_up])
    assert _run(worklist.no_replies, facts, date(2026, 2, 1)) is None


# --- Opt-out, texts ---


def test_opted_out_until_discharged():
    facts = patient(regimen(), status="opted_out", opted_out_on=date(2026, 4, 1))
    found = _run(worklist.opted_out, facts, date(2026, 4, 2))
    assert found.cause_key == "opted_out:2026-04-01"
    assert found.detail.startswith("Stopped the texts on 1 April 2026")
    again = replace(facts, opted_out_on=date(2026, 6, 1))
    assert _run(worklist.opted_out, again, date(2026, 6, 2)).cause_key == "opted_out:2026-06-01"
    assert _run(worklist.opted_out, patient(regimen()), date(2026, 4, 2)) is None
    discharged = replace(facts, status="discharged", discharged_on=date(2026, 5, 1))
    assert _run(worklist.opted_out, discharged, date(2026, 5, 2)) is None


def test_texts_failing_to_deliver():
    failed = text(date(2026, 3, 3), "failed", failed_in_a_row=2)
    found = _run(worklist.texts_failing, patient(last_text=failed), date(2026, 3, 4))
    assert found.cause_key == f"text:{failed.id}"
    assert found.detail == "The text sent on 3 March 2026 was not delivered (2 in a row)"
    blocked = patient(last_text=failed, sms_blocked_on=date(2026, 3, 3))
    assert _run(worklist.texts_failing, blocked, date(2026, 3, 4)).cause_key == (
        "blocked:2026-03-03")
    delivered = patient(last_text=text(date(2026, 3, 3)))
    assert _run(worklist.texts_failing, delivered, date(2026, 3, 4)) is None
    opted_out = patient(last_text=failed, status="opted_out")
    assert _run(worklist.texts_failing, opted_out, date(2026, 3, 4)) is None


# --- The audit's follow-up points (fracture 1 January 2026) ---

FRACTURE = date(2026, 1, 1)


def _audit_patient(*regimens, **rows):
    return patient(*(regimens or (regimen(first_dose_date=D),)), fracture_date=FRACTURE, **rows)


def test_the_12_to_16_week_contact():
    """Week 11 is 19 March, week 16 is 23 April."""
    facts = _audit_patient()
    assert _run(worklist.contact_due, facts, date(2026, 3, 18)) is None
    found = _run(worklist.contact_due, facts, date(2026, 3, 19))
    assert (found.reason, found.cause_key, found.since) == (
        Reason.CONTACT_DUE, "week12", date(2026, 3, 19))
    assert found.detail == "Call or see the patient by 23 April 2026, 16 weeks after the fracture"
    assert _run(worklist.contact_due, facts, date(2026, 4, 23)) is not None
    assert _run(worklist.contact_due, facts, date(2026, 4, 24)) is None
    called = _audit_patient(contacts=[contact("phone_call", date(2026, 3, 19))])
    assert _run(worklist.contact_due, called, date(2026, 3, 20)) is None
    called_early = _audit_patient(contacts=[contact("visit", date(2026, 3, 18))])
    assert _run(worklist.contact_due, called_early, date(2026, 3, 20)) is not None


def test_audit_points_need_a_fracture_date_and_a_bone_treatment():
    today = date(2026, 3, 20)
    assert _run(worklist.contact_due, patient(regimen()), today) is None
    calcium = regimen("calcium_vitamin_d_daily", D)
    assert _run(worklist.contact_due, _audit_patient(calcium), today) is None
    opted_out = _audit_patient(status="opted_out")
    assert _run(worklist.contact_due, opted_out, today) is not None


def test_the_16_week_check_that_treatment_started():
    """Week 15 is 16 April, week 20 is 21 May."""
    alendronate = regimen(first_dose_date=date(2026, 4, 6))
    facts = _audit_patient(alendronate, prompts=weekly(alendronate, "M"))
    assert _run(worklist.treatment_check_due, facts, date(2026, 4, 15)) is None
    found = _run(worklist.treatment_check_due, facts, date(2026, 4, 16))
    assert (found.cause_key, found.since) == ("week16", date(2026, 4, 16))
    assert found.detail == "No dose confirmed yet; 16 weeks after the fracture is 23 April 2026"
    assert _run(worklist.treatment_check_due, facts, date(2026, 5, 22)) is None
    taken = _audit_patient(alendronate, prompts=weekly(alendronate, "MT"))
    assert _run(worklist.treatment_check_due, taken, date(2026, 4, 16)) is None


def test_the_52_week_check_that_treatment_continues():
    """Week 50 is 17 December 2026, week 56 is 28 January 2027; the KPI 11 window opens on
    3 December 2026 (week 48)."""
    alendronate = regimen(first_dose_date=D)
    facts = _audit_patient(alendronate, prompts=weekly(alendronate, "T" * 40))
    assert _run(worklist.year_check_due, facts, date(2026, 12, 16)) is None
    found = _run(worklist.year_check_due, facts, date(2026, 12, 17))
    assert (found.cause_key, found.since) == ("week52", date(2026, 12, 17))
    assert _run(worklist.year_check_due, facts, date(2027, 1, 29)) is None
    in_window = [prompt(alendronate, date(2026, 12, 7))]
    confirmed = _audit_patient(alendronate, prompts=in_window)
    assert _run(worklist.year_check_due, confirmed, date(2026, 12, 17)) is None
    gp = _audit_patient(alendronate, contacts=[contact("confirmed_by_gp", date(2026, 12, 3))])
    assert _run(worklist.year_check_due, gp, date(2026, 12, 17)) is None


def test_worklist_is_most_urgent_first_then_oldest():
    alendronate = regimen(first_dose_date=date(2025, 12, 1))  # begun before denosumab
    stopped = _denosumab(stopped_on=date(2026, 3, 2))
    facts = patient(
        alendronate, stopped, prompts=weekly(alendronate, "TTNNN", start=D),
        fracture_date=FRACTURE,
        replies=[reply(date(2026, 3, 20), "side_effect", urgent=True, read=False),
                 reply(date(2026, 3, 1), "unclear", read=False)],
    )  # fmt: skip
    items = worklist.worklist_reasons(facts, date(2026, 3, 21))
    assert [item.reason for item in items] == [
        Reason.DENOSUMAB_STOPPED,  # urgent, since 2 March
        Reason.URGENT_SIDE_EFFECT,  # urgent, since 20 March
        Reason.MISSED_DOSES,  # high
        Reason.NO_REPLIES,  # routine, since 19 January
        Reason.UNREAD_REPLY,  # routine, since 1 March
        Reason.CONTACT_DUE,  # audit, from 19 March
    ]
    assert all(len(item.cause_key) <= 80 and len(item.detail) <= 200 for item in items)


def test_every_reason_has_one_rule_named_after_it():
    assert [rule.__name__ for rule in worklist.RULES] == [reason.value for reason in Reason]
