"""How fast is the self-check result page? Requests per second beside a one-line Flask page.

Both apps run under the same gunicorn settings at the same time (bench/_server.py:
two sync workers each) and are measured in turns, so the ratio says what BoneCheck's
page costs over Flask doing nothing, on whatever machine this runs, busy or not.
The result page is measured with a real session: the journey is walked once over
HTTP first, as a browser would, CSRF tokens included, against a throwaway database
built by the migrations.

    .venv/bin/python bench/selfcheck.py [--seconds 10] [--connections 8] [--rounds 5]
"""

import http.client
import os
import secrets
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import _server
from bs4 import BeautifulSoup

sys.path.insert(0, str(_server.ROOT))
from tests.example_person import ANSWERS  # noqa: E402  (the repository root is now importable)

START = "/check/"
RESULT = "/check/result"
MOST_PAGES = 40
TARGET_RATIO = 0.25  # the result page at least a quarter of the one-line page's rate


class Browser:
    """Just enough of a browser for one journey: one cookie, redirects, forms."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookie = ""

    def request(self, method: str, url: str, body: str | None = None) -> tuple[str, str]:
        """Send one request, following redirects; return the final URL and its HTML."""
        for _ in range(10):
            parts = urlsplit(urljoin(self.base_url, url))
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            headers = {"Cookie": self.cookie} if self.cookie else {}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                               body=body, headers=headers)
            response = connection.getresponse()
            html = response.read().decode()
            connection.close()
            self._keep_cookie(response)
            if response.status in (301, 302, 303):
                method, body, url = "GET", None, response.getheader("Location")
                continue
            if response.status != 200:
                raise RuntimeError(f"{method} {url} answered {response.status}")
            return url, html
        raise RuntimeError(f"too many redirects from {url}")

    def _keep_cookie(self, response) -> None:
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                # The session cookie is the only one; Secure or not, it is sent back.
                self.cookie = value.split(";", 1)[0]


def form_body(form, url: str) -> str:
    """The form's fields filled from ANSWERS, URL-encoded as a browser would send them."""
    pairs = [("csrf_token", form.find("input", attrs={"name": "csrf_token"})["value"])]
    names = {field["name"] for field in form.select("input[name], textarea[name]")}
    for name in sorted(names - {"csrf_token"}):
        if name not in ANSWERS:
            raise RuntimeError(f"no answer for {name!r} on {url}")
        answer = ANSWERS[name]
        pairs += [(name, value) for value in ([answer] if isinstance(answer, str) else answer)]
    return urlencode(pairs)


def walk_to_result(browser: Browser) -> str:
    """Answer every question from the start, as the service asks them; return the result URL."""
    url, html = browser.request("GET", START)
    for _ in range(MOST_PAGES):
        if urlsplit(url).path == RESULT:
            return url
        form = BeautifulSoup(html, "html.parser").select_one("main form[method=post]")
        if form is None:
            raise RuntimeError(f"{url} has no form to go on with, and is not the result")
        action = urljoin(url, form.get("action") or url)
        url, html = browser.request("POST", action, form_body(form, url))
    raise RuntimeError(f"no result page after {MOST_PAGES} pages")


def bonecheck_environment(database_url: str) -> dict:
    """Production settings, as the service runs: a real secret and the throwaway database."""
    return {
        "BONECHECK_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }


def run(seconds: float, connections: int, rounds: int) -> None:
    """Measure the result page and the one-line page; print both and the ratio.

    Both servers run at once and are measured in turns, `rounds` slices each, so
    anything else busy on the machine weighs on both figures alike.
    """
    with tempfile.TemporaryDirectory(prefix="bonecheck-bench-") as folder:
        database_url = _server.migrate_sqlite(Path(folder) / "bench.sqlite3")
        bench_folder = Path(__file__).resolve().parent
        with (
            _server.gunicorn("wsgi:app", env=bonecheck_environment(database_url)) as bonecheck,
            _server.gunicorn("_hello:app", cwd=bench_folder) as hello,
        ):
            browser = Browser(bonecheck)
            result_path = walk_to_result(browser)
            # Load the result once more, so any first-view work is done and the
            # cookie timed is the settled one.
            browser.request("GET", result_path)
            slice_seconds = seconds / rounds
            result_runs, hello_runs = [], []
            for _ in range(rounds):
                # As a browser would: a self-check page signs the cookie again once it is
                # a minute old, and the browser keeps the new one. Replayed unchanged over
                # a long run, the first cookie would make every later request sign again.
                browser.request("GET", result_path)
                result_runs.append(_server.measure(
                    urljoin(bonecheck, result_path), slice_seconds, connections, browser.cookie
                ))
                hello_runs.append(_server.measure(f"{hello}/", slice_seconds, connections))
    _print_figures(result_path, _combined(result_runs), _combined(hello_runs), seconds,
                   connections)
    _print_rounds(result_runs, hello_runs)


def _combined(runs: list[_server.LoadResult]) -> _server.LoadResult:
    """Equal-length slices: the mean rate, and the totals."""
    return _server.LoadResult(
        requests_per_second=sum(run.requests_per_second for run in runs) / len(runs),
        requests=sum(run.requests for run in runs),
        errors=sum(run.errors for run in runs),
        generator=runs[0].generator,
    )


def _print_figures(result_path, result, hello, seconds, connections) -> None:
    settings = " ".join(_server.GUNICORN_SETTINGS)
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"gunicorn {settings}; {connections} connections, {seconds:g} s for each page "
          f"in turns; load from {result.generator}; {os.cpu_count()} CPUs, load average {load}")
    print(f"  self-check result page ({result_path}): {result.requests_per_second:8.1f} req/s"
          f"  ({result.requests} requests, {result.errors} errors)")
    print(f"  one-line Flask page (/):  {hello.requests_per_second:27.1f} req/s"
          f"  ({hello.requests} requests, {hello.errors} errors)")
    ratio = result.requests_per_second / hello.requests_per_second
    print(f"  result page / one-line page: {ratio:.3f} "
          f"(one result page costs as much as {1 / ratio:.0f} one-line pages)")
    if result.errors or hello.errors:
        sys.exit("some requests failed: the figures above are not to be trusted")


def _print_rounds(result_runs: list, hello_runs: list) -> None:
    """Each round's ratio, the result page's slice over the one-line page's just after it:
    the machine's speed drifts (the one-line page's rate by a quarter from minute to
    minute), and a round's two slices, seconds apart, see the same machine."""
    ratios = [result.requests_per_second / hello.requests_per_second
              for result, hello in zip(result_runs, hello_runs, strict=True)]  # fmt: skip
    met = sum(ratio >= TARGET_RATIO for ratio in ratios)
    print(f"  round by round: {', '.join(f'{ratio:.3f}' for ratio in ratios)}; median "
          f"{statistics.median(ratios):.3f}, {met} of {len(ratios)} rounds at least "
          f"{TARGET_RATIO}")


if __name__ == "__main__":
    _server.run_from_command_line(__doc__, run)
