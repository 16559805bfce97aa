"""What is drawn once is drawn as the macro would draw it, once for each set of arguments;
imports made cheap import the same things; fixed addresses are url_for's."""

import pytest
from flask import url_for
from markupsafe import Markup

from webapp import rendering

FOOTER = ("nhsuk/components/footer/macro.jinja", "footer")

# Each component the result page draws once, with the parameters it draws it with,
# and whether it wraps a {% call %} body.
RESULT_PAGE_COMPONENTS = [
    ("back-link", "backLink", {"href": "/check/check-your-answers", "text": "Back to your answers"},
     False),
    ("warning-callout", "warningCallout",
     {"heading": "What to do next", "headingLevel": 2, "classes": "bonecheck-at-a-glance"}, True),
    ("warning-callout", "warningCallout",
     {"heading": "A broken bone", "html": Markup("<p>One.</p>\n      <p>Two &amp; three.</p>")},
     False),
    ("inset-text", "insetText", {"text": "This is not a diagnosis & not advice."}, False),
    ("card", "card", {"heading": "What to do next", "headingLevel": 2, "feature": True,
                      "classes": "bonecheck-at-a-glance"}, True),
    ("action-link", "actionLink", {"text": "See a summary", "href": "/check/summary"}, False),
    ("details", "details", {"summaryText": "About these numbers",
                            "classes": "bonecheck-open-in-print"}, True),
    ("button", "button", {"text": "Start a new check", "classes": "nhsuk-button--secondary"},
     False),
]  # fmt: skip


def _render(app, source: str, **context) -> str:
    return app.jinja_env.from_string(source).render(**context)


def test_the_kept_html_is_what_the_macro_draws(app):
    params = {"copyright": "© BoneCheck",
              "meta": {"items": [{"href": "/cookies", "text": "Cookies"}]}}  # fmt: skip
    with app.test_request_context():
        kept = rendering.drawn_once(*FOOTER, params)
        module = app.jinja_env.get_template(FOOTER[0]).module
        assert isinstance(kept, Markup)
        assert kept == Markup(module.footer(params))
        assert 'href="/cookies"' in kept


def test_each_set_of_arguments_is_drawn_once(app, monkeypatch):
    drawn = []
    draw = rendering._draw
    monkeypatch.setattr(rendering, "_draw", lambda *args: drawn.append(args) or draw(*args))
    with app.test_request_context():
        first = rendering.drawn_once(*FOOTER, {"copyright": "A"})
        again = rendering.drawn_once(*FOOTER, {"copyright": "A"})
        other = rendering.drawn_once(*FOOTER, {"copyright": "B"})
    assert len(drawn) == 2
    assert first == again and other != first


def test_text_in_the_arguments_is_escaped(app):
    with app.test_request_context():
        kept = rendering.drawn_once(*FOOTER, {"copyright": "<script>x</script>"})
    assert "<script>x" not in kept and "&lt;script&gt;x" in kept


@pytest.mark.parametrize(("component", "macro", "params", "with_body"), RESULT_PAGE_COMPONENTS)
def test_a_kept_component_draws_what_the_design_system_draws(
    app, component, macro, params, with_body
):
    path = f"nhsuk/components/{component}/macro.jinja"
    call = ("{% call m(params) %}<p>Yours: {{ words }}</p>{% endcall %}" if with_body
            else "{{ m(params) }}")  # fmt: skip
    words = "<b>5 in 100</b>"
    with app.test_request_context():
        drawn = _render(app, f'{{% from "{path}" import {macro} as m %}}{call}',
                        params=params, words=words)  # fmt: skip
        for _ in range(2):  # drawn, then taken from what was kept
            kept = _render(app, f'{{% set m = kept_macro("{path}", "{macro}") %}}{call}',
                           params=params, words=words)  # fmt: skip
            assert kept == drawn
    if with_body:
        assert "<p>Yours: &lt;b&gt;5 in 100&lt;/b&gt;</p>" in kept


def test_the_body_of_a_call_is_drawn_every_time(app):
    source = ('{% set card = kept_macro("nhsuk/components/card/macro.jinja", "card") %}'
              '{% call card({"heading": "Yours"}) %}{{ risk }}{% endcall %}')  # fmt: skip
    with app.test_request_context():
        first = _render(app, source, risk="7 in 100")
        second = _render(app, source, risk="30 in 100")
    assert "7 in 100" in first and "7 in 100" not in second and "30 in 100" in second
    assert first.replace("7 in 100", "30 in 100") == second
    kept = app.extensions[rendering.KEPT].values()
    assert not any("in 100" in part for parts in kept for part in parts)


def test_parameters_that_are_not_plain_values_are_drawn_every_time(app):
    source = ('{% set insetText = kept_macro("nhsuk/components/inset-text/macro.jinja", '
              '"insetText") %}{{ insetText({"text": missing.words}) }}')  # fmt: skip
    with app.test_request_context():
        drawn = _render(app, source)
    assert 'class="nhsuk-inset-text"' in drawn
    assert app.extensions[rendering.KEPT] == {}


def test_a_macro_that_repeats_its_body_cannot_be_kept(app):
    app.jinja_env.loader.loaders.insert(0, _one_template(
        "twice.html", "{% macro twice(p) %}{{ caller() }}{{ caller() }}{% endmacro %}"
    ))  # fmt: skip
    source = '{% set t = kept_macro("twice.html", "twice") %}{% call t({}) %}x{% endcall %}'
    with app.test_request_context(), pytest.raises(ValueError, match="one place"):
        _render(app, source)


def test_imports_see_the_globals_of_the_template_that_imports_them(app):
    """A template given its own globals passes them to what it imports, as Jinja does."""
    app.jinja_env.loader.loaders.insert(0, _one_template(
        "shows.html", "{% macro show() %}[{{ extra }}]{% endmacro %}"
    ))  # fmt: skip
    source = '{% from "shows.html" import show %}{{ show() }}'
    with_extra = app.jinja_env.from_string(source, globals={"extra": "own"})
    assert isinstance(with_extra, rendering.KeptTemplate)
    assert with_extra.render() == "[own]"
    assert app.jinja_env.from_string(source).render() == "[]"


def test_a_template_is_imported_once_not_at_every_import(app):
    module = app.jinja_env.get_template("nhsuk/components/button/macro.jinja").module
    source = '{% import "nhsuk/components/button/macro.jinja" as m %}{{ same(m) }}'
    assert _render(app, source, same=lambda imported: imported is module) == "True"


def test_a_fixed_address_is_url_for_s_under_the_application_root(app):
    with app.test_request_context():
        expected = url_for("static", filename="x.css")
        assert rendering.fixed_url("static", filename="x.css") == expected
    with app.test_request_context(base_url="http://localhost/bonecheck"):
        assert rendering.fixed_url("static", filename="x.css") == "/bonecheck/static/x.css"
        assert rendering.fixed_url("pages.about") == "/bonecheck/about"
    with app.test_request_context(), pytest.raises(ValueError):
        rendering.fixed_url(".about")


def test_a_page_sees_its_own_values_over_its_globals_over_the_app_s(app):
    app.jinja_env.globals["shade"] = "the app's"
    source = "{{ shade }}"
    own = app.jinja_env.from_string(source, globals={"shade": "own"})
    assert own.render(shade="given") == "given"
    assert own.render() == "own"
    assert app.jinja_env.from_string(source).render() == "the app&#39;s"


def test_a_context_knows_the_names_of_its_globals(app):
    template = app.jinja_env.from_string("", globals={"own": 1})
    context = template.new_context({"given": 2})
    assert isinstance(context, rendering.KeptContext)
    assert context.globals_keys == set(template.globals) >= {"own", "url_for", "csrf_token"}
    assert context["given"] == 2 and context["own"] == 1


def test_a_flat_set_of_parameters_is_kept_apart_by_type(app):
    """True and 1, text and Markup, are different parameters, drawn apart."""
    kept = rendering.kept_macro("nhsuk/components/button/macro.jinja", "button")
    with app.test_request_context():
        plain = kept({"text": "<b>Go</b>"})
        marked = kept({"text": Markup("<b>Go</b>")})
        again = kept({"text": "<b>Go</b>"})
    assert "&lt;b&gt;Go" in plain and "<b>Go</b>" in marked and again == plain


def _one_template(name: str, source: str):
    from jinja2 import DictLoader

    return DictLoader({name: source})
