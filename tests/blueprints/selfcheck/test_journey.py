"""Whole journeys through the self-check, the age pages, the result and the GP summary."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.blueprints.selfcheck.journey import (
    answer_every_question,
    complete_answers,
    confirm_answers,
    give_answers,
    see_result,
    url,
)
from tests.pages import csrf_token, get_page, submit
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.models import CompletedCheckCount
from webapp.risk import RiskProfile, estimate_fracture_risk
from webapp.selfcheck import advice
from webapp.selfcheck.counting import week_starting
from webapp.selfcheck.result import people_in_100

DISCLAIMER = (
    Path(__file__).resolve().parents[3] / "webapp/templates/partials/qfracture_disclaimer.html"
)


def _text(page) -> str:
    return " ".join(page.find("main").get_text(" ").split())


def test_a_woman_of_65_gets_the_engines_risks_in_words(client):
    page = see_result(client)
    expected = estimate_fracture_risk(
        RiskProfile(sex="female", age=65, bmi=68 / 1.65**2, ethnicity=1, smoking=0, alcohol=0)
    )
    text = _text(page)
    major = people_in_100(expected.major_osteoporotic_percent)
    hip = people_in_100(expected.hip_percent)
    assert f"{major.capitalize()} people like you will break one of these bones" in text
    assert f"{hip.capitalize()} people like you will break a hip" in text
    assert "A break of the hip, spine, wrist or shoulder bone (major osteoporotic fracture)" in text
    assert advice.REASON_WOMAN_65_OR_OVER in text
    assert advice.NOT_A_DIAGNOSIS in text
    assert "QFracture-2012" in text


def test_both_icon_arrays_are_images_with_a_text_alternative(client):
    page = see_result(client)
    pictures = page.select("main svg[role=img]")
    assert len(pictures) == 2
    for picture in pictures:
        title = page.find(id=picture["aria-labelledby"])
        assert title.get_text().startswith("A picture of 100 people.")
        assert len(picture.select("g")) == 100
    assert "style=" not in str(page)


def test_check_your_answers_lists_every_answer_and_change_comes_back(client):
    answer_every_question(client)
    page = get_page(client, url("check-your-answers"))
    rows = {
        " ".join(row.dt.get_text().split()): " ".join(row.dd.get_text().split())
        for row in page.select(".nhsuk-summary-list__row")
    }
    assert rows["Age"] == "65" and rows["Sex"] == "Female" and rows["Height"] == "165 cm"
    assert rows["Conditions"] == "None of these"
    change = page.find("a", href=url("falls"))
    assert "falls" in change.get_text().lower()
    question = get_page(client, change["href"])
    assert question.select_one("a.nhsuk-back-link")["href"] == url("check-your-answers")
    response = submit(client, change["href"], {"falls": "yes"})
    assert response.headers["Location"] == url("check-your-answers")
    page = get_page(client, url("check-your-answers"))
    assert "Yes" in page.find("a", href=url("falls")).find_parent("div").get_text()


def test_changing_sex_asks_only_the_pages_with_new_choices_then_returns(client):
    """The woman's 'None of these' for conditions still holds for a man; medicines and other
    risk factors now offer choices she was not shown, so those two are asked again, each
    saying why, with her ticks kept."""
    answer_every_question(client)
    response = submit(client, url("sex"), {"sex": "male"})
    assert response.headers["Location"] == url("medicines")
    page = get_page(client, url("medicines"))
    assert "You changed your answer about your sex" in page.select_one(".nhsuk-inset-text").text
    assert page.find("input", attrs={"name": "medicines", "value": "none"}).has_attr("checked")
    for page, data in [("medicines", {"medicines": "care_home"}),
                       ("other-risk-factors", {"other_risk_factors": "none"})]:
        response = submit(client, url(page), data)
    assert response.headers["Location"] == url("check-your-answers")


def test_changing_age_to_49_and_back_keeps_every_answer(client):
    answer_every_question(client, age={"age": "74"}, broken_bones={"broken_bones": "yes"})
    assert submit(client, url("age"), {"age": "49"}).headers["Location"] == url("under-50")
    submit(client, url("age"), {"age": "74"})
    page = get_page(client, url("check-your-answers"))
    assert "Yes" in page.find("a", href=url("broken-bones")).find_parent("div").get_text()


def test_the_result_needs_the_answers_confirmed_again_after_a_change(client):
    see_result(client)
    submit(client, url("falls"), {"falls": "yes"})
    assert client.get(url("result")).headers["Location"] == url("check-your-answers")


def test_imperial_answers_give_the_same_result_as_metric(client):
    answer_every_question(client)
    submit(client, "/check/height?units=imperial", {"feet": "5", "inches": "4"})
    submit(client, "/check/weight?units=imperial", {"stones": "10", "pounds": "7"})
    confirm_answers(client)
    page = get_page(client, url("result"))
    bmi = 66.68 / 1.6256**2
    expected = estimate_fracture_risk(
        RiskProfile(sex="female", age=65, bmi=bmi, ethnicity=1, smoking=0, alcohol=0)
    )
    assert people_in_100(expected.major_osteoporotic_percent).capitalize() in _text(page)
    answers_page = get_page(client, url("check-your-answers"))
    assert "5 feet 4 inches (162.6 cm)" in _text(answers_page)
    assert "10 stone 7 pounds (66.7 kg)" in _text(answers_page)


def test_a_low_bmi_is_estimated_at_20_and_said_so(client):
    page = see_result(client, weight={"weight": "48"})
    text = _text(page)
    assert "Your BMI is below 20; the estimate uses 20" in text
    assert advice.LOW_BMI_IS_A_RISK_FACTOR in text
    assert advice.REASON_LOW_BMI in text


def test_a_broken_bone_after_50_leads_the_result(client):
    page = see_result(client, broken_bones={"broken_bones": "yes"})
    first = page.find("main").find("h1").find_next(["div", "p", "h2"])
    text = " ".join(first.get_text(" ").split())
    assert "nhsuk-card--warning" in first["class"]
    assert advice.BROKEN_BONE_LEAD in text
    assert advice.BROKEN_BONE_ACTION in text
    assert advice.FLS_WHAT_IT_IS in text


# What to do next, before the numbers ---------------------------------------------------------
def _at_a_glance(page):
    return page.select_one("main .bonecheck-at-a-glance")


def _comes_before(page, first, second) -> bool:
    """True when `first` starts earlier in the page than `second`."""
    elements = list(page.find("main").descendants)
    return elements.index(first) < elements.index(second)


def test_the_result_opens_with_whether_to_ask_the_gp_and_every_reason(client):
    """What to do next, and why, comes first, and is the only place the reasons are listed."""
    page = see_result(client, falls={"falls": "yes"})
    card = _at_a_glance(page)
    risks = page.find("h2", string="Your chance of breaking a bone in the next 10 years")
    assert _comes_before(page, card, risks)
    assert card.find(["h2", "h3"]).get_text(strip=True) == "What to do next"
    assert advice.ASK_GP_BECAUSE in " ".join(card.get_text(" ").split())
    assert [li.get_text(strip=True) for li in card.find_all("li")] == [
        advice.REASON_WOMAN_65_OR_OVER, advice.REASON_FALLS
    ]
    assert _text(page).count(advice.ASK_GP_BECAUSE) == 1


def test_with_no_reason_to_ask_the_result_opens_by_saying_so(client):
    page = see_result(client, age={"age": "60"}, sex={"sex": "male"})
    text = " ".join(_at_a_glance(page).get_text(" ").split())
    assert advice.NO_REASON_FOUND in text
    assert _text(page).count(advice.NO_REASON_FOUND) == 1
    assert "Ask your GP for a fracture risk assessment" not in _text(page)


def test_after_a_broken_bone_what_to_do_next_is_the_callout_with_the_other_reasons(client):
    page = see_result(client, broken_bones={"broken_bones": "yes"}, falls={"falls": "yes"})
    callout = page.select_one("main .nhsuk-card--warning")
    assert callout is _at_a_glance(page)
    assert len(page.select("main .nhsuk-card")) == 1
    text = " ".join(callout.get_text(" ").split())
    assert advice.ALSO_ASK_BECAUSE in text
    assert [li.get_text(strip=True) for li in callout.find_all("li")] == [
        advice.REASON_WOMAN_65_OR_OVER, advice.REASON_FALLS
    ]
    assert advice.REASON_PREVIOUS_FRACTURE not in _text(page)


def test_the_printable_summary_is_linked_straight_after_the_two_risks(client):
    page = see_result(client)
    hip_heading = page.find("h3", string="A hip fracture")
    next_link = hip_heading.find_next("a")
    assert next_link["href"] == url("summary")
    assert "print or show your GP" in next_link.get_text()
    assert _comes_before(page, next_link, page.find("h2", string="What changed your numbers"))


def test_about_these_numbers_is_folded_away_with_plain_words_then_the_disclaimer(client):
    page = see_result(client)
    folded = page.select_one("main details")
    assert folded.summary.get_text(strip=True) == "About these numbers"
    paragraphs = folded.select(".nhsuk-details__text p")
    assert paragraphs[0].get_text() == advice.ABOUT_THE_NUMBERS
    disclaimer = BeautifulSoup(DISCLAIMER.read_text(encoding="utf-8"), "html.parser")
    assert " ".join(paragraphs[1].get_text().split()) == " ".join(disclaimer.get_text().split())


def test_a_result_with_no_yes_answers_says_none_changed_the_numbers(client):
    page = see_result(client)
    assert "None of your answers about broken bones" in _text(page)
    assert page.find("h3", string="Answers that raise your risk") is None


def test_an_icon_array_with_no_one_coloured_in_says_so_and_the_key_says_why(client):
    page = see_result(client, age={"age": "60"}, sex={"sex": "male"})
    hip = page.select_one("svg[aria-labelledby=hip-title]")
    assert not hip.select(".affected")
    assert hip.find_next("p").get_text(strip=True) == "No one coloured in."
    key = " ".join(page.select_one("main ul.bonecheck-icon-key").get_text(" ").split())
    assert ("Numbers are rounded to the nearest whole person: below 0.5 in 100 colours in "
            "no one") in key


def test_both_pictures_keep_the_rounding_rule_and_share_one_key(client):
    """0.5 and over rounds up to one person, below it to none: one rule, said once in the key."""
    page = see_result(client)
    for heading, picture in (("A break of the hip, spine, wrist or shoulder bone (major "
                              "osteoporotic fracture)", "major-osteoporotic"),
                             ("A hip fracture", "hip")):
        words = page.find("h3", string=heading).find_next("p").strong.get_text()
        svg = page.select_one(f"svg[aria-labelledby={picture}-title]")
        coloured = len(svg.select(".affected"))
        tenths = float(words.split()[1])
        assert coloured == int(tenths + 0.5)
        who = "No one" if coloured == 0 else f"{coloured} {'person' if coloured == 1 else 'people'}"
        assert svg.find_next("p").get_text(strip=True) == f"{who} coloured in."
    keys = page.select("main ul.bonecheck-icon-key")
    assert len(keys) == 1
    assert _comes_before(page, page.select_one("svg[aria-labelledby=hip-title]"), keys[0])
    assert _text(page).count("Each figure is 1 person") == 1


def test_the_result_lists_only_what_the_womans_equations_use(client):
    page = see_result(
        client,
        parent_hip_fracture={"parent_hip_fracture": "yes"},
        conditions={"conditions": "malabsorption"},
        medicines={"medicines": "oestrogen_only_hrt"},
    )
    text = _text(page)
    assert ("A parent who had a hip fracture or osteoporosis: raises your risk of a major "
            "osteoporotic fracture; it is not part of the hip fracture number") in text
    assert ("A condition that stops your gut absorbing food properly: raises your risk of a "
            "major osteoporotic fracture; it is not part of the hip fracture number") in text
    assert "Answers that lower your risk Oestrogen-only HRT: lowers both numbers" in text


def test_a_man_is_not_asked_about_hrt_and_his_care_home_answer_counts(client):
    page = see_result(client, sex={"sex": "male"}, medicines={"medicines": "care_home"})
    text = _text(page)
    assert "HRT" not in text
    assert "Living in a nursing home or care home: raises both numbers" in text


def test_other_risk_factors_are_reasons_but_not_in_the_numbers(client):
    page = see_result(client, other_risk_factors={"other_risk_factors": "height_loss"})
    text = _text(page)
    assert advice.REASON_HEIGHT_LOSS in text
    assert advice.NOT_IN_THE_NUMBERS in text
    assert page.find("h3", string="Answers that raise your risk") is None


# Age pages -----------------------------------------------------------------------------------
def test_under_50_explains_nice_and_offers_to_carry_on_from_30(client):
    response = submit(client, url("age"), {"age": "45"})
    assert response.headers["Location"] == url("under-50")
    page = get_page(client, url("under-50"))
    text = _text(page)
    assert advice.UNDER_50_NICE in text and advice.UNDER_50_MAY_CONTINUE in text
    assert client.get(url("sex")).headers["Location"] == url("under-50")
    response = submit(client, url("under-50"), {})
    assert response.headers["Location"] == url("sex")


def test_a_person_of_45_who_carries_on_gets_a_result_with_a_note(client):
    submit(client, url("age"), {"age": "45"})
    submit(client, url("under-50"), {})
    give_answers(client, {**complete_answers(age=45), "continue_under_50": True})
    confirm_answers(client)
    page = get_page(client, url("result"))
    assert advice.UNDER_50_RESULT_NOTE in _text(page)
    assert "A broken bone after 50" not in _text(page)


def test_under_30_the_check_cannot_estimate(client):
    submit(client, url("age"), {"age": "25"})
    page = get_page(client, url("under-50"))
    assert advice.UNDER_30_NO_ESTIMATE in _text(page)
    assert page.find("button", string=re.compile("Continue")) is None
    token_page = get_page(client, url("age"))
    token = token_page.find("input", attrs={"name": "csrf_token"})["value"]
    client.post(url("under-50"), data={"csrf_token": token})
    assert client.get(url("sex")).headers["Location"] == url("under-50")


def test_over_100_is_told_nice_considers_them_high_risk(client):
    response = submit(client, url("age"), {"age": "101"})
    assert response.headers["Location"] == url("over-100")
    page = get_page(client, url("over-100"))
    assert advice.OVER_100_HIGH_RISK in _text(page)
    assert client.get(url("sex")).headers["Location"] == url("over-100")
    assert client.get(url("result")).headers["Location"] == url("over-100")


@pytest.mark.parametrize("age, page", [("47", "under-50"), ("25", "under-50"),
                                       ("107", "over-100")])
def test_the_age_pages_say_the_age_given_first_with_a_way_to_change_it(client, age, page):
    submit(client, url("age"), {"age": age})
    shown = get_page(client, url(page))
    first = shown.find("main").find("h1").find_next("p")
    assert " ".join(first.get_text().split()) == (
        f"You said you are {age}. Change your age if that is not right."
    )
    assert first.find("a")["href"] == url("age")


def test_the_age_pages_send_people_of_other_ages_on(client):
    assert client.get(url("over-100")).headers["Location"] == url("age")
    submit(client, url("age"), {"age": "67"})
    assert client.get(url("under-50")).headers["Location"] == url("sex")
    assert client.get(url("over-100")).headers["Location"] == url("sex")


def test_over_80_the_result_asks_for_caution(client):
    page = see_result(client, age={"age": "85"})
    assert advice.OVER_80_CAUTION in _text(page)


# The summary and starting again ----------------------------------------------------------------
def test_the_gp_summary_has_answers_risks_reasons_date_and_disclaimer(client):
    see_result(client)
    page = get_page(client, url("summary"))
    text = _text(page)
    assert f"Completed on {uk_today().day} {uk_today():%B %Y}" in text
    assert "Age 65" in text and advice.REASON_WOMAN_65_OR_OVER in text
    assert "people like you will break a hip" in text
    assert "It is the responsibility of anyone using it" in text
    button = page.find("button", attrs={"data-bonecheck-print": True})
    assert button.has_attr("hidden")
    assert page.find("script", src="/static/js/print-page.mjs")
    assert "style=" not in str(page) and "onclick" not in str(page)


def test_the_gp_summary_gives_the_clinician_the_exact_figures_bmi_and_model(client):
    see_result(client)
    page = get_page(client, url("summary"))
    expected = estimate_fracture_risk(
        RiskProfile(sex="female", age=65, bmi=68 / 1.65**2, ethnicity=1, smoking=0, alcohol=0)
    )
    rows = {row.dt.get_text(strip=True): " ".join(row.dd.get_text().split())
            for row in page.select(".bonecheck-for-clinician .nhsuk-summary-list__row")}
    assert rows["Major osteoporotic fracture, 10 years"] == (
        f"{expected.major_osteoporotic_percent:.1f}%")
    assert rows["Hip fracture, 10 years"] == f"{expected.hip_percent:.1f}%"
    assert rows["Body mass index (BMI)"].startswith(f"{68 / 1.65**2:.1f}, from the height")
    assert rows["Risk equations"] == advice.MODEL_FOR_CLINICIAN
    assert "a later version of QFracture" in rows["Risk equations"]
    assert rows["Date"] == f"{uk_today().day} {uk_today():%B %Y}"


def test_the_printed_summary_writes_out_the_support_group_finders_address(client):
    see_result(client)
    page = get_page(client, url("summary"))
    on_paper = page.select_one("p.bonecheck-print-only")
    assert on_paper.find("a") is None
    assert on_paper.strong.get_text() == "localhost/groups/"
    finder = get_page(client, "http://" + on_paper.strong.get_text())
    assert finder.h1.get_text(strip=True)


def test_the_summary_needs_a_confirmed_result(client):
    give_answers(client, complete_answers())
    assert client.get(url("summary")).headers["Location"] == url("check-your-answers")


def test_start_again_forgets_every_answer(client):
    see_result(client)
    result_page = get_page(client, url("result"))
    form = result_page.find("form", action=url("start-again"))
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(url("start-again"), data={"csrf_token": token})
    assert response.headers["Location"] == url("age")
    assert client.get(url("result")).headers["Location"] == url("ended")


# The anonymous count ---------------------------------------------------------------------------
def _counts():
    rows = db.session.execute(db.select(CompletedCheckCount)).scalars().all()
    return [(row.week_starting, row.sex, row.age_band, row.risk_band, row.completed)
            for row in rows]


def test_a_completed_check_is_counted_once_however_often_it_is_shown(client, database):
    see_result(client)
    get_page(client, url("result"))
    get_page(client, url("summary"))
    confirm_answers(client)
    assert _counts() == [(week_starting(uk_today()), "female", "60-69", "MOF under 10%", 1)]


def test_a_changed_set_of_answers_is_a_new_completed_check(client, database):
    see_result(client)
    submit(client, url("age"), {"age": "72"})
    confirm_answers(client)
    assert sorted(_counts()) == [
        (week_starting(uk_today()), "female", "60-69", "MOF under 10%", 1),
        (week_starting(uk_today()), "female", "70-79", "MOF under 10%", 1),
    ]


def test_answers_are_never_written_to_the_database(client, database):
    see_result(client, falls={"falls": "yes"})
    tables = db.metadata.sorted_tables
    written = {table.name for table in tables
               if db.session.execute(db.select(db.func.count()).select_from(table)).scalar()}
    assert written == {"completed_check_count"}


def test_the_result_is_shown_even_if_the_count_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        from sqlalchemy.exc import OperationalError

        raise OperationalError("INSERT", {}, Exception("database is down"))

    monkeypatch.setattr("webapp.blueprints.selfcheck.views.record_completed_check", broken)
    page = see_result(client)
    assert "people like you" in _text(page)


@pytest.mark.parametrize("page", ["check-your-answers", "result", "summary", "falls"])
def test_with_no_answers_left_a_page_of_the_check_says_they_were_deleted(client, page):
    """The answers live 30 minutes: a result link opened later says so, not a silent restart."""
    assert client.get(url(page)).headers["Location"] == url("ended")
    ended = get_page(client, url("ended"))
    assert ended.h1.get_text(strip=True) == "Your answers have been deleted"
    assert "not used this check for 30 minutes" in _text(ended)
    start = ended.select_one("a.nhsuk-action-link")
    assert "Start the check again" in start.get_text() and start["href"] == "/check/"


def test_an_answer_sent_after_the_answers_were_deleted_says_so(client):
    """The form's token died with the session: say what happened, not 'we could not do that'."""
    answer_every_question(client)
    token = csrf_token(client, url("falls"))
    with client.session_transaction() as session:
        session.clear()
    response = client.post(url("falls"), data={"csrf_token": token, "falls": "yes"})
    assert response.status_code == 400
    assert "Your answers have been deleted" in response.get_data(as_text=True)


def test_keeping_answers_that_are_already_gone_says_so(client):
    token = csrf_token(client, url("age"))
    assert client.post(url("keep-alive"), data={"csrf_token": token}).status_code == 410


def _things_to_do(page) -> list[str]:
    """The advice in each item of "Things you can do now", without its read-more link."""
    heading = page.find("h2", string="Things you can do now")
    return [" ".join(item.p.get_text().split()) for item in heading.find_next("ul").find_all("li")]


def test_what_you_can_do_now_leaves_out_falls_smoking_and_drinking_when_they_do_not_apply(client):
    """The woman of 65 has not fallen, never smoked and does not drink."""
    things = _things_to_do(see_result(client))
    assert things == [advice.DO_EXERCISE, advice.DO_CALCIUM, advice.DO_VITAMIN_D]


def test_what_you_can_do_now_gives_the_falls_smoking_and_drinking_advice_that_applies(client):
    page = see_result(client, falls={"falls": "yes"}, smoking={"smoking": "3"},
                      alcohol={"alcohol": "4"})
    assert _things_to_do(page) == [advice.DO_EXERCISE, advice.DO_FALLS, advice.DO_CALCIUM,
                                   advice.DO_VITAMIN_D, advice.DO_SMOKING, advice.DO_ALCOHOL]


def test_someone_who_used_to_smoke_and_drinks_a_little_gets_no_advice_to_stop(client):
    page = see_result(client, smoking={"smoking": "1"}, alcohol={"alcohol": "1"})
    things = _things_to_do(page)
    assert advice.DO_SMOKING not in things and advice.DO_ALCOHOL not in things
