"""Helpers for benchmarks that serve BoneCheck over HTTP: gunicorn, a database, a load generator.

Gunicorn runs as a child process exactly as it would in production; load comes
from wrk when it is installed (scripts/install-system-packages.sh bench) and
from a small multi-threaded Python client otherwise. Each figure printed says
which generator produced it, as the Python client is slower and saturates first.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")

# The production configuration (gunicorn.conf.py: threaded workers, templates
# compiled before the workers fork), with two workers, for both apps alike.
GUNICORN_SETTINGS = ["--config", str(ROOT / "gunicorn.conf.py"), "--workers", "2"]


def free_port() -> int:
    """A TCP port nobody is listening on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def migrate_sqlite(path: Path) -> str:
    """Build a fresh SQLite database at `path` with the migrations; return its URL."""
    url = f"sqlite:///{path}"
    env = {**os.environ, "BONECHECK_ENV": "test", "TEST_DATABASE_URL": url, "FLASK_APP": "wsgi"}
    subprocess.run(
        [str(GUNICORN.with_name("flask")), "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    return url


@contextmanager
def gunicorn(app_spec: str, env: dict | None = None, cwd: Path = ROOT):
    """Serve `app_spec` (module:variable) with GUNICORN_SETTINGS; yield its base URL."""
    port = free_port()
    command = [str(GUNICORN), *GUNICORN_SETTINGS, "--bind", f"127.0.0.1:{port}", app_spec]
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_listening(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    """Wait until a worker answers, not just the socket: gunicorn.conf.py compiles the
    templates in the master before it starts any worker, while the port already listens."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{process.stderr.read()}")
        try:
            left = max(deadline - time.monotonic(), 0.1)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=left)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {seconds} s")


@dataclass
class LoadResult:
    """What one load run measured."""

    requests_per_second: float
    requests: int
    errors: int
    generator: str


def measure(url: str, seconds: float = 10, connections: int = 8, cookie: str = "") -> LoadResult:
    """Send GET `url` as fast as `connections` keep-alive clients can for `seconds`."""
    check_once(url, cookie)
    if shutil.which("wrk"):
        return _measure_with_wrk(url, seconds, connections, cookie)
    return _measure_with_threads(url, seconds, connections, cookie)


def measure_spread(base_url: str, paths: list[str], seconds: float = 10, connections: int = 8,
                   start: int = 0, share: int = 1) -> LoadResult:
    """GET `paths` in turn, as fast as `connections` keep-alive clients can: the clients (or
    wrk's threads) start at `start`, `share` paths apart, so no two ask for the same path."""
    check_once(base_url + paths[start % len(paths)])
    if shutil.which("wrk"):
        return _spread_with_wrk(base_url, paths, seconds, connections, (start, share))
    return _measure_with_threads(base_url, seconds, connections, "", paths, (start, share))


# wrk's threads each run this with their own copy of the list; a thread walks its own share.
_WRK_WALK = """
local paths = {%s}
local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  counter = tonumber(args[1]) + first * tonumber(args[2])
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter %% #paths + 1])
end
"""


def _spread_with_wrk(base_url, paths, seconds, connections, walk) -> LoadResult:
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_WALK % ", ".join(f'"{path}"' for path in paths))
        script.flush()
        command = ["wrk", "--threads", str(threads), "--connections", str(connections),
                   "--duration", f"{max(1, round(seconds))}s", "--latency",
                   "--script", script.name, base_url, "--",
                   str(walk[0]), str(walk[1])]  # fmt: skip
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return _wrk_figures(output)


def check_once(url: str, cookie: str = "") -> bytes:
    """GET `url` once and insist on a 200, so a benchmark never times an error page."""
    host, port, path = _split(url)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", path, headers=_headers(cookie))
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}, not 200")
    return body


def _measure_with_wrk(url: str, seconds: float, connections: int, cookie: str) -> LoadResult:
    command = ["wrk", "--threads", "2", "--connections", str(connections),
               "--duration", f"{max(1, round(seconds))}s", "--latency", url]
    if cookie:
        command[1:1] = ["--header", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return _wrk_figures(output)


def _wrk_figures(output: str) -> LoadResult:
    """The requests, errors and rate in wrk's report."""
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(map(int, socket_errors.groups())) if socket_errors else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return LoadResult(rate, total, errors, "wrk")


def _measure_with_threads(url: str, seconds: float, connections: int, cookie: str,
                          paths: list[str] | None = None, walk: tuple = (0, 0)) -> LoadResult:
    """Each client GETs `url`, or `url` followed by each of `paths` in turn from its own share."""
    host, port, path = _split(url)
    counts = [[0, 0] for _ in range(connections)]
    stop = time.monotonic() + seconds
    paths = [f"{path.rstrip('/')}{item}" for item in paths] if paths else [path]

    def client(tally: list[int], place: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        while time.monotonic() < stop:
            place += 1
            try:
                connection.request("GET", paths[place % len(paths)], headers=_headers(cookie))
                response = connection.getresponse()
                response.read()
                tally[0 if response.status == 200 else 1] += 1
            except (OSError, http.client.HTTPException):
                tally[1] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.close()

    threads = [threading.Thread(target=client, args=(tally, walk[0] + number * walk[1]))
               for number, tally in enumerate(counts)]  # fmt: skip
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    done = sum(tally[0] for tally in counts)
    errors = sum(tally[1] for tally in counts)
    return LoadResult(done / elapsed, done + errors, errors, "python threads")


def _split(url: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)?", url)
    return match.group(1), int(match.group(2)), match.group(3) or "/"


def _headers(cookie: str) -> dict:
    return {"Cookie": cookie} if cookie else {}


def run_from_command_line(doc: str, run) -> None:
    """Parse the load options every server benchmark shares and call `run` with them."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="turns each page is measured in")
    arguments = parser.parse_args()
    run(arguments.seconds, arguments.connections, arguments.rounds)
