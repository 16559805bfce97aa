"""How long does case-finding take over a whole practice list? Target: under 10 seconds.

Generates a fictional 551,550-row practice list (the size of the Northern Bone Health
Project's list) with a fixed random seed: ages 30 to 100 weighted to 50 and over, both
sexes, realistic shares of each yes answer, one row in ten with height and weight
instead of BMI, a few quoted cells, and a few bad rows. Then runs the real command end
to end in a fresh process, `flask --app wsgi risk score LIST --output SCORED`, timing
everything a practice would wait for: start-up, reading, scoring, writing, the summary.
Without wsgi.py it calls the command in this process through click's CliRunner.

    python bench/casefinding.py [--rows 551550] [--keep DIR]
"""

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

NORTHERN_BONE_HEALTH_LIST = 551_550
TARGET_SECONDS = 10.0
SEED = 146

# Share of people answering yes, roughly as a GP list would record them.
YES_SHARES = {
    "previous_fracture": 0.08,
    "parent_hip_fracture": 0.10,
    "falls": 0.10,
    "steroids": 0.03,
    "antidepressants": 0.12,
    "ra_or_sle": 0.02,
    "asthma_or_copd": 0.12,
    "cardiovascular_disease": 0.10,
    "cancer": 0.06,
    "dementia": 0.02,
    "epilepsy": 0.015,
    "liver_disease": 0.01,
    "kidney_disease": 0.06,
    "malabsorption": 0.015,
    "parkinsons": 0.007,
    "endocrine": 0.01,
    "hrt_oestrogen": 0.03,
    "care_home": 0.015,
}
COLUMNS = [
    "id", "practice", "sex", "age", "bmi", "height_cm", "weight_kg",
    "ethnicity", "smoking", "alcohol", "diabetes", *YES_SHARES,
]  # fmt: skip
AGES = list(range(30, 101))
# Lists run thin at the young end (few are coded) and at the very old end.
AGE_WEIGHTS = [1.0 if age < 50 else 2.5 if age < 80 else 2.5 * 0.9 ** (age - 79) for age in AGES]
BAD_ROWS = [
    {"age": "29"},
    {"sex": "X"},
    {"bmi": "twenty-five"},
    {"ethnicity": "12"},
    {"falls": "maybe"},
]
BAD_ROW_EVERY = 11_011


def fictional_person(rng: random.Random, number: int) -> dict[str, str]:
    """One made-up person, as a practice system might export them."""
    sex = "F" if rng.random() < 0.52 else "M"
    bmi = min(max(rng.gauss(27.5, 5.0), 14.0), 55.0)
    person = {
        "id": f"BH{number:07d}",
        "practice": '"Moor Lane, Surgery"' if number % 97 == 0 else "Moor Lane Surgery",
        "sex": sex,
        "age": str(rng.choices(AGES, AGE_WEIGHTS)[0]),
        "ethnicity": str(rng.choices(range(1, 10), [85, 3, 3, 1, 2, 1.5, 1.5, 1, 2])[0]),
        "smoking": str(rng.choices(range(5), [50, 25, 10, 10, 5])[0]),
        "alcohol": str(rng.choices(range(6), [30, 30, 25, 10, 3, 2])[0]),
        "diabetes": rng.choices(["none", "type2", "type1", ""], [87, 10, 1, 2])[0],
    }
    if rng.random() < 0.1:
        height = rng.gauss(162.0 if sex == "F" else 176.0, 7.0)
        person.update(height_cm=f"{height:.0f}", weight_kg=f"{bmi * (height / 100) ** 2:.1f}")
    else:
        person["bmi"] = f"{bmi:.1f}"
    for column, share in YES_SHARES.items():
        person[column] = "1" if rng.random() < share else "0"
    return person


def write_practice_list(path: Path, rows: int) -> None:
    """The fictional list, with a bad row every BAD_ROW_EVERY rows."""
    rng = random.Random(SEED)
    with open(path, "w", encoding="utf-8", newline="") as destination:
        writer = csv.DictWriter(destination, COLUMNS, restval="")
        writer.writeheader()
        for number in range(1, rows + 1):
            person = fictional_person(rng, number)
            if number % BAD_ROW_EVERY == 0:
                person.update(BAD_ROWS[(number // BAD_ROW_EVERY) % len(BAD_ROWS)])
            writer.writerow(person)


def run_flask_command(practice_list: Path, scored: Path) -> tuple[float, int, str]:
    """Run `flask risk score` as a practice would; (seconds, exit code, stderr)."""
    flask = Path(sys.executable).parent / "flask"
    if (REPO_ROOT / "wsgi.py").exists() and flask.exists():
        command = [str(flask), "--app", "wsgi", "risk", "score", str(practice_list)]
        started = time.perf_counter()
        finished = subprocess.run(
            [*command, "--output", str(scored)], cwd=REPO_ROOT, capture_output=True, text=True
        )
        return time.perf_counter() - started, finished.returncode, finished.stderr
    return _run_in_process(practice_list, scored)


def cpu_seconds_of_children() -> float:
    """CPU time used so far by finished child processes (the command and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_in_process(practice_list: Path, scored: Path) -> tuple[float, int, str]:
    from flask import Flask

    from webapp.cli.risk import risk_cli

    app = Flask("bench")
    app.cli.add_command(risk_cli)
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(
        args=["risk", "score", str(practice_list), "--output", str(scored)]
    )
    return time.perf_counter() - started, result.exit_code, result.stderr


def _load() -> str:
    """The one-minute load average, so a slow run on a busy machine can be told apart."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=NORTHERN_BONE_HEALTH_LIST)
    parser.add_argument("--keep", type=Path, help="keep the generated and scored lists here")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bonecheck-casefinding-"))
    try:
        practice_list, scored = folder / "practice-list.csv", folder / "scored.csv"
        write_practice_list(practice_list, arguments.rows)
        cpu_before = cpu_seconds_of_children()
        seconds, exit_code, stderr = run_flask_command(practice_list, scored)
        cpu_seconds = cpu_seconds_of_children() - cpu_before
        summary = [line for line in stderr.splitlines() if not line.startswith("Line ")]
        refused = len(stderr.splitlines()) - len(summary)
        print("\n".join(summary))
        print(f"exit code:        {exit_code} ({refused} bad rows reported by line number)")
        print(f"rows:             {arguments.rows:,}")
        print(f"total seconds:    {seconds:.2f} (end to end, start-up included)")
        print(f"rows per second:  {arguments.rows / seconds:,.0f}")
        print(f"CPU seconds:      {cpu_seconds:.2f} (all its processes; load now {_load()})")
        verdict = "met" if seconds < TARGET_SECONDS else "MISSED"
        print(f"target:           under {TARGET_SECONDS:.0f} s: {verdict}")
        if arguments.keep:
            shutil.copytree(folder, arguments.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
