"""How the nurse's and the admin's pages show figures: rates, FLS-DB colour bands, freshness.

Kept in one place so the service overview and the admins' figures page word a
rate, colour a KPI and say how fresh the figures are the same way.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from webapp.clock import to_uk

# FLS-DB's benchmark bands for KPIs 9-11 (../shared/reference/fls-audit.md, 1.1):
# green is 80% or more, amber 50-79%, red under 50%.
GREEN_FROM = 0.8
AMBER_FROM = 0.5
BANDS = {
    "green": ("Green", "nhsuk-tag--green"),
    "amber": ("Amber", "nhsuk-tag--orange"),
    "red": ("Red", "nhsuk-tag--red"),
}
# Rollups older than this are flagged on the page: every patient is worked out again each
# night (the refresh-all-measures job at 00:20), so a day and a bit means it has not run.
STALE_AFTER = timedelta(hours=26)

KPI_NAMES = {
    9: "Monitoring contact within 16 weeks of the fracture",
    10: "Treatment started by the 16-week follow-up",
    11: "Still on treatment 52 weeks after the fracture",
}
KPI_RESULTS = {
    "met": "Met", "not_met": "Not met", "not_due": "Not due",
    "no_fracture_date": "No fracture date", "no_treatment": "No bone medicine",
}  # fmt: skip
STATUS_NAMES = {
    "active": "Active", "paused": "Paused", "opted_out": "Opted out", "discharged": "Discharged",
}  # fmt: skip


def percent(fraction: float | None) -> str:
    """0.796 as "79.6%", 0.8 as "80%"; a dash when there is nothing to measure."""
    if fraction is None:
        return "–"
    text = f"{fraction * 100:.1f}".removesuffix(".0")
    return f"{text}%"


def fraction(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when nobody is counted."""
    return numerator / denominator if denominator else None


def rate_text(rate) -> str:
    """A rate as the nurse reads it: "12 of 20 (60%)", or "None counted yet"."""
    if not rate.denominator:
        return "None counted yet"
    share = percent(fraction(rate.numerator, rate.denominator))
    return f"{rate.numerator:,} of {rate.denominator:,} ({share})"


def band(rate) -> tuple[str, str] | None:
    """The FLS-DB colour band (name, tag class) of a rate; None when nobody is counted.

    Worked on the exact fraction, so 79.96% is amber even though it shows as 80%.
    """
    value = fraction(rate.numerator, rate.denominator)
    if value is None:
        return None
    if value >= GREEN_FROM:
        return BANDS["green"]
    return BANDS["amber"] if value >= AMBER_FROM else BANDS["red"]


def worked_out_at(computed_at: datetime | None, now: datetime) -> str | None:
    """When the figures were worked out, in UK time: "10:32 today" or "10:32 on 3 March 2026"."""
    if computed_at is None:
        return None
    local, today = to_uk(computed_at), to_uk(now).date()
    if local.date() == today:
        return f"{local:%H:%M} today"
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def is_stale(computed_at: datetime | None, now: datetime) -> bool:
    """True when the figures are older than STALE_AFTER (or were never worked out)."""
    return computed_at is None or now - computed_at > STALE_AFTER


def rate_percent(rate) -> str:
    """Just the percentage of a rate ("60%"), or a dash when nobody is counted."""
    if rate is None:
        return "–"
    return percent(fraction(rate.numerator, rate.denominator))


def kpi_band(rate) -> tuple[str, str] | None:
    """`band`, accepting None (a KPI with no figure yet)."""
    return band(rate) if rate is not None else None


# Offered to every template (the admins' figures page uses them too).
TEMPLATE_HELPERS = {"rate_text": rate_text, "rate_percent": rate_percent, "kpi_band": kpi_band,
                    "as_percent": percent}  # fmt: skip


@dataclass(frozen=True)
class Pages:
    """Which page of a list is shown, for the pagination links."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_shown(self) -> int:
        return min(self.total, (self.page - 1) * self.per_page + 1)

    @property
    def last_shown(self) -> int:
        return min(self.total, self.page * self.per_page)
