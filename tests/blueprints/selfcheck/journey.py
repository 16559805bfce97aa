"""Helpers that take a test client through the self-check as a person would."""

from tests.pages import get_page, submit
from tests.selfcheck.examples import answers_before, complete_answers

# A woman of 65, 165 cm and 68 kg, with no risk factors: each page and what she enters.
WOMAN_65 = {
    "age": {"age": "65"},
    "sex": {"sex": "female"},
    "height": {"height": "165"},
    "weight": {"weight": "68"},
    "ethnicity": {"ethnicity": "1"},
    "smoking": {"smoking": "0"},
    "alcohol": {"alcohol": "0"},
    "broken-bones": {"broken_bones": "no"},
    "parent-hip-fracture": {"parent_hip_fracture": "no"},
    "falls": {"falls": "no"},
    "steroids": {"steroids": "no"},
    "diabetes": {"diabetes": "no"},
    "conditions": {"conditions": "none"},
    "medicines": {"medicines": "none"},
    "other-risk-factors": {"other_risk_factors": "none"},
}


def url(page: str) -> str:
    return f"/check/{page}"


def answer_every_question(client, **changes) -> None:
    """Answer each page in turn, checking each answer leads on to the next page."""
    pages = list(WOMAN_65)
    for index, page in enumerate(pages):
        data = changes.get(page.replace("-", "_"), WOMAN_65[page])
        response = submit(client, url(page), data)
        assert response.status_code == 302, (page, response.status_code)
        expected = url(pages[index + 1]) if index + 1 < len(pages) else url("check-your-answers")
        assert response.headers["Location"] == expected, (page, response.headers["Location"])


def confirm_answers(client):
    """Press "See your result" on Check your answers."""
    response = submit(client, url("check-your-answers"), {})
    assert response.status_code == 302
    assert response.headers["Location"] == url("result")
    return response


def see_result(client, **changes):
    """Answer everything, confirm, and return the parsed result page."""
    answer_every_question(client, **changes)
    confirm_answers(client)
    return get_page(client, url("result"))


def give_answers(client, answers: dict) -> None:
    """Put answers straight into the session (for tests about one page, not the journey)."""
    with client.session_transaction() as session:
        session["check"] = answers


def ready_for(client, question: str, **overrides) -> None:
    """Answer every question before `question`."""
    give_answers(client, answers_before(question, **overrides))


def session_answers(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("check") or {})


__all__ = ["complete_answers", "give_answers", "ready_for", "see_result", "session_answers"]
