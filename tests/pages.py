"""Request helpers that check every page for free.

`get_page` and `post_form` assert the status, parse the HTML and check what every
BoneCheck page must have: one <h1>, a <title> that starts with it (after any
"Error: "), no id used twice, and a CSRF token in every POST form.
"""

from bs4 import BeautifulSoup


def parse_page(response, status: int = 200) -> BeautifulSoup:
    """Parse an HTML response and check the page's basic promises."""
    assert response.status_code == status, response.status_code
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    headings = page.find_all("h1")
    assert len(headings) == 1, f"expected one <h1>, found {len(headings)}"
    heading = " ".join(headings[0].get_text().split())
    title = " ".join(page.title.get_text().split()).removeprefix("Error: ")
    assert title.startswith(heading), f"title {title!r} does not start with {heading!r}"
    ids = [element["id"] for element in page.find_all(id=True)]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert not repeated, f"ids used more than once: {repeated}"
    for form in page.find_all("form", method=lambda m: m and m.lower() == "post"):
        assert form.find("input", attrs={"name": "csrf_token"}), "POST form without a CSRF token"
    return page


def get_page(client, url: str, status: int = 200, **kwargs) -> BeautifulSoup:
    """GET a page and check it (see parse_page)."""
    return parse_page(client.get(url, **kwargs), status)


def csrf_token(client, url: str) -> str:
    """The CSRF token a person's browser would send, read from the form at `url`."""
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    field = page.find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF token in the form at {url}"
    return field["value"]


def submit(client, url: str, data: dict, **kwargs):
    """POST `data` to the form at `url` as a browser would: with the page's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def post_form(client, url: str, data: dict, status: int = 200, **kwargs) -> BeautifulSoup:
    """Submit a form that is expected to re-render (for example with errors) and check it."""
    return parse_page(submit(client, url, data, **kwargs), status)


def error_messages(page: BeautifulSoup) -> list[str]:
    """The texts in the page's error summary."""
    summary = page.select_one(".nhsuk-error-summary")
    if summary is None:
        return []
    return [" ".join(li.get_text().split()) for li in summary.select("li")]
