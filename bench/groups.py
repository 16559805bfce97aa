"""How fast is a postcode search? Searches per second against 2,000 listings, beside a
one-line Flask page.

A throwaway SQLite database is built by the migrations and filled with 2,000
generated support group listings spread over Great Britain's postcode districts
(about one in seven meeting online only) and 150 Fracture Liaison Services. Both
apps then run under the same gunicorn settings at once (bench/_server.py: two
sync workers each) and are measured in turns, so the ratio says what a search
costs over Flask doing nothing, on whatever machine this runs.

A search is the results page a typed postcode redirects to (/groups/near/M1):
the bounding-box query, exact distances, online groups, and services. Each
process draws a search's page once and keeps it until a listing changes
(webapp/groups/kept_pages.py), so the rates for these three are for searches
after the first, each still reading the listings' version and writing the
visitor's own CSRF token and nonce into the page.

People search from all over Great Britain, so most of a real day's searches are
the first for their district and distance in a process, and are drawn afresh.
The spread searches measure that: a fixed, seeded list of every district with
each distance, shuffled, walked without repeating (each round and each client
of the load generator from its own share), so every search is drawn afresh.

    .venv/bin/python bench/groups.py [--seconds 10] [--connections 8] [--rounds 5]
"""

import os
import random
import secrets
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import _server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LISTINGS = 2000
SERVICES = 150
# Manchester city centre: a busy district, so the box holds many listings.
SEARCHES = ["/groups/near/M1?miles=25", "/groups/near/DH1?miles=25", "/groups/near/IV2?miles=50"]
SPREAD = "spread over Great Britain"

SCOTLAND = {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH",
            "TD", "ZE"}  # fmt: skip
WALES = {"CF", "LD", "LL", "NP", "SA"}
LONDON = {"E", "EC", "N", "NW", "SE", "SW", "W", "WC"}
OTHER_ENGLAND = ["north-east", "north-west", "yorkshire-and-the-humber", "east-midlands",
                 "west-midlands", "east-of-england", "south-east", "south-west"]  # fmt: skip


def _region(district: str, rng: random.Random) -> str:
    from webapp.postcodes import postcode_area

    area = postcode_area(district)
    if area in SCOTLAND:
        return "scotland"
    if area in WALES:
        return "wales"
    if area in LONDON:
        return "london"
    return rng.choice(OTHER_ENGLAND)


def listing_rows(today: date, rng: random.Random) -> list[dict[str, str]]:
    """2,000 made-up listings, spread over real districts, as the CSV import reads them."""
    from webapp.postcodes.districts import _centres

    districts = sorted(_centres())
    rows = []
    for number in range(LISTINGS):
        district = rng.choice(districts)
        online = rng.random() < 0.15
        rows.append({
            "reference": f"bench-{number}", "name": f"Bench group {number} (example)",
            "town": district, "region": _region(district, rng),
            "format": "online" if online else rng.choice(["in-person"] * 5 + ["both"]),
            "venue_name": "" if online else "Example Hall",
            "address": "" if online else "1 Example Street",
            "venue_postcode": "" if online else district,
            "meeting_pattern": "Second Tuesday of the month, 2pm", "repeats": "monthly",
            "next_meeting_date": (today + timedelta(days=rng.randint(0, 27))).strftime("%d/%m/%Y"),
            "start_time": "14:00", "end_time": "15:30", "cost": "Free",
            "contact_email": f"bench-{number}@example.org", "example": "yes",
            "checked_by": "Bench", "checked_on": today.strftime("%d/%m/%Y"),
        })  # fmt: skip
    return rows


def spread_searches() -> list[str]:
    """Every district with every distance, in a fixed shuffled order (about 12,000 searches)."""
    from webapp.groups.search import DISTANCE_CHOICES
    from webapp.postcodes.districts import _centres

    searches = [f"/groups/near/{district}?miles={miles}"
                for district in sorted(_centres()) for miles in DISTANCE_CHOICES]  # fmt: skip
    random.Random(2026).shuffle(searches)
    return searches


def fill_database(database_url: str) -> None:
    """Import the listings through the real CSV import, and add the services."""
    import csv
    import io

    from config import TestConfig
    from webapp import create_app
    from webapp.clock import uk_today
    from webapp.extensions import db
    from webapp.groups import csv_io, fls
    from webapp.groups.validation import COLUMNS
    from webapp.postcodes.districts import _centres

    rng = random.Random(2025)
    today = uk_today()
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})
    app = create_app(config)
    with app.app_context():
        output = io.StringIO()
        writer = csv.DictWriter(output, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(listing_rows(today, rng))
        csv_io.import_listings(db.session, output.getvalue().encode(), today, None)
        districts = sorted(_centres())
        for number in range(SERVICES):
            covered = rng.sample(districts, 8)
            details, errors = fls.check_service({
                "name": f"Bench FLS {number} (example)", "hospital": "Example Hospital",
                "phone": "0113 496 0000", "hospital_district": covered[0],
                "covered_districts": " ".join(covered),
            }, today)  # fmt: skip
            assert not errors, errors
            fls.add_service(db.session, details, None)
        db.session.commit()
        db.engine.dispose()


def run(seconds: float, connections: int, rounds: int) -> None:
    """Measure each search and the one-line page in turns; print the rates and ratios."""
    with tempfile.TemporaryDirectory(prefix="bonecheck-bench-") as folder:
        database_url = _server.migrate_sqlite(Path(folder) / "bench.sqlite3")
        fill_database(database_url)
        environment = {
            "BONECHECK_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        bench_folder = Path(__file__).resolve().parent
        with (
            _server.gunicorn("wsgi:app", env=environment) as bonecheck,
            _server.gunicorn("_hello:app", cwd=bench_folder) as hello,
        ):
            slice_seconds = seconds / rounds
            searches = {path: [] for path in [*SEARCHES, SPREAD]}
            spread = spread_searches()
            share = len(spread) // (rounds * connections)
            hello_runs = []
            for turn in range(rounds):
                for path in SEARCHES:
                    searches[path].append(
                        _server.measure(f"{bonecheck}{path}", slice_seconds, connections)
                    )
                searches[SPREAD].append(_server.measure_spread(
                    bonecheck, spread, slice_seconds, connections, turn * connections * share, share
                ))  # fmt: skip
                hello_runs.append(_server.measure(f"{hello}/", slice_seconds, connections))
    _print_figures({path: _combined(runs) for path, runs in searches.items()},
                   _combined(hello_runs), seconds, connections)  # fmt: skip


def _combined(runs: list[_server.LoadResult]) -> _server.LoadResult:
    """Equal-length slices: the mean rate, and the totals."""
    return _server.LoadResult(
        requests_per_second=sum(run.requests_per_second for run in runs) / len(runs),
        requests=sum(run.requests for run in runs),
        errors=sum(run.errors for run in runs),
        generator=runs[0].generator,
    )


def _print_figures(searches: dict, hello: _server.LoadResult, seconds, connections) -> None:
    settings = " ".join(_server.GUNICORN_SETTINGS)
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"gunicorn {settings}; {connections} connections, {seconds:g} s for each page "
          f"in turns; load from {hello.generator}; {os.cpu_count()} CPUs, load average {load}")
    print(f"  {LISTINGS} listings ({SERVICES} Fracture Liaison Services) in SQLite")
    errors = hello.errors
    for path, result in searches.items():
        ratio = result.requests_per_second / hello.requests_per_second
        print(f"  search {path:32} {result.requests_per_second:8.1f} searches/s"
              f"  ({result.requests} requests, {result.errors} errors)"
              f"  ratio to one-line page {ratio:.3f}")
        errors += result.errors
    print(f"  one-line Flask page (/) {'':25} {hello.requests_per_second:8.1f} req/s"
          f"  ({hello.requests} requests, {hello.errors} errors)")
    if errors:
        sys.exit("some requests failed: the figures above are not to be trusted")


if __name__ == "__main__":
    _server.run_from_command_line(__doc__, run)
