"""Case-finding over a whole region: `flask risk score` against pyarrow's own floor.

Generates a fictional 551,550-row practice list (the size of the Northern Bone Health
Project's list) with a fixed random seed: ages 30 to 100 weighted to 50 and over, both
sexes, realistic shares of each yes answer, one row in ten with height and weight
instead of BMI, a quoted cell with a comma every 97 rows, and a few bad rows. The larger
lists are that list over and over (5,515,500 rows is ten times; `--rows 16546500`,
thirty times, is about the North of England's 16 million).

For each size, in one run of this script, each figure the median of `--runs` (5) runs,
the command's and the floor's taken in turns:
- end to end: the real command, `flask --app wsgi risk score LIST --output SCORED`, in a
  fresh process, timing everything a practice would wait for (start-up, reading,
  scoring, writing, the summary), with the peak resident memory of that process;
- the floor: pyarrow alone reading the same file (every column as text) and writing it
  back, in a fresh process (its import not counted): no scorer built on it can beat
  that, and the target is at most twice it;
- polars' floor the same way (one run), when polars is installed (requirements-dev.txt), for the
  choice between the two (README, "Case-finding");
- start-up: `flask --app wsgi risk --help`, what the command costs before it reads a row.

    python bench/casefinding.py [--rows 551550,5515500] [--runs 5] [--keep DIR]

Other engineers' work may share the machine's two cores: the one-minute load average is
printed with the figures. The project's bytecode is compiled first, as an installed
service has it (a machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile every
module of the command afresh at each start).
"""

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

NORTHERN_BONE_HEALTH_LIST = 551_550
TARGET_SECONDS = 1.5
MOST_TIMES_THE_FLOOR = 2.0
MEMORY_BOUND = 1 << 30
TEN_TIMES = 10 * NORTHERN_BONE_HEALTH_LIST
SEED = 146
# Each figure is the median of this many runs, the command's and the floor's in turns.
RUNS = 5

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


# Each floor runs in a fresh process and prints its own read-plus-write seconds.
PYARROW_FLOOR = """
import sys, time
import pyarrow as pa, pyarrow.csv as pa_csv
started = time.perf_counter()
reader = pa_csv.open_csv(sys.argv[1], convert_options=pa_csv.ConvertOptions(
    column_types={name: pa.string() for name in sys.argv[3].split(",")}))
with pa_csv.CSVWriter(sys.argv[2], reader.schema) as writer:
    for batch in reader:
        writer.write_batch(batch)
print(time.perf_counter() - started)
"""
POLARS_FLOOR = """
import sys, time
import polars as pl
started = time.perf_counter()
pl.scan_csv(sys.argv[1], infer_schema=False).sink_csv(sys.argv[2])
print(time.perf_counter() - started)
"""
# Runs a command and prints its seconds and peak resident KiB: the peak of that process
# alone (RUSAGE_CHILDREN of a parent with no other child).
MEASURED = """
import resource, subprocess, sys, time
started = time.perf_counter()
finished = subprocess.run(
    sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
)
seconds = time.perf_counter() - started
sys.stderr.write(finished.stderr)
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(finished.returncode)
"""


def lengthen(practice_list: Path, rows: int, longer: Path) -> None:
    """`longer` holds the list's rows over and over until there are `rows` of them."""
    with open(practice_list, "rb") as source:
        header, body = source.readline(), source.read()
    copies, rest = divmod(rows, NORTHERN_BONE_HEALTH_LIST)
    with open(longer, "wb") as destination:
        destination.write(header)
        for _ in range(copies):
            destination.write(body)
        destination.write(b"".join(body.splitlines(keepends=True)[:rest]))


def timed(command: list[str]) -> tuple[float, str, str]:
    """(seconds, stdout, stderr) of one command in a new process."""
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if finished.returncode:
        problem = finished.stderr[-2000:]
        raise SystemExit(f"{command[:6]} failed ({finished.returncode}):\n{problem}")
    return time.perf_counter() - started, finished.stdout, finished.stderr


def peak_of(command: list[str]) -> tuple[float, int, str]:
    """(seconds, peak resident bytes, stderr) of one run of `command`."""
    _, stdout, stderr = timed([sys.executable, "-c", MEASURED, *command])
    seconds, peak_kib = stdout.split()
    return float(seconds), int(peak_kib) * 1024, stderr


def compile_bytecode() -> None:
    """Compile the project's modules to bytecode (__pycache__), as an installed service has."""
    sources = [str(REPO_ROOT / name) for name in ("webapp", "cli_plugins.py")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *sources], check=True)


def flask_command(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "risk", *arguments]


def floor_seconds(code: str, practice_list: Path, folder: Path) -> float:
    """One library's read-plus-write time of `practice_list`, every column as text."""
    columns = ",".join(COLUMNS)
    _, stdout, _ = timed([sys.executable, "-c", code, str(practice_list),
                          str(folder / "floor.csv"), columns])  # fmt: skip
    (folder / "floor.csv").unlink()
    return float(stdout)


def has_polars() -> bool:
    try:
        import polars  # noqa: F401
    except ImportError:
        return False
    return True


def measure(practice_list: Path, rows: int, folder: Path, runs: int) -> dict:
    """Every figure for one list: the command and pyarrow's floor `runs` times each, in
    turns, so a spell of load from elsewhere weighs on both alike."""
    scored = folder / "scored.csv"
    seconds, floors, peaks = [], [], []
    for _ in range(runs):
        taken, peak, stderr = peak_of(
            flask_command("score", str(practice_list), "--output", str(scored))
        )
        scored.unlink()
        seconds.append(taken)
        peaks.append(peak)
        floors.append(floor_seconds(PYARROW_FLOOR, practice_list, folder))
    return {
        "rows": rows,
        "seconds": seconds,
        "floors": floors,
        "peak": max(peaks),
        "refused": sum(line.startswith("Line ") for line in stderr.splitlines()),
        "summary": [line for line in stderr.splitlines() if not line.startswith("Line ")],
        "polars": floor_seconds(POLARS_FLOOR, practice_list, folder) if has_polars() else None,
    }


def report(figures: dict, start_up: float) -> None:
    """The figures for one list (the median run's, and every run's), with the targets met
    or missed by the median and by how many of the runs."""
    rows, runs = figures["rows"], len(figures["seconds"])
    seconds, floor = statistics.median(figures["seconds"]), statistics.median(figures["floors"])
    pairs = zip(figures["seconds"], figures["floors"], strict=True)
    times_the_floor = [taken / below for taken, below in pairs]
    print(f"--- {rows:,} rows (load {_load()}; {runs} runs of each, in turns)")
    print(f"end to end:       {seconds:.2f} s median, {rows / seconds:,.0f} rows a second "
          f"(start-up included; {figures['refused']} bad rows reported by line); "
          f"runs: {_each(figures['seconds'], 's')}")  # fmt: skip
    print(f"less start-up:    {seconds - start_up:.2f} s "
          f"({rows / max(seconds - start_up, 1e-9):,.0f} rows a second)")
    print(f"pyarrow floor:    {floor:.2f} s median read + write; runs: "
          f"{_each(figures['floors'], 's')}")
    ratio = statistics.median(times_the_floor)
    within = sum(times <= MOST_TIMES_THE_FLOOR for times in times_the_floor)
    print(f"times the floor:  {ratio:.1f}x median, run by run {_each(times_the_floor, 'x', 1)} "
          f"(target at most {MOST_TIMES_THE_FLOOR:.0f}x: "
          f"{_verdict(ratio <= MOST_TIMES_THE_FLOOR)}, {within} of {runs} runs; "
          f"less start-up {(seconds - start_up) / floor:.1f}x)")
    if figures["polars"] is not None:
        print(f"polars floor:     {figures['polars']:.2f} s read + write (streaming, one run)")
    print(f"peak memory:      {figures['peak'] / 2**20:,.0f} MiB resident, the most of any run "
          f"(bound 1 GiB: {_verdict(figures['peak'] < MEMORY_BOUND)})")
    if rows == NORTHERN_BONE_HEALTH_LIST:
        under = sum(taken < TARGET_SECONDS for taken in figures["seconds"])
        print(f"target:           under {TARGET_SECONDS} s end to end: "
              f"{_verdict(seconds < TARGET_SECONDS)} by the median, {under} of {runs} runs")


def _each(values: list[float], unit: str, places: int = 2) -> str:
    return ", ".join(f"{value:.{places}f}" for value in values) + f" {unit}"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _load() -> str:
    """The one-minute load average, so a slow run on a busy machine can be told apart."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=f"{NORTHERN_BONE_HEALTH_LIST},{TEN_TIMES}",
                        help="list sizes, comma-separated")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="keep the generated lists here")
    parser.add_argument("--runs", type=int, default=RUNS,
                        help=f"runs of the command and of the floor for each size (default {RUNS})")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.rows.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="bonecheck-casefinding-"))
    try:
        practice_list = folder / "practice-list.csv"
        write_practice_list(practice_list, NORTHERN_BONE_HEALTH_LIST)
        compile_bytecode()
        start_up = min(timed(flask_command("--help"))[0] for _ in range(3))
        print(f"start-up:         {start_up:.2f} s (flask --app wsgi risk --help, best of 3)")
        for rows in sizes:
            path = practice_list
            if rows != NORTHERN_BONE_HEALTH_LIST:
                path = folder / f"practice-list-{rows}.csv"
                lengthen(practice_list, rows, path)
            figures = measure(path, rows, folder, max(arguments.runs, 1))
            if rows == sizes[0]:
                print("\n".join(figures["summary"]))
            report(figures, start_up)
            if path != practice_list and not arguments.keep:
                path.unlink()
        if arguments.keep:
            shutil.copytree(folder, arguments.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
