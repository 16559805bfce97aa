"""Where the self-check result page's time goes: CPU a request in-process, and the
functions of BoneCheck, its templates and the libraries under them that take the most.

The journey is walked once with Flask's test client (production settings, a throwaway
database built by the migrations), then the result page is asked for `--requests`
times in rounds, and the quickest round's CPU a request is printed: on a shared machine
the quickest is the one least slowed by others. A last pass runs under cProfile, which
counts this process's CPU; profiling slows Python down, so its times are for comparing
parts of the page, not with the HTTP figures of bench/selfcheck.py.

    .venv/bin/python bench/selfcheck_profile.py [--requests 400] [--shown 25]
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import _server
from bs4 import BeautifulSoup
from selfcheck import MOST_PAGES, RESULT, START, bonecheck_environment, form_body

BASE_URL = "https://localhost"  # production cookies are Secure
ROUNDS = 8


def walk_in_process(client) -> None:
    """Answer every question from the start with the test client, up to the result."""
    url, html = _follow(client, "GET", START)
    for _ in range(MOST_PAGES):
        if urlsplit(url).path == RESULT:
            return
        form = BeautifulSoup(html, "html.parser").select_one("main form[method=post]")
        url, html = _follow(client, "POST", urljoin(url, form.get("action") or url),
                            form_body(form, url))  # fmt: skip
    raise RuntimeError(f"no result page after {MOST_PAGES} pages")


def _follow(client, method: str, url: str, body: str | None = None) -> tuple[str, str]:
    for _ in range(10):
        response = client.open(url, method=method, data=body, base_url=BASE_URL,
                               headers={"Referer": f"{BASE_URL}/"},
                               content_type="application/x-www-form-urlencoded")  # fmt: skip
        if response.status_code in (301, 302, 303):
            method, body, url = "GET", None, response.headers["Location"]
            continue
        if response.status_code != 200:
            raise RuntimeError(f"{method} {url} answered {response.status_code}")
        return url, response.get_data(as_text=True)
    raise RuntimeError(f"too many redirects from {url}")


def cpu_a_request(client, requests: int) -> float:
    """The quickest round's CPU seconds a request for the result page."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(requests // ROUNDS):
            client.get(RESULT, base_url=BASE_URL)
        rounds.append((time.process_time() - started) / (requests // ROUNDS))
    return min(rounds)


def print_profile(client, requests: int, shown: int) -> None:
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(requests):
        client.get(RESULT, base_url=BASE_URL)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"  under cProfile: {stats.total_calls / requests:.0f} function calls a request; "
          f"the most cumulative CPU a request (of {stats.total_tt / requests * 1000:.1f} ms):")
    rows = sorted(((values[3] / requests, function) for function, values in stats.stats.items()),
                  key=lambda row: row[0], reverse=True)  # fmt: skip
    for cumulative, (filename, line, name) in rows[:shown]:
        where = filename.split("site-packages/")[-1].removeprefix(f"{_server.ROOT}/")
        print(f"    {cumulative * 1000:7.2f} ms  {where}:{line} {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--shown", type=int, default=25)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bonecheck-bench-") as folder:
        os.environ.update(bonecheck_environment(
            _server.migrate_sqlite(Path(folder) / "bench.sqlite3")))  # fmt: skip
        sys.path.insert(0, str(_server.ROOT))
        from webapp import create_app

        client = create_app().test_client()
        walk_in_process(client)
        for _ in range(20):
            client.get(RESULT, base_url=BASE_URL)
        load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
        cpu = cpu_a_request(client, arguments.requests)
        print(f"self-check result page in-process: {cpu * 1000:.2f} ms of CPU a request "
              f"(quickest of {ROUNDS} rounds; load average {load})")
        print_profile(client, arguments.requests // 4, arguments.shown)


if __name__ == "__main__":
    main()
