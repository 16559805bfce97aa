"""A practice list of 16 people with known risks, for the report's tests, worked out by hand.

Cut-offs set for these tests: 10% (major osteoporotic) and 3% (hip); "above" means at or above.

 #  sex age  MOF    hip   CG146 prev  treated  band   above    in the estimate (hip, MOF - hip)
 1  F   67   12.0   2.0   yes   no    no       65-74  MOF      yes (2.0, 10.0)
 2  F   72    8.0   3.5   yes   yes   yes      65-74  hip      no: treated
 3  F   80   25.0  12.5   yes   yes   no       75-84  both     yes (12.5, 12.5)
 4  F   55    4.0   0.4   yes   no    no       50-64  -
 5  F   45    2.0   0.1   no    no    blank    30-49  -
 6  F   88   31.0  20.0   yes   no    blank    85+    both     yes (20.0, 11.0)
 7  F   62    9.99  2.99  no    no    no       50-64  - (just under both)
 8  F   66   10.0   1.0   yes   yes   no       65-74  MOF      yes (1.0, 9.0)
 9  M   78    6.0   3.0   yes   no    no       75-84  hip      yes (3.0, 3.0)
10  M   60    3.0   0.5   no    no    no       50-64  -
11  M   52    5.0   1.5   yes   yes   no       50-64  -
12  M   35    1.0   0.0   no    no    no       30-49  -
13  M   90   14.0   9.0   yes   yes   yes      85+    both     no: treated
14  M   70    4.5   1.2   no    no    blank    65-74  -
15  M   85    7.0   4.0   yes   no    no       85+    hip      yes (4.0, 3.0)
16  F   30    0.5   0.05  no    no    no       30-49  -

Scored 16: women 9 (30-49: 2, 50-64: 2, 65-74: 3, 75-84: 1, 85+: 1),
           men 7 (30-49: 1, 50-64: 2, 65-74: 1, 75-84: 1, 85+: 2).
Meet CG146 10: women 6 (50-64: 1, 65-74: 3, 75-84: 1, 85+: 1), men 4 (50-64: 1, 75-84: 1, 85+: 2).
At or above the MOF cut-off 5 (women 4: #1, 3, 6, 8; men 1: #13);
at or above the hip cut-off 6 (women 3: #2, 3, 6; men 3: #9, 13, 15);
at or above either 8 (women 5, men 3).
Previous fracture 5 (#2, 3, 8, 11, 13); of them at or above a cut-off 4 (#2, 3, 8, 13);
their treatment: 2 treated (#2, 13), 3 not (#3, 8, 11), 0 blank.
Treatment of the 8 at or above a cut-off: 2 treated (#2, 13), 5 not (#1, 3, 8, 9, 15),
1 blank (#6). Blank or unreadable on_bone_treatment in the whole list: 3 (#5, 6, 14).
The estimate covers the 6 at or above a cut-off and not treated (#1, 3, 6, 8, 9, 15):
hip risks 2.0 + 12.5 + 20.0 + 1.0 + 3.0 + 4.0 = 42.5 (percent);
other major risks 10.0 + 12.5 + 11.0 + 9.0 + 3.0 + 3.0 = 48.5 (percent).
MOF bins (2.5 wide, the 13th is 30 and over): 3, 3, 3, 2, 2, 1, 0, 0, 0, 0, 1, 0, 1.
Hip bins (0.5 wide, the 21st is 10 and over): 4, 1, 2, 1, 1, 1, 1, 1, 1, 0 (x9 to bin 17), 1, 0, 2.
"""

import numpy as np

from webapp.risk.report import CutOffs, ReportTally, ScoredColumns

CUT_OFFS = CutOffs(major_osteoporotic=10.0, hip=3.0)

PEOPLE = [
    # (female, age, MOF %, hip %, meets CG146, previous fracture, on_bone_treatment)
    (True, 67, 12.0, 2.0, True, False, 0),
    (True, 72, 8.0, 3.5, True, True, 1),
    (True, 80, 25.0, 12.5, True, True, 0),
    (True, 55, 4.0, 0.4, True, False, 0),
    (True, 45, 2.0, 0.1, False, False, -1),
    (True, 88, 31.0, 20.0, True, False, -1),
    (True, 62, 9.99, 2.99, False, False, 0),
    (True, 66, 10.0, 1.0, True, True, 0),
    (False, 78, 6.0, 3.0, True, False, 0),
    (False, 60, 3.0, 0.5, False, False, 0),
    (False, 52, 5.0, 1.5, True, True, 0),
    (False, 35, 1.0, 0.0, False, False, 0),
    (False, 90, 14.0, 9.0, True, True, 1),
    (False, 70, 4.5, 1.2, False, False, -1),
    (False, 85, 7.0, 4.0, True, False, 0),
    (True, 30, 0.5, 0.05, False, False, 0),
]


def columns_of(people, with_treatment: bool = True) -> ScoredColumns:
    """ScoredColumns for these people, as the engine would hand them over for a batch."""
    female, age, mof, hip, meets, previous, treated = zip(*people, strict=True)
    return ScoredColumns(
        female=np.array(female, dtype=bool),
        age=np.array(age, dtype=np.int64),
        major_osteoporotic=np.array(mof, dtype=float),
        hip=np.array(hip, dtype=float),
        meets_nice_cg146=np.array(meets, dtype=bool),
        previous_fracture=np.array(previous, dtype=bool),
        on_bone_treatment=np.array(treated, dtype=np.int8) if with_treatment else None,
    )


# Refusal reasons exactly as webapp/risk/practice_list.py and profile.py write them.
REFUSALS = [
    "age must be a whole number from 30 to 100 years; got 29.",
    "age must be a whole number from 30 to 100 years; got 'Smith'.",
    "sex must be F or M (female or male); got 'X'.",
    "sex must be F or M (female or male); got ''.",
    "This row has 7 values but the header has 9.",
    "No BMI, and no height_cm and weight_kg to work it out from.",
    "A BMI of 250.0 is not plausible (expected 10 to 100 kg/m²): check the height is in "
    "centimetres and the weight in kilograms.",
    "falls must be yes or no (1/0, yes/no, y/n, true/false); got 'maybe'.",
]


def hundred_times() -> ReportTally:
    """The hand-worked list and refusals 100 times over (1,600 people scored, 800 refused),
    so that no count is too small to show."""
    tally = ReportTally(CUT_OFFS)
    for _ in range(100):
        tally.add_scored(columns_of(PEOPLE))
        tally.add_refused(REFUSALS)
    return tally
