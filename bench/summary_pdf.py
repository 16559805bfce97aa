"""How long does the GP summary take now that it is drawn as a PDF too?

In one process, with Flask's test client and a throwaway SQLite database built by the
migrations, a person's answers are confirmed once; then the result page, the summary
page and the PDF download are
each asked for in turn. The first PDF of a process also parses the two stylesheets, so
it is timed on its own. Prints the median and fastest time of each, CPU time included,
and the PDF's size.

    .venv/bin/python bench/summary_pdf.py [--rounds 10]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from config import TestConfig  # noqa: E402
from tests.blueprints.selfcheck.journey import (  # noqa: E402
    answer_every_question,
    confirm_answers,
)
from webapp import create_app  # noqa: E402

PAGES = ("/check/result", "/check/summary", "/check/summary.pdf")


def _timed(client, path: str) -> tuple[float, float, int]:
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started, time.process_time() - cpu, len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        with app.app_context():
            upgrade()
        client = app.test_client()
        answer_every_question(client)
        confirm_answers(client)
        first, _, _ = _timed(client, "/check/summary.pdf")
        print(f"first PDF of the process (parses the stylesheets): {first * 1000:.0f} ms")
        for path in PAGES:
            times = [_timed(client, path) for _ in range(rounds)]
            wall = [each[0] * 1000 for each in times]
            cpu = [each[1] * 1000 for each in times]
            print(f"{path}: median {statistics.median(wall):.0f} ms (CPU "
                  f"{statistics.median(cpu):.0f} ms), fastest {min(wall):.0f} ms, "
                  f"{times[-1][2]:,} bytes")  # fmt: skip


if __name__ == "__main__":
    main()
