"""The only trace a completed self-check leaves: one added to an anonymous weekly count.

The count keeps the week (starting Monday), the sex, a ten-year age band and a band of the
10-year major osteoporotic fracture risk. Bands are wide on purpose, so a row can never
point to one person. The risk bands are for counting only: they are not clinical
thresholds (NOGG's intervention thresholds are defined on FRAX, not QFracture).

The increment is a single INSERT ... ON CONFLICT DO UPDATE, so two checks finishing at
the same moment both count, on SQLite and on PostgreSQL alike. The caller commits.
"""

from datetime import date, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.models import CompletedCheckCount

# Age bands: 30-39, 40-49, ... 80-89, and 90-100 (the equations stop at 100).
OLDEST_BAND_STARTS = 90
OLDEST_AGE = 100
RISK_BANDS = (
    (10.0, "MOF under 10%"),
    (20.0, "MOF 10-20%"),
)
HIGHEST_RISK_BAND = "MOF 20% or more"
_DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_UNIQUE_COLUMNS = ("week_starting", "sex", "age_band", "risk_band")


def week_starting(today: date) -> date:
    """The Monday of the week `today` falls in."""
    return today - timedelta(days=today.weekday())


def age_band(age: int) -> str:
    """A ten-year band such as "60-69"; 90 to 100 share one band."""
    start = min(age // 10 * 10, OLDEST_BAND_STARTS)
    end = OLDEST_AGE if start == OLDEST_BAND_STARTS else start + 9
    return f"{start}-{end}"


def risk_band(major_osteoporotic_percent: float) -> str:
    """The band of the 10-year major osteoporotic fracture risk: under 10%, 10-20%, 20% or more."""
    for upper, band in RISK_BANDS:
        if major_osteoporotic_percent < upper:
            return band
    return HIGHEST_RISK_BAND


def record_completed_check(
    session: Session, *, today: date, sex: str, age: int, major_osteoporotic_percent: float
) -> None:
    """Add one to the count for this week, sex, age band and risk band (the caller commits)."""
    values = {
        "week_starting": week_starting(today),
        "sex": sex,
        "age_band": age_band(age),
        "risk_band": risk_band(major_osteoporotic_percent),
    }
    insert = _DIALECT_INSERTS[session.get_bind().dialect.name]
    table = CompletedCheckCount.__table__
    statement = (
        insert(table)
        .values(**values, completed=1)
        .on_conflict_do_update(
            index_elements=list(_UNIQUE_COLUMNS),
            set_={"completed": table.c.completed + 1},
        )
    )
    session.execute(statement)
