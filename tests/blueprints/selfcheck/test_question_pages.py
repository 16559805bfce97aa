"""Each question page: its markup, its validation, and its place in the order."""

from datetime import datetime

import pytest
import time_machine

from tests.blueprints.selfcheck.journey import (
    complete_answers,
    give_answers,
    ready_for,
    session_answers,
    url,
)
from tests.pages import csrf_token, error_messages, get_page, post_form, submit
from webapp.selfcheck.answers import MEDICINE_CHOICES, QUESTIONS

PAGES = {question: question.replace("_", "-") for question in QUESTIONS}

EMPTY_ANSWER_ERRORS = {
    "age": "Enter your age in years",
    "sex": "Select whether you are female or male",
    "height": "Enter your height in centimetres",
    "weight": "Enter your weight in kilograms",
    "ethnicity": "Select your ethnic group, or select 'Prefer not to say'",
    "smoking": "Select whether you smoke",
    "alcohol": "Select how much alcohol you usually drink",
    "broken_bones": "Select yes if you have broken a bone in your wrist, spine, hip or shoulder",
    "parent_hip_fracture": "Select yes if either of your parents broke a hip or had osteoporosis",
    "falls": "Select yes if you have had a fall",
    "steroids": "Select yes if you take steroid tablets",
    "diabetes": "Select whether you have diabetes",
    "conditions": "Select the conditions you have, or select 'None of these'",
    "medicines": "Select the ones that apply to you, or select 'None of these'",
    "other_risk_factors": "Select the ones that apply to you, or select 'None of these'",
}


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_page_has_a_back_link_one_question_and_continue(client, question):
    ready_for(client, question)
    page = get_page(client, url(PAGES[question]))
    form = page.select_one("main form[method=post]")
    assert form.has_attr("novalidate")
    assert page.select_one("a.nhsuk-back-link")["href"]
    assert form.select_one("button").get_text(strip=True) == "Continue"
    heading = page.h1
    in_label_or_legend = heading.find("label") or heading.find_parent("legend")
    assert in_label_or_legend is not None, "the question is the h1"


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_empty_answer_gets_the_error_summary_linked_to_the_field(client, question):
    ready_for(client, question)
    page = post_form(client, url(PAGES[question]), {})
    assert error_messages(page) == [EMPTY_ANSWER_ERRORS[question]]
    target = page.select_one(".nhsuk-error-summary a")["href"].removeprefix("#")
    assert page.find(id=target) is not None
    assert page.title.get_text().startswith("Error: ")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your age in years"),
        ("sixty", "Age must be a whole number, like 67"),
        ("67.5", "Age must be a whole number, like 67"),
        ("-67", "Age must be a whole number, like 67"),
        ("٦٧", "Age must be a whole number, like 67"),
        ("0", "This check is for people aged 50 and over. Enter your age in years, like 67"),
        ("17", "This check is for people aged 50 and over. Enter your age in years, like 67"),
        ("121", "Age must be 120 or under. Enter your age in years, like 67"),
        ("9" * 400, "Age must be 120 or under. Enter your age in years, like 67"),
    ],
)
def test_age_errors(client, typed, message):
    assert error_messages(post_form(client, url("age"), {"age": typed})) == [message]


def test_the_age_input_is_a_narrow_numeric_box(client):
    page = get_page(client, url("age"))
    box = page.find("input", attrs={"name": "age"})
    assert box["inputmode"] == "numeric"
    assert "nhsuk-input--width-3" in box["class"]
    assert box["autocomplete"] == "off"


def test_typed_markup_comes_back_escaped(client):
    attack = "<script>alert(1)</script>"
    response = submit(client, url("age"), {"age": attack})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert attack not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_choice_that_was_never_offered_is_an_error_not_echoed(client):
    ready_for(client, "sex")
    attack = '"><img src=x onerror=alert(1)>'
    page = post_form(client, url("sex"), {"sex": attack})
    assert error_messages(page) == [EMPTY_ANSWER_ERRORS["sex"]]
    assert "onerror" not in str(page)


def test_a_later_question_sends_you_to_the_first_unanswered_one(client):
    response = client.get(url("falls"))
    assert response.headers["Location"] == url("ended")  # no answers at all: they were deleted
    ready_for(client, "smoking")
    assert client.get(url("falls")).headers["Location"] == url("smoking")
    assert client.get(url("check-your-answers")).headers["Location"] == url("smoking")
    assert client.get(url("result")).headers["Location"] == url("smoking")


def test_a_post_to_a_later_question_changes_nothing(client):
    ready_for(client, "smoking")
    token = csrf_token(client, url("smoking"))
    response = client.post(url("falls"), data={"csrf_token": token, "falls": "yes"})
    assert response.headers["Location"] == url("smoking")
    assert "falls" not in session_answers(client)


def test_the_start_link_carries_on_where_you_left_off(client):
    assert client.get("/check/").headers["Location"] == url("age")
    ready_for(client, "alcohol")
    assert client.get("/check/").headers["Location"] == url("alcohol")


# Height and weight -------------------------------------------------------------------------
def test_five_feet_four_inches_is_kept_as_162_56_cm(client):
    ready_for(client, "height")
    page = get_page(client, url("height"))
    assert page.find("button", string="Enter your height in feet and inches instead")
    switched = submit(client, url("height"), {"height": "", "switch_units": "imperial"})
    assert switched.headers["Location"] == "/check/height?units=imperial"
    response = submit(client, switched.headers["Location"], {"feet": "5", "inches": "4"})
    assert response.headers["Location"] == url("weight")
    height = session_answers(client)["height"]
    assert height["cm"] == pytest.approx(162.56)
    assert (height["feet"], height["inches"]) == (5, 4)


def test_ten_stone_seven_pounds_is_kept_as_66_68_kg(client):
    ready_for(client, "weight")
    response = submit(client, "/check/weight?units=imperial", {"stones": "10", "pounds": "7"})
    assert response.headers["Location"] == url("ethnicity")
    assert round(session_answers(client)["weight"]["kg"], 2) == 66.68


def test_an_imperial_answer_is_shown_in_imperial_when_asked_again(client):
    give_answers(client, complete_answers(height={"cm": 162.56, "feet": 5, "inches": 4.0}))
    page = get_page(client, url("height"))
    assert page.find("input", attrs={"name": "feet"})["value"] == "5"
    assert page.find("input", attrs={"name": "inches"})["value"] == "4"


@pytest.mark.parametrize(
    "address, data, message",
    [
        ("height", {"height": "abc"}, "Height must be a number, like 165"),
        ("height", {"height": "1.65"}, "Height must be between 120 cm and 230 cm"),
        ("height", {"height": "nan"}, "Height must be a number, like 165"),
        ("height?units=imperial", {"feet": "", "inches": ""},
         "Enter your height in feet and inches"),
        ("height?units=imperial", {"feet": "", "inches": "4"},
         "Height must be between 4 feet and 7 feet 6 inches"),
        ("height?units=imperial", {"feet": "5.5", "inches": ""},
         "Feet must be a whole number, like 5"),
        ("height?units=imperial", {"feet": "5", "inches": "four"},
         "Inches must be a number, like 4"),
        ("height?units=imperial", {"feet": "5", "inches": "12"}, "Inches must be less than 12"),
        ("height?units=imperial", {"feet": "8", "inches": "0"},
         "Height must be between 4 feet and 7 feet 6 inches"),
        ("weight", {"weight": "300"}, "Weight must be between 30 kg and 250 kg"),
        ("weight?units=imperial", {"stones": "10", "pounds": "14"},
         "Pounds must be less than 14"),
        ("weight?units=imperial", {"stones": "45", "pounds": "0"},
         "Weight must be between 5 stone and 39 stone"),
    ],
)
def test_height_and_weight_errors(client, address, data, message):
    ready_for(client, "ethnicity")
    assert error_messages(post_form(client, url(address), data)) == [message]


def test_a_height_and_weight_no_adult_could_have_are_questioned(client):
    give_answers(client, complete_answers(weight={"kg": 30.0}))
    (message,) = error_messages(post_form(client, url("height"), {"height": "230"}))
    assert message.startswith("Check your height. With the weight you gave")


def test_a_plain_number_stays_allowed_when_imperial_was_used_before(client):
    give_answers(client, complete_answers(weight={"kg": 66.68, "stones": 10, "pounds": 7.0}))
    response = submit(client, "/check/weight?units=metric", {"weight": "70"})
    assert response.headers["Location"] == url("check-your-answers")
    assert session_answers(client)["weight"] == {"kg": 70.0}


# The other units, offered after the box, taking what was typed -------------------------------
@pytest.mark.parametrize(
    "address, button_text, units",
    [
        ("height", "Enter your height in feet and inches instead", "imperial"),
        ("weight", "Enter your weight in stones and pounds instead", "imperial"),
        ("height?units=imperial", "Enter your height in centimetres instead", "metric"),
        ("weight?units=imperial", "Enter your weight in kilograms instead", "metric"),
    ],
)
def test_the_other_units_are_offered_after_continue_not_in_the_hint(client, address,
                                                                   button_text, units):
    ready_for(client, "ethnicity")
    page = get_page(client, url(address))
    (switch,) = page.find("main").find_all("button", string=button_text)
    assert (switch["name"], switch["value"]) == ("switch_units", units)
    assert not page.select(".nhsuk-hint a")
    continue_button = page.find("main").find("button", string=lambda text: "Continue" in text)
    assert continue_button.find_all_next("button")[0] is switch  # Enter still continues


@pytest.mark.parametrize(
    "address, typed, switched_to, carried",
    [
        ("height", {"height": "165"}, "height?units=imperial", {"feet": "5", "inches": "5"}),
        ("height", {"height": "5ft 4"}, "height?units=imperial", {"feet": "5", "inches": "4"}),
        ("weight", {"weight": "70"}, "weight?units=imperial", {"stones": "11", "pounds": "0"}),
        ("height?units=imperial", {"feet": "5", "inches": "4"}, "height?units=metric",
         {"height": "163"}),
        ("weight?units=imperial", {"stones": "10", "pounds": "7"}, "weight?units=metric",
         {"weight": "66.7"}),
    ],
)
def test_switching_units_keeps_what_was_typed_converted(client, address, typed, switched_to,
                                                        carried):
    measure = address.split("?")[0]
    ready_for(client, measure)
    response = submit(client, url(address), {**typed, "switch_units": switched_to.split("=")[1]})
    assert response.headers["Location"] == url(switched_to)
    page = get_page(client, url(switched_to))
    for name, value in carried.items():
        assert page.find("input", attrs={"name": name})["value"] == value
    # Switching answers nothing, and what was carried across fills the boxes once only.
    assert measure not in session_answers(client)
    again = get_page(client, url(switched_to))
    assert not any(again.find("input", attrs={"name": name}).get("value") for name in carried)


def test_feet_and_inches_carry_the_weight_page_to_stones_and_pounds(client):
    ready_for(client, "height")
    submit(client, url("height?units=imperial"), {"feet": "5", "inches": "4"})
    page = get_page(client, url("weight"))
    assert page.find("input", attrs={"name": "stones"}) is not None
    assert page.find("button", string="Enter your weight in kilograms instead") is not None


# Feet and inches, stones and pounds, typed into the metric box -----------------------------
@pytest.mark.parametrize("typed", ["5ft 4", "5'4\"", "5 feet 4 inches", "5 ft 4 in", "5' 4''"])
def test_feet_and_inches_typed_in_the_centimetres_box_are_understood(client, typed):
    ready_for(client, "height")
    response = submit(client, url("height"), {"height": typed})
    assert response.headers["Location"] == url("weight")
    height = session_answers(client)["height"]
    assert height["cm"] == pytest.approx(162.56)
    assert (height["feet"], height["inches"]) == (5, 4)


@pytest.mark.parametrize("typed", ["10st 7", "10 st 7 lb", "10 stone 7 pounds", "10st7lbs"])
def test_stones_and_pounds_typed_in_the_kilograms_box_are_understood(client, typed):
    ready_for(client, "weight")
    response = submit(client, url("weight"), {"weight": typed})
    assert response.headers["Location"] == url("ethnicity")
    weight = session_answers(client)["weight"]
    assert round(weight["kg"], 2) == 66.68
    assert (weight["stones"], weight["pounds"]) == (10, 7)


@pytest.mark.parametrize(
    "address, typed, kept",
    [("weight", "160lb", {"stones": 11, "pounds": 6.0}),
     ("weight", "150 pounds", {"stones": 10, "pounds": 10.0}),
     ("height", "64 inches", {"feet": 5, "inches": 4.0}),
     ("height", "64in", {"feet": 5, "inches": 4.0})],
)
def test_pounds_or_inches_alone_typed_in_the_box_are_understood(client, address, typed, kept):
    ready_for(client, address)
    assert submit(client, url(address), {address: typed}).status_code == 302
    answer = session_answers(client)[address]
    assert {part: answer[part] for part in kept} == kept


@pytest.mark.parametrize(
    "address, data, kept",
    [("weight?units=imperial", {"stones": "0", "pounds": "150"}, {"stones": 10, "pounds": 10.0}),
     ("weight?units=imperial", {"stones": "", "pounds": "160"}, {"stones": 11, "pounds": 6.0}),
     ("height?units=imperial", {"feet": "", "inches": "64"}, {"feet": 5, "inches": 4.0})],
)
def test_pounds_or_inches_alone_on_the_imperial_page_are_understood(client, address, data,
                                                                    kept):
    measure = address.split("?")[0]
    ready_for(client, measure)
    assert submit(client, url(address), data).status_code == 302
    answer = session_answers(client)[measure]
    assert {part: answer[part] for part in kept} == kept


def test_check_your_answers_shows_how_a_typed_height_was_understood(client):
    give_answers(client, complete_answers())
    submit(client, url("height"), {"height": "5ft 4"})
    page = get_page(client, url("check-your-answers"))
    change = page.find("a", href=url("height"))
    assert "5 feet 4 inches (162.6 cm)" in change.find_parent("div").get_text()
    again = get_page(client, url("height"))
    assert again.find("input", attrs={"name": "feet"})["value"] == "5"


@pytest.mark.parametrize(
    "address, typed, kept",
    [("height", "165 cm", {"cm": 165.0}), ("height", "1.65m", {"cm": 165.0}),
     ("weight", "70kg", {"kg": 70.0}), ("weight", "70 kilos", {"kg": 70.0})],
)
def test_metric_units_typed_after_the_number_are_understood(client, address, typed, kept):
    ready_for(client, address)
    response = submit(client, url(address), {address: typed})
    assert response.status_code == 302
    assert session_answers(client)[address] == kept


@pytest.mark.parametrize(
    "address, typed, message",
    [
        ("height", "5 4",
         "It looks like you entered feet and inches. Use the feet and inches boxes instead"),
        ("height", "5.4", "Height must be between 120 cm and 230 cm. If you entered feet and "
         "inches, use the feet and inches boxes instead"),
        ("weight", "10 7",
         "It looks like you entered stones and pounds. Use the stones and pounds boxes instead"),
        ("weight", "11", "Weight must be between 30 kg and 250 kg. If you entered stones and "
         "pounds, use the stones and pounds boxes instead"),
    ],
)
def test_what_looks_imperial_but_is_not_certain_is_questioned_with_a_link(client, address,
                                                                         typed, message):
    ready_for(client, "ethnicity")
    page = post_form(client, url(address), {address: typed})
    assert error_messages(page) == [message]
    at_the_box = page.select_one(".nhsuk-error-message")
    assert " ".join(at_the_box.get_text().split()) == f"Error: {message}"
    link = at_the_box.find("a")
    assert link["href"] == f"/check/{address}?units=imperial"
    assert message.lower().endswith(link.get_text().lower())
    assert address not in session_answers(client) or session_answers(client)[address] != typed


@pytest.mark.parametrize(
    "address, typed, message",
    [
        ("height", "5ft 12", "Inches must be less than 12"),
        ("height", "8ft", "Height must be between 4 feet and 7 feet 6 inches"),
        ("weight", "10st 14", "Pounds must be less than 14"),
        ("weight", "45 stone", "Weight must be between 5 stone and 39 stone"),
    ],
)
def test_typed_imperial_answers_are_checked_like_the_imperial_page(client, address, typed,
                                                                  message):
    ready_for(client, "ethnicity")
    assert error_messages(post_form(client, url(address), {address: typed})) == [message]


def test_a_typed_imperial_height_is_checked_against_the_weight(client):
    give_answers(client, complete_answers(weight={"kg": 30.0}))
    (message,) = error_messages(post_form(client, url("height"), {"height": "7ft 6"}))
    assert message.startswith("Check your height. With the weight you gave")


# Date of birth -----------------------------------------------------------------------------
@time_machine.travel(datetime(2025, 3, 14, 12, 0), tick=False)
def test_age_from_date_of_birth_keeps_the_age_and_forgets_the_date(client):
    page = get_page(client, url("age"))
    link = page.find("a", string="I'd rather give my date of birth")
    assert link["href"] == url("date-of-birth")
    dob_page = get_page(client, link["href"])
    assert dob_page.find("input", attrs={"name": "year"})["autocomplete"] == "bday-year"
    response = submit(client, link["href"], {"day": "15", "month": "3", "year": "1958"})
    assert response.headers["Location"] == url("sex")
    answers = session_answers(client)
    assert answers == {"age": {"years": 66, "from_date_of_birth": True}}
    with client.session_transaction() as session:
        assert "1958" not in repr(dict(session))


@time_machine.travel(datetime(2025, 3, 14, 12, 0), tick=False)
@pytest.mark.parametrize(
    "data, message",
    [
        ({"day": "", "month": "", "year": ""}, "Enter your date of birth"),
        ({"day": "15", "month": "", "year": "1958"}, "Date of birth must include a month"),
        ({"day": "31", "month": "2", "year": "1958"}, "Date of birth must be a real date"),
        ({"day": "1", "month": "13", "year": "1958"}, "Date of birth must be a real date"),
        ({"day": "1", "month": "1", "year": "58"}, "Year must include 4 numbers, like 1958"),
        ({"day": "1", "month": "1", "year": "2026"}, "Date of birth must be in the past"),
        ({"day": "1", "month": "1", "year": "2020"},
         "Check your date of birth. This check is for people aged 50 and over"),
        ({"day": "1", "month": "1", "year": "1900"},
         "Check your date of birth. Age must be 120 or under"),
    ],
)
def test_date_of_birth_errors(client, data, message):
    assert error_messages(post_form(client, url("date-of-birth"), data)) == [message]


@time_machine.travel(datetime(2025, 3, 14, 12, 0), tick=False)
@pytest.mark.parametrize("month", ["March", "mar", "MAR.", " march "])
def test_a_month_may_be_written_as_its_name(client, month):
    response = submit(client, url("date-of-birth"), {"day": "15", "month": month, "year": "1958"})
    assert response.headers["Location"] == url("sex")
    assert session_answers(client)["age"]["years"] == 66


@time_machine.travel(datetime(2025, 3, 14, 12, 0), tick=False)
@pytest.mark.parametrize(
    "data, outlined, message",
    [
        ({"day": "", "month": "", "year": "1958"}, {"day", "month"},
         "Date of birth must include a day and month"),
        ({"day": "32", "month": "13", "year": "1958"}, {"day", "month"},
         "Date of birth must be a real date"),
        ({"day": "31", "month": "Feb", "year": "1958"}, {"day", "month"},
         "Date of birth must be a real date"),
        ({"day": "15", "month": "Marchember", "year": "58"}, {"month", "year"},
         "Date of birth must be a real date"),
    ],
)
def test_every_box_at_fault_is_outlined_under_one_message(client, data, outlined, message):
    page = post_form(client, url("date-of-birth"), data)
    assert error_messages(page) == [message]
    marked = {box["name"] for box in page.select("input.nhsuk-input--error")}
    assert marked == outlined


# Choices that depend on sex ------------------------------------------------------------------
def _choices(page, name):
    return [box["value"] for box in page.find_all("input", attrs={"name": name})]


def test_a_man_is_never_asked_about_hrt_and_a_woman_never_about_care_homes(client):
    ready_for(client, "medicines", sex="male")
    assert _choices(get_page(client, url("medicines")), "medicines") == [
        "antidepressants", "care_home", "none"
    ]
    ready_for(client, "medicines", sex="female")
    assert _choices(get_page(client, url("medicines")), "medicines") == [
        "antidepressants", "oestrogen_only_hrt", "none"
    ]


def test_other_risk_factors_offered_follow_sex(client):
    ready_for(client, "other_risk_factors", sex="male")
    assert _choices(get_page(client, url("other-risk-factors")), "other_risk_factors") == [
        "height_loss", "androgen_deprivation_therapy", "none"
    ]
    ready_for(client, "other_risk_factors", sex="female")
    assert "premature_menopause" in _choices(
        get_page(client, url("other-risk-factors")), "other_risk_factors"
    )


def test_endocrine_problems_are_asked_of_women_only(client):
    ready_for(client, "conditions", sex="male")
    assert "endocrine_problems" not in _choices(get_page(client, url("conditions")), "conditions")
    ready_for(client, "conditions", sex="female")
    assert "endocrine_problems" in _choices(get_page(client, url("conditions")), "conditions")


def test_a_man_posting_the_hrt_choice_is_refused(client):
    ready_for(client, "medicines", sex="male")
    page = post_form(client, url("medicines"), {"medicines": "oestrogen_only_hrt"})
    assert error_messages(page) == [EMPTY_ANSWER_ERRORS["medicines"]]


def test_none_of_these_and_a_condition_together_is_an_error(client):
    ready_for(client, "conditions")
    page = post_form(client, url("conditions"), {"conditions": ["none", "cancer"]})
    assert error_messages(page) == [
        "Select the conditions you have, or 'None of these', not both"
    ]


def test_none_of_these_is_an_exclusive_checkbox(client):
    ready_for(client, "conditions")
    page = get_page(client, url("conditions"))
    none = page.find("input", attrs={"value": "none"})
    assert none["data-behaviour"] == "exclusive"


def test_under_50_the_broken_bones_question_asks_about_any_age(client):
    ready_for(client, "broken_bones", age=45)
    with client.session_transaction() as session:
        session["check"] = {**session["check"], "continue_under_50": True}
    page = get_page(client, url("broken-bones"))
    assert page.h1.get_text(strip=True) == (
        "Have you ever broken a bone in your wrist, spine, hip or shoulder?"
    )


def test_a_post_without_the_csrf_token_gets_the_400_page(client):
    response = client.post(url("age"), data={"age": "67"})
    assert response.status_code == 400
    assert session_answers(client) == {}


def test_the_start_page_asks_people_to_have_ready_only_what_the_questions_use(client):
    """Height and weight, and the medicines the questions name; not every medicine they take."""
    text = " ".join(get_page(client, "/").find("main").get_text(" ").split())
    assert "You will need to know your height and weight." in text
    assert "steroid tablets, antidepressants or hormone treatments" in text
    assert "names of any medicines" not in text
    # ...because the medicines question does ask about those.
    asked = " ".join(choice.label for choice in MEDICINE_CHOICES)
    assert "antidepressants" in asked and "HRT" in asked


def test_the_steroid_question_names_the_steroid_tablets_people_take(client):
    ready_for(client, "steroids")
    hint = " ".join(get_page(client, url("steroids")).select_one(".nhsuk-hint").get_text().split())
    assert "prednisolone" in hint and "dexamethasone" in hint
    assert "inhalers, creams and injections do not count" in hint
