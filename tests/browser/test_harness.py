"""The browser harness itself: axe runs under the strict CSP, and violations are still caught."""

import pytest

from tests.browser.axe import axe_violations, inject_axe
from tests.browser.watch import PageWatch

pytestmark = pytest.mark.browser

INLINE_SCRIPT_AND_STYLE = """() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineScriptRan = true';
    document.body.append(script);
    document.body.setAttribute('style', 'outline: 1px solid red');
    return window.inlineScriptRan === true;
}"""


@pytest.fixture
def unguarded(browser, live_server):
    """A page whose problems the test reads itself, instead of failing on them."""
    context = browser.new_context(base_url=live_server)
    watch = PageWatch(origin=live_server)
    watch.attach(context)
    yield context.new_page(), watch, context
    context.close()


def test_pages_are_served_with_a_csp_that_forbids_inline_script(page):
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


def test_axe_runs_without_weakening_the_csp(page):
    page.goto("/")
    inject_axe(page)
    assert page.evaluate("typeof axe.run") == "function"
    assert isinstance(axe_violations(page), list)
    # The page's own policy is untouched (bypass_csp is never used here).
    assert page.evaluate("window.inlineScriptRan") is None


def test_a_csp_violation_after_axe_is_still_reported(unguarded):
    page, watch, context = unguarded
    page.goto("/")
    inject_axe(page)
    assert page.evaluate(INLINE_SCRIPT_AND_STYLE) is False, "the inline script ran"
    watch.settle(context)
    violations = [problem for problem in watch.problems if problem.startswith("CSP violation")]
    assert any("script-src" in problem for problem in violations), watch.console
    assert any("style-src" in problem for problem in violations), watch.console


def test_a_javascript_error_is_reported(unguarded):
    page, watch, context = unguarded
    page.goto("/")
    page.evaluate("() => { setTimeout(() => { throw new Error('broken on purpose') }, 0) }")
    watch.settle(context)
    assert any("broken on purpose" in problem for problem in watch.problems), watch.problems


@pytest.mark.parametrize(
    ("tag", "attribute", "url"),
    [("link", "href", "/static/css/no-such-file.css"), ("img", "src", "/static/no-such.png")],
    ids=["stylesheet", "image"],
)
def test_a_missing_file_of_ours_is_reported(unguarded, tag, attribute, url):
    page, watch, context = unguarded
    page.goto("/")
    page.evaluate(
        """([tag, attribute, url]) => new Promise(done => {
            const element = document.createElement(tag);
            if (tag === 'link') element.rel = 'stylesheet';
            element.onerror = done;
            element[attribute] = url;
            document.body.append(element);
        })""",
        [tag, attribute, url],
    )
    watch.settle(context)
    assert any(url in problem for problem in watch.problems), watch.problems


def test_the_javascript_of_the_design_system_runs(page):
    page.goto("/")
    # The NHS.UK template's one nonce'd inline script marks the body; our module
    # script (a file) starts the components. Both must run under the CSP.
    assert page.evaluate("document.body.classList.contains('js-enabled')")


def test_the_nhs_font_is_not_blocked_by_the_csp(browser, live_server):
    context = browser.new_context(base_url=live_server)
    watch = PageWatch(origin=live_server, allow_known_problems=False)
    watch.attach(context)
    try:
        context.new_page().goto("/")
        watch.settle(context)
    finally:
        context.close()
    assert not [problem for problem in watch.problems if "font" in problem], watch.report()
