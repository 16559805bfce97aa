"""How many single-person fracture-risk estimates per second?

One evaluation is one call of `estimate_fracture_risk` for one person: the answers
checked, then both of that sex's equations (major osteoporotic and hip fracture) worked
out. The profiles vary (sex, age, BMI, categories, yes answers) so no cache flatters
the figure.

    python bench/risk.py [--seconds 3]
"""

import argparse
import random
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from webapp.risk import RiskProfile, estimate_fracture_risk  # noqa: E402  (needs REPO_ROOT)
from webapp.risk.profile import YES_NO_ANSWERS  # noqa: E402

SEED = 2012
PROFILES = 1000


def varied_profiles(count: int, seed: int = SEED) -> list[RiskProfile]:
    """`count` valid profiles, the same ones on every run."""
    rng = random.Random(seed)
    profiles = []
    for _ in range(count):
        answers = {name: rng.random() < 0.1 for name in YES_NO_ANSWERS}
        answers["type2_diabetes"] = answers["type2_diabetes"] and not answers["type1_diabetes"]
        profiles.append(
            RiskProfile(
                sex=rng.choice(("female", "male")),
                age=rng.randint(30, 100),
                bmi=round(rng.uniform(20.0, 40.0), 1),
                ethnicity=rng.randint(1, 9),
                smoking=rng.randint(0, 4),
                alcohol=rng.randint(0, 5),
                **answers,
            )
        )
    return profiles


def evaluations_per_second(profiles: list[RiskProfile], seconds: float) -> tuple[int, float]:
    """Estimate for the profiles over and over for about `seconds`; (evaluations, elapsed)."""
    evaluations = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for profile in profiles:
            estimate_fracture_risk(profile)
        evaluations += len(profiles)
    return evaluations, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    arguments = parser.parse_args()
    profiles = varied_profiles(PROFILES)
    evaluations_per_second(profiles, 0.2)  # warm up
    evaluations, elapsed = evaluations_per_second(profiles, arguments.seconds)
    rate = evaluations / elapsed
    print("QFracture-2012, one evaluation = one person, MOF and hip equations, answers checked")
    print(f"evaluations:        {evaluations:,} in {elapsed:.2f} s")
    print(f"evaluations/second: {rate:,.0f}")
    print(f"microseconds each:  {1e6 / rate:.2f}")


if __name__ == "__main__":
    main()
