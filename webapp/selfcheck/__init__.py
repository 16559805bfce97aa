"""The public self-check's rules, in plain Python (no Flask).

- `answers`: the questions, their order, and how answers become a RiskProfile;
- `measurements`: reading typed numbers, imperial units, age from a date of birth;
- `result`: both risks in words, what changed them, and the reasons to see a GP;
- `advice`: every clinical sentence the self-check shows (traced in docs/clinical/advice.md);
- `counting`: the anonymous weekly count of completed checks.
"""
