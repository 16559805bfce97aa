"""Understanding SMS replies (fast, unit): real-world texts and their one outcome."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.reminders.replies import ReplyOutcome, normalise, understand_reply

TAKEN, MISSED, LATER = ReplyOutcome.TAKEN, ReplyOutcome.MISSED, ReplyOutcome.LATER
STOP, START, HELP = ReplyOutcome.STOP, ReplyOutcome.START, ReplyOutcome.HELP
SIDE_EFFECT, UNCLEAR = ReplyOutcome.SIDE_EFFECT, ReplyOutcome.UNCLEAR

REPLIES = [
    # Taken, as people write it.
    ("TAKEN", TAKEN), ("taken", TAKEN), ("Taken!", TAKEN), ("taken.", TAKEN), (" Taken ", TAKEN),
    ("TAKEN 👍", TAKEN), ("taken thanks", TAKEN), ("Taken, thank you", TAKEN), ("Taken x", TAKEN),
    ("taken it", TAKEN), ("Taken it thanks", TAKEN), ("taken them", TAKEN), ("Yes", TAKEN),
    ("YES", TAKEN), ("yes.", TAKEN), ("Yes!", TAKEN), ("yes thanks", TAKEN),
    ("Yes thank you", TAKEN),
    ("yes taken", TAKEN), ("Yes done", TAKEN), ("yes I have", TAKEN), ("Yes I did", TAKEN),
    ("Y", TAKEN), ("y", TAKEN), ("yep", TAKEN), ("Yeah", TAKEN), ("yup", TAKEN), ("DONE", TAKEN),
    ("done", TAKEN), ("Done it", TAKEN), ("all done", TAKEN), ("All done thanks", TAKEN),
    ("OK", TAKEN), ("ok", TAKEN), ("Okay", TAKEN), ("ok thanks", TAKEN), ("1", TAKEN),
    ("had it", TAKEN), ("Had it thanks", TAKEN), ("I have taken it", TAKEN),
    ("I've taken it", TAKEN),
    ("Ive taken it", TAKEN), ("I’ve had it", TAKEN), ("took it", TAKEN), ("Took my tablet", TAKEN),
    ("had my injection", TAKEN), ("Had my jab", TAKEN), ("Hi yes taken", TAKEN),
    ("Hello, yes thanks", TAKEN), ("yes every day", TAKEN), ("Every day", TAKEN),
    ("✅ taken", TAKEN),
    ("Ｔａｋｅｎ", TAKEN), ("TAKEN!!!", TAKEN), ("taken 😊", TAKEN), ("Yes 🙂", TAKEN),
    ("Taken this morning", TAKEN), ("taken today", TAKEN),
    # Typos of the keywords.
    ("takne", TAKEN), ("tken", TAKEN), ("takem", TAKEN), ("Takn", TAKEN), ("takenn", TAKEN),
    ("mised", MISSED), ("missd", MISSED), ("forgott", MISSED), ("froggot", MISSED),
    ("latr", LATER),
    ("snoze", LATER),
    # Missed, and negations that hold the word "taken".
    ("MISSED", MISSED), ("missed", MISSED), ("Missed it", MISSED), ("missed my tablet", MISSED),
    ("No", MISSED), ("NO", MISSED), ("no.", MISSED), ("N", MISSED), ("nope", MISSED),
    ("Nah", MISSED),
    ("2", MISSED), ("FORGOT", MISSED), ("forgot", MISSED), ("Forgot it", MISSED),
    ("I forgot", MISSED), ("i forgot to take it", MISSED), ("forgot again", MISSED),
    ("Forgotten", MISSED), ("not yet", MISSED), ("Not yet!", MISSED), ("No not yet", MISSED),
    ("no I forgot", MISSED), ("No, I forgot", MISSED), ("not taken", MISSED),
    ("Not taken it", MISSED),
    ("haven't taken it", MISSED), ("havent taken it", MISSED), ("I haven't taken it", MISSED),
    ("didn't take it", MISSED), ("I didnt take them", MISSED), ("not today", MISSED),
    ("No sorry", MISSED), ("no I haven't", MISSED), ("No I didn't", MISSED), ("missed 😞", MISSED),
    ("Missed.", MISSED),
    # Later.
    ("LATER", LATER), ("later", LATER), ("Later please", LATER), ("SNOOZE", LATER),
    ("snooze", LATER), ("remind me later", LATER), ("Remind me tomorrow", LATER),
    ("not now", LATER),
    ("in a bit", LATER),
    # Commands win over an open question.
    ("STOP", STOP), ("stop", STOP), ("Stop", STOP), ("STOP!", STOP), ("stop please", STOP),
    ("Please stop", STOP), ("STOPALL", STOP), ("UNSUBSCRIBE", STOP), ("unsubscribe", STOP),
    ("CANCEL", STOP), ("END", STOP), ("QUIT", STOP), ("REVOKE", STOP), ("OPTOUT", STOP),
    ("opt out", STOP), ("stop the texts", STOP), ("Stop sending texts", STOP),
    ("please stop these messages", STOP), ("stop texts thanks", STOP), ("Stop 🛑", STOP),
    ("START", START), ("start", START), ("UNSTOP", START), ("Start again", START),
    ("start the texts please", START), ("HELP", HELP), ("help", HELP), ("Help!", HELP),
    ("help me", HELP), ("INFO", HELP), ("I need help", HELP),
    # Not an opt-out: for the nurse.
    ("I've stopped taking them", UNCLEAR), ("I stopped taking it last week", UNCLEAR),
    ("my doctor told me to stop", UNCLEAR), ("who is this?", UNCLEAR),
    ("what is this about", UNCLEAR),
    ("Can you call me", UNCLEAR), ("I'm in hospital", UNCLEAR), ("", UNCLEAR), ("   ", UNCLEAR),
    ("🙂", UNCLEAR), ("?", UNCLEAR), ("3", UNCLEAR), ("maybe", UNCLEAR), ("x", UNCLEAR),
    ("The pharmacy has not got any in", UNCLEAR), ("wrong number", UNCLEAR),
    ("Ring me on the landline please", UNCLEAR), ("yes and no", UNCLEAR),
    ("Ich habe sie genommen", UNCLEAR), ("这是什么", UNCLEAR), ("a" * 1600, UNCLEAR),
    # Side effects win the outcome.
    ("my jaw hurts", SIDE_EFFECT), ("Jaw pain since Tuesday", SIDE_EFFECT),
    ("taken but my jaw aches", SIDE_EFFECT), ("I have a loose tooth", SIDE_EFFECT),
    ("tooth fell out", SIDE_EFFECT), ("my gums are swollen", SIDE_EFFECT),
    ("sore in my mouth that won't heal", SIDE_EFFECT), ("toothache", SIDE_EFFECT),
    ("pain in my thigh", SIDE_EFFECT), ("My hip is really painful", SIDE_EFFECT),
    ("groin ache", SIDE_EFFECT), ("aching thighs for weeks", SIDE_EFFECT),
    ("earache", SIDE_EFFECT),
    ("ear infection", SIDE_EFFECT), ("discharge from my ear", SIDE_EFFECT),
    ("bad heartburn", SIDE_EFFECT), ("it hurts to swallow", SIDE_EFFECT),
    ("trouble swallowing", SIDE_EFFECT), ("pain behind my breastbone", SIDE_EFFECT),
    ("cramps in my legs", SIDE_EFFECT), ("tingling fingers", SIDE_EFFECT),
    ("pins and needles round my mouth", SIDE_EFFECT), ("muscle spasms", SIDE_EFFECT),
    ("my eye is red and sore", SIDE_EFFECT), ("eye pain", SIDE_EFFECT),
    ("not passing much urine", SIDE_EFFECT), ("hardly weeing", SIDE_EFFECT),
    ("severe pain in my bones", SIDE_EFFECT), ("joints aching terribly", SIDE_EFFECT),
    ("chest pain", SIDE_EFFECT), ("tight chest", SIDE_EFFECT), ("I'm breathless", SIDE_EFFECT),
    ("short of breath since yesterday", SIDE_EFFECT), ("suddenly weak down one side", SIDE_EFFECT),
    ("slurred speech", SIDE_EFFECT), ("lost my vision for a minute", SIDE_EFFECT),
    ("STOP my jaw hurts", SIDE_EFFECT), ("Taken! But heartburn after", SIDE_EFFECT),
]


def test_the_table_is_at_least_150_real_world_replies():
    assert len(REPLIES) >= 150
    assert len({text for text, _ in REPLIES}) == len(REPLIES)


@pytest.mark.parametrize(("body", "outcome"), REPLIES)
def test_each_reply_gets_its_one_outcome(body, outcome):
    assert understand_reply(body).outcome == outcome


@pytest.mark.parametrize("body", ["YES", "yes", "Y", "yes please"])
def test_yes_after_a_stop_starts_the_texts_again(body):
    assert understand_reply(body, opted_out=True).outcome == START


def test_a_side_effect_with_taken_is_still_a_taken_dose():
    reply = understand_reply("taken but my jaw aches")
    assert reply.urgent and reply.also_taken
    assert [effect.code for effect in reply.side_effects] == ["jaw_or_mouth"]


def test_a_side_effect_saying_not_taken_is_not_a_taken_dose():
    reply = understand_reply("not taken it, my jaw hurts")
    assert reply.urgent and not reply.also_taken


@pytest.mark.parametrize(
    "body",
    ["chest pain", "slurred speech", "suddenly numb in my arm", "I think I'm having a stroke"],
)
def test_chest_pain_and_stroke_signs_need_999(body):
    assert understand_reply(body).needs_999


@pytest.mark.parametrize("body", ["my jaw hurts", "earache", "cramps"])
def test_other_side_effects_do_not_say_999(body):
    reply = understand_reply(body)
    assert reply.urgent and not reply.needs_999


def test_ordinary_replies_are_not_urgent():
    assert not understand_reply("taken").urgent


def test_normalise_folds_case_accents_apostrophes_and_emoji():
    assert normalise("  I’ve  TAKEN it!! 👍 ") == "ive taken it"
    assert normalise("Ｔａｋｅｎ") == "taken"


@settings(max_examples=300, derandomize=True)
@given(st.text(max_size=400))
def test_any_text_gets_exactly_one_known_outcome(body):
    reply = understand_reply(body)
    assert reply.outcome in set(ReplyOutcome)
    assert reply.urgent == (reply.outcome == SIDE_EFFECT)
