"""Every public page in a real browser: no accessibility violation, no CSP violation.

The page fixture already fails a test on a CSP violation or a script error; these
tests add axe's WCAG 2.1 AA scan and the checks a person would make by eye.
"""

import pytest

from config import TestConfig
from tests.browser.axe import assert_accessible
from webapp import create_app

pytestmark = pytest.mark.browser

# The pages the service promises; the list found from the app must include them.
PROMISED_PAGES = ["/", "/cookies", "/privacy", "/accessibility", "/sources"]

# Endpoints that are not pages: files, and the self-check, whose pages are
# reached by walking the journey (tests/browser/test_selfcheck.py).
NOT_PAGES = ("static", "assets.")
WALKED_BY_JOURNEY = ("selfcheck.",)


def _pages_without_arguments() -> list[str]:
    """Every GET URL the app knows that takes no argument, so new pages are scanned too."""
    app = create_app(TestConfig)
    urls = set()
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods:
            continue
        if rule.endpoint.startswith(NOT_PAGES + WALKED_BY_JOURNEY):
            continue
        urls.add(rule.rule)
    return sorted(urls)


PAGES = _pages_without_arguments()


def test_every_promised_page_is_found_from_the_app():
    assert set(PROMISED_PAGES) <= set(PAGES), PAGES


@pytest.mark.parametrize("url", PAGES)
def test_page_is_accessible(page, url):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert page.locator("h1").count() == 1
    assert page.title().startswith(page.locator("h1").inner_text().strip())
    assert_accessible(page)


def test_page_not_found_is_accessible(page):
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)


def test_skip_link_is_the_first_thing_a_keyboard_reaches_and_moves_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text().strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"
