"""The check's 30-minute idle limit: restarted by any page, the cookie signed again only
when its signature is a minute old or more, and the timeout warning counting from when
the cookie was really signed."""

from datetime import UTC, datetime, timedelta

import time_machine
from bs4 import BeautifulSoup

from tests.blueprints.selfcheck.journey import answer_every_question, see_result, url
from tests.pages import csrf_token
from webapp.blueprints.selfcheck import RESIGN_AFTER_SECONDS

SIGNED = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _visit(client, page: str):
    """The page's response, whether it re-signed the cookie, and its warning's timers."""
    response = client.get(url(page))
    assert response.status_code == 200
    warning = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(
        "dialog", id="timeout-warning")
    assert warning.find("button", string="Keep my answers")
    assert (warning["data-kept-warn-after"], warning["data-kept-ends-after"]) == ("1680", "1800")
    resigned = "bonecheck_session=" in response.headers.get("Set-Cookie", "")
    return resigned, (int(warning["data-warn-after"]), int(warning["data-ends-after"]))


def test_a_page_soon_after_the_cookie_was_signed_counts_down_from_then(client):
    with time_machine.travel(SIGNED, tick=False):
        answer_every_question(client)  # the last answer signs the cookie now
        assert _visit(client, "falls") == (False, (1680, 1800))
    with time_machine.travel(SIGNED + timedelta(seconds=RESIGN_AFTER_SECONDS - 1), tick=False):
        assert _visit(client, "check-your-answers") == (False, (1621, 1741))


def test_a_page_a_minute_after_the_cookie_was_signed_signs_it_again(client):
    with time_machine.travel(SIGNED, tick=False):
        answer_every_question(client)
    later = SIGNED + timedelta(seconds=RESIGN_AFTER_SECONDS)
    with time_machine.travel(later, tick=False):
        assert _visit(client, "falls") == (True, (1680, 1800))
    # 29 minutes after that page, not after the last answer, the answers are still there.
    with time_machine.travel(later + timedelta(minutes=29), tick=False):
        assert _visit(client, "check-your-answers")[0] is True


def test_the_answers_end_30_minutes_after_the_cookie_was_last_signed(client):
    with time_machine.travel(SIGNED, tick=False):
        answer_every_question(client)
    with time_machine.travel(SIGNED + timedelta(seconds=30), tick=False):
        assert _visit(client, "falls")[0] is False
    with time_machine.travel(SIGNED + timedelta(minutes=30, seconds=1), tick=False):
        assert client.get(url("falls")).headers["Location"] == url("ended")


def test_keep_my_answers_signs_the_cookie_again_however_recently_it_was_signed(client):
    with time_machine.travel(SIGNED, tick=False):
        answer_every_question(client)
        token = csrf_token(client, url("falls"))
    kept = SIGNED + timedelta(seconds=10)
    with time_machine.travel(kept, tick=False):
        response = client.post(url("keep-alive"), data={"csrf_token": token})
        assert response.status_code == 204
        assert "bonecheck_session=" in response.headers.get("Set-Cookie", "")
    with time_machine.travel(kept + timedelta(minutes=29, seconds=59), tick=False):
        assert _visit(client, "falls")[0] is True


def test_the_result_page_soon_after_confirming_is_not_signed_again(client):
    with time_machine.travel(SIGNED, tick=False):
        see_result(client)
        response = client.get(url("result"))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
