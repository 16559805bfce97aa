"""The only trace a self-check leaves: an anonymous count."""

from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base


class CompletedCheckCount(Base):
    """How many self-checks were completed in a week, by sex, age band and risk band.

    Nothing here identifies a person: no answers, no postcode, no exact age, no
    time of day. One row a combination, its count incremented.
    """

    __tablename__ = "completed_check_count"
    __table_args__ = (UniqueConstraint("week_starting", "sex", "age_band", "risk_band"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_starting: Mapped[date]
    sex: Mapped[str] = mapped_column(String(6))
    age_band: Mapped[str] = mapped_column(String(8))
    risk_band: Mapped[str] = mapped_column(String(24))
    completed: Mapped[int] = mapped_column(default=0)
