"""Whatever is posted to a self-check page, the answer is a page or a redirect, never a 500.

Hypothesis posts random text, numbers, floats written as text, lists and extra fields to
every page that takes a POST, from an empty session, a session ready for the page, and a
complete one. A fresh client is built for every example, so no state leaks between them.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pages import csrf_token, parse_page
from tests.selfcheck.examples import answers_before, complete_answers

# Each page that takes a POST, the question whose earlier answers it needs, and its fields.
PAGES = [
    ("age", "age", ["age"]),
    ("date-of-birth", "age", ["day", "month", "year"]),
    ("sex", "sex", ["sex"]),
    ("height", "height", ["height"]),
    ("height?units=imperial", "height", ["feet", "inches"]),
    ("weight", "weight", ["weight"]),
    ("weight?units=imperial", "weight", ["stones", "pounds"]),
    ("ethnicity", "ethnicity", ["ethnicity"]),
    ("smoking", "smoking", ["smoking"]),
    ("alcohol", "alcohol", ["alcohol"]),
    ("broken-bones", "broken_bones", ["broken_bones"]),
    ("parent-hip-fracture", "parent_hip_fracture", ["parent_hip_fracture"]),
    ("falls", "falls", ["falls"]),
    ("steroids", "steroids", ["steroids"]),
    ("diabetes", "diabetes", ["diabetes"]),
    ("conditions", "conditions", ["conditions"]),
    ("medicines", "medicines", ["medicines"]),
    ("other-risk-factors", "other_risk_factors", ["other_risk_factors"]),
    ("under-50", "sex", []),
    ("check-your-answers", None, []),
    ("start-again", None, []),
]

LIKELY_VALUES = ["yes", "no", "none", "female", "male", "0", "1", "9", "type1_diabetes",
                 "cancer", "oestrogen_only_hrt", "care_home", "height_loss", "not-stated"]
values = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(LIKELY_VALUES),
    st.just("9" * 5000),
)


def _form(fields):
    names = st.sampled_from(fields) if fields else st.nothing()
    return st.dictionaries(
        st.one_of(names, st.text(min_size=1, max_size=12)),
        st.one_of(values, st.lists(values, max_size=3)),
        max_size=5,
    )


def _session_for(state: str, question: str | None) -> dict:
    if state == "empty":
        return {}
    if state == "ready" and question is not None:
        return answers_before(question)
    return complete_answers()


@pytest.mark.parametrize("page, question, fields", PAGES, ids=[page for page, _, _ in PAGES])
def test_random_posts_get_a_page_or_a_redirect(app, page, question, fields):
    @settings(
        max_examples=50,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        form=_form(fields),
        state=st.sampled_from(["empty", "ready", "complete"]),
        with_token=st.sampled_from([True, True, True, False]),
    )
    def post_anything(form, state, with_token):
        client = app.test_client()
        with client.session_transaction() as session:
            session["check"] = _session_for(state, question)
        data = dict(form)
        if with_token:
            data = {"csrf_token": csrf_token(client, "/check/age"), **form}
        response = client.post(f"/check/{page}", data=data)
        assert response.status_code in (200, 302, 303, 400), response.status_code
        if not with_token:
            assert response.status_code == 400, "a POST without a CSRF token is refused"
        if response.status_code in (200, 400):
            parse_page(response, response.status_code)

    post_anything()
