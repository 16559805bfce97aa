"""Scratch directories for the tests' databases, in memory when the machine allows.

A database file on disk waits for the disk at every commit (about 20 ms on a
shared disk, against 1 ms in /dev/shm), and nothing the tests write needs to
outlive the test session.
"""

import os
import tempfile
from pathlib import Path

MEMORY = Path("/dev/shm")


def scratch_dir(prefix: str) -> Path:
    """A new empty directory, in /dev/shm when it is there and writable; the caller removes it."""
    in_memory = MEMORY.is_dir() and os.access(MEMORY, os.W_OK)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=MEMORY if in_memory else None))
