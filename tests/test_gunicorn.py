"""The real gunicorn configuration keeps answering while slow clients hold connections open.

With twice as many clients as workers each sending half a request and then
nothing, a normal request must still be answered within a second. That is a
correctness bound (a stalled service misses it by 30 seconds), not a benchmark.
The same walk against gunicorn's default sync workers shows the bound can fail.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 2
HALF_A_REQUEST = b"GET /cookies HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(log: Path, settings: tuple[str, ...] = ("-c", "gunicorn.conf.py")):
    """gunicorn with WORKERS workers, until every worker has booted; yields the port."""
    port = _free_port()
    environment = {**os.environ, "BONECHECK_ENV": "test", "WEB_CONCURRENCY": str(WORKERS),
                   "BIND": f"127.0.0.1:{port}"}  # fmt: skip
    command = [str(GUNICORN), *settings, "--bind", f"127.0.0.1:{port}",
               "--error-logfile", str(log), "wsgi:app"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
    try:
        _wait_for_workers(process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for_workers(process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        if log.exists() and log.read_text().count("Booting worker") >= WORKERS:
            return
        time.sleep(0.1)
    raise AssertionError(f"gunicorn's workers did not start:\n{log.read_text()}")


@contextmanager
def _slow_clients(port: int, count: int):
    """`count` connections, each holding half a request open."""
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    try:
        for client in clients:
            client.sendall(HALF_A_REQUEST)
        time.sleep(0.5)  # let the workers pick each one up before the normal request
        yield
    finally:
        for client in clients:
            client.close()


def _normal_request(port: int, bound: float = 1.0) -> int:
    """Ask for a page within `bound` seconds; raises TimeoutError if the service stalls."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=bound)
    try:
        connection.request("GET", "/cookies")
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_normal_requests_answer_within_a_second_past_twice_as_many_slow_clients_as_workers(
    tmp_path,
):
    log = tmp_path / "gunicorn.log"
    with _gunicorn(log) as port, _slow_clients(port, 2 * WORKERS):
        statuses = [_normal_request(port) for _ in range(5)]
    assert statuses == [200] * 5
    assert "Traceback" not in log.read_text()


def test_the_bound_fails_with_the_old_command_of_two_sync_workers(tmp_path):
    no_settings = tmp_path / "none.conf.py"  # else gunicorn reads ./gunicorn.conf.py itself
    no_settings.write_text("")
    old_command = ("-c", str(no_settings), "--workers", str(WORKERS), "--worker-class", "sync",
                   "--no-control-socket")  # fmt: skip
    with _gunicorn(tmp_path / "gunicorn.log", old_command) as port:
        # Without the configuration's compiled templates, a worker's first page takes seconds.
        assert [_normal_request(port, bound=30) for _ in range(4)] == [200] * 4
        with _slow_clients(port, 2 * WORKERS), pytest.raises(TimeoutError):
            _normal_request(port)
