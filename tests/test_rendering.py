"""`drawn_once` draws a macro once for each set of arguments, and draws it as the macro would."""

from markupsafe import Markup

from webapp import rendering

FOOTER = ("nhsuk/components/footer/macro.jinja", "footer")


def test_the_kept_html_is_what_the_macro_draws(app):
    params = {"copyright": "© BoneCheck",
              "meta": {"items": [{"href": "/cookies", "text": "Cookies"}]}}  # fmt: skip
    with app.test_request_context():
        kept = rendering.drawn_once(*FOOTER, params)
        module = app.jinja_env.get_template(FOOTER[0]).module
        assert isinstance(kept, Markup)
        assert kept == Markup(module.footer(params))
        assert 'href="/cookies"' in kept


def test_each_set_of_arguments_is_drawn_once(app):
    rendering._render.cache_clear()
    with app.test_request_context():
        first = rendering.drawn_once(*FOOTER, {"copyright": "A"})
        again = rendering.drawn_once(*FOOTER, {"copyright": "A"})
        other = rendering.drawn_once(*FOOTER, {"copyright": "B"})
    info = rendering._render.cache_info()
    assert (info.misses, info.hits) == (2, 1)
    assert first is again and other != first


def test_text_in_the_arguments_is_escaped(app):
    with app.test_request_context():
        kept = rendering.drawn_once(*FOOTER, {"copyright": "<script>x</script>"})
    assert "<script>x" not in kept and "&lt;script&gt;x" in kept
