"""A throwaway PostgreSQL server for the tests, started from Debian's packages.

It lives in a temporary directory, listens on a free local port and is
stopped when the test session ends. A server that cannot start fails the
tests that need it: it is never skipped silently.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

from tests.scratch import scratch_dir


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError(
        "PostgreSQL is not installed: run `make test`, which installs it from Debian's packages"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """Start, use and stop one PostgreSQL cluster owned by the tests."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = scratch_dir("bonecheck-pg-")
        self.data = self.root / "data"
        self.port = _free_port()
        # PostgreSQL refuses to run as root; drop to the `postgres` user the package creates.
        self.run_as = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> None:
        """initdb a fresh cluster and start it on loopback only."""
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale", "C")
        # A throwaway cluster: nothing needs to survive a crash, so skip the
        # waits and copies that make a real one durable.
        durability = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {durability}"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "server.log",
                  "-o", options, "-w", "start")

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL (psycopg 3)."""
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server and remove its files."""
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
