"""How fast are one service's adherence figures and worklist worked out? `summarise` and
`monthly_coverage` over 10,000 patients with two years of weekly doses (about a hundred
prompts each), in memory, with no database: the pure part of the rollup job.

Patients take weekly alendronic acid or risedronate, or teriparatide with a weekly
check-in, from a first dose about two years before today; each prompt was answered
taken (most), missed or not at all; some have replies, contacts and a fracture date.
Prints the total time (and CPU time) and the median and 95th-percentile time per patient.

    .venv/bin/python bench/measures.py [--patients 10000] [--rounds 3]
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp.adherence.facts import (  # noqa: E402
    ContactFacts,
    PatientFacts,
    PromptFacts,
    RegimenFacts,
    ReplyFacts,
)
from webapp.adherence.summary import monthly_coverage, summarise  # noqa: E402

TODAY = date(2027, 1, 4)
WEEKLY = ("alendronic_acid_weekly", "risedronate_weekly", "teriparatide_daily")
OUTCOMES = ("taken",) * 8 + ("missed", "no_response")


def make_patient(number: int, chance: random.Random) -> PatientFacts:
    """One patient with a weekly regimen, its prompts, a reply or two and maybe a call."""
    first = TODAY - timedelta(days=chance.randint(680, 730))
    code = chance.choice(WEEKLY)
    regimen = RegimenFacts(number, code, first, None, None, None, None)
    kind = "check_in" if code == "teriparatide_daily" else "dose"
    prompts = tuple(
        PromptFacts(number * 1000 + week, number, kind, first + timedelta(weeks=week),
                    first + timedelta(weeks=week), "delivered", chance.choice(OUTCOMES))
        for week in range((TODAY - first).days // 7)
    )  # fmt: skip
    replies = tuple(ReplyFacts(number * 10 + n, first + timedelta(days=n * 40), "taken", False,
                               chance.random() < 0.9) for n in range(chance.randint(0, 3)))
    contacts = (ContactFacts(number, "phone_call", first + timedelta(days=90), None),)
    return PatientFacts(
        number, "active", first, first - timedelta(days=30), None, None, None, None, None,
        (regimen,), prompts, replies, contacts if chance.random() < 0.5 else (),
    )  # fmt: skip


def time_each(patients, work) -> tuple[list[float], float]:
    """Seconds each patient took (wall clock), and the CPU seconds of the whole run: on a
    busy machine the wall clock's tail is other processes' turn, the CPU time is ours."""
    taken = []
    cpu_started = time.process_time()
    for facts in patients:
        started = time.perf_counter()
        work(facts, TODAY)
        taken.append(time.perf_counter() - started)
    return taken, time.process_time() - cpu_started


def report(name: str, timings: tuple[list[float], float]) -> None:
    taken, cpu = timings
    cut = statistics.quantiles(taken, n=20)[-1]
    print(f"{name}: {sum(taken):.2f} s ({cpu:.2f} s CPU) for {len(taken):,} patients; per "
          f"patient median {statistics.median(taken) * 1e3:.3f} ms, "
          f"95th percentile {cut * 1e3:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chance = random.Random(9)
    patients = [make_patient(number, chance) for number in range(1, args.patients + 1)]
    prompts = sum(len(facts.prompts) for facts in patients)
    print(f"{len(patients):,} patients, {prompts:,} prompts ({prompts / len(patients):.0f} each)")
    for round_number in range(1, args.rounds + 1):
        report(f"round {round_number} summarise", time_each(patients, summarise))
    report("monthly_coverage", time_each(patients, monthly_coverage))


if __name__ == "__main__":
    main()
