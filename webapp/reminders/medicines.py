"""The medicine catalogue: how each osteoporosis medicine is given, and what a reminder says.

Data, one entry a medicine, keyed by the codes the patient CSV uses. Every fact
here (dose, interval, the time it must be taken in, the short instruction, the
missed-dose rule, the course length) is traced to its source in
`docs/clinical/medicines.md`; change a fact and its line there together.
Pure Python: the schedule rules, the wording and the forms all read it.
"""

from dataclasses import dataclass
from datetime import time
from enum import StrEnum


class Route(StrEnum):
    TABLET = "tablet"
    INJECTION = "injection"
    INFUSION = "infusion"


class GivenAt(StrEnum):
    HOME = "home"  # the patient takes it: a text at their chosen time on the due day
    CLINIC = "clinic"  # a professional gives it: a text to book it, then one on the due date


class UnknownMedicine(ValueError):
    """A medicine code that is not in the catalogue."""


# "First thing in the morning on an empty stomach": BoneCheck reads this as a
# reminder between 06:00 and 10:00 UK time (docs/clinical/medicines.md, MORNING).
MORNING = (time(6, 0), time(10, 0))


@dataclass(frozen=True)
class Medicine:
    """One medicine as the reminders need it."""

    code: str
    name: str  # as a patient reads it on the box and in a text
    dose: str
    route: Route
    given_at: GivenAt
    every_days: int | None  # 1 daily, 7 weekly; None when counted in months
    every_months: int | None  # 1 monthly, 6, 12; None when counted in days
    times_a_day: int
    reminder_window: tuple[time, time] | None  # earliest and latest reminder time, UK
    instruction: str  # the short instruction a reminder carries
    missed_dose: str | None  # what to do about a missed dose, in plain English
    course_doses: int | None  # a course of this many doses, then stop
    course_months: int | None  # a course of this many months, then stop
    book_ahead_days: int | None  # clinic medicines: the booking text goes this long ahead
    follow_up_days: int | None  # one follow-up this many days after an unanswered prompt
    source: str  # keys into docs/clinical/medicines.md

    @property
    def is_daily(self) -> bool:
        return self.every_days == 1

    @property
    def is_weekly(self) -> bool:
        return self.every_days == 7

    @property
    def in_clinic(self) -> bool:
        return self.given_at == GivenAt.CLINIC

    @property
    def has_course(self) -> bool:
        """Whether treatment stops after a set course (teriparatide, romosozumab)."""
        return self.course_doses is not None or self.course_months is not None

    @property
    def label(self) -> str:
        """The name and dose, as a nurse reads it in a list: "Alendronic acid 70 mg"."""
        return f"{self.name[0].upper()}{self.name[1:]} {self.dose}"


_CATALOGUE = (
    Medicine(
        code="alendronic_acid_weekly",
        name="alendronic acid",
        dose="70 mg",
        route=Route.TABLET,
        given_at=GivenAt.HOME,
        every_days=7,
        every_months=None,
        times_a_day=1,
        reminder_window=MORNING,
        instruction=(
            "Take it first thing, before food or drink, with a full glass of plain tap water. "
            "Stay sitting or standing for 30 minutes."
        ),
        missed_dose=(
            "Take one tablet the morning after you remember, then go back to your usual day. "
            "Never take 2 tablets on the same day."
        ),
        course_doses=None,
        course_months=None,
        book_ahead_days=None,
        follow_up_days=1,
        source="NHS-ALN, PIL-ALN",
    ),
    Medicine(
        code="risedronate_weekly",
        name="risedronate",
        dose="35 mg",
        route=Route.TABLET,
        given_at=GivenAt.HOME,
        every_days=7,
        every_months=None,
        times_a_day=1,
        # Another time of day is allowed, with nothing but water 2 hours either side.
        reminder_window=None,
        instruction=(
            "Take it with a glass of plain water on an empty stomach. "
            "Stay sitting or standing for 30 minutes."
        ),
        missed_dose=(
            "Take one tablet the morning after you remember, then go back to your usual day. "
            "Never take 2 tablets on the same day."
        ),
        course_doses=None,
        course_months=None,
        book_ahead_days=None,
        follow_up_days=1,
        source="NHS-RIS, PIL-RIS",
    ),
    Medicine(
        code="ibandronic_acid_monthly",
        name="ibandronic acid",
        dose="150 mg",
        route=Route.TABLET,
        given_at=GivenAt.HOME,
        every_days=None,
        every_months=1,
        times_a_day=1,
        reminder_window=MORNING,
        instruction=(
            "Take it first thing, before food or drink, with a full glass of plain water. "
            "Stay sitting or standing for 60 minutes."
        ),
        missed_dose=(
            "If your next dose is more than 7 days away, take one tablet the morning after you "
            "remember. If it is 7 days away or less, skip it. Never take 2 within 7 days."
        ),
        course_doses=None,
        course_months=None,
        book_ahead_days=None,
        follow_up_days=1,
        source="PIL-IBN, BHOF",
    ),
    Medicine(
        code="denosumab_6_monthly",
        name="denosumab",
        dose="60 mg",
        route=Route.INJECTION,
        given_at=GivenAt.CLINIC,
        every_days=None,
        every_months=6,
        times_a_day=1,
        reminder_window=None,
        instruction="Do not let it be more than 4 weeks late.",
        missed_dose=(
            "Have the overdue injection as soon as possible. The next one is 6 months after it."
        ),
        course_doses=None,
        course_months=None,
        book_ahead_days=28,
        follow_up_days=7,
        source="ROS-DEN, MHRA-DEN",
    ),
    Medicine(
        code="zoledronic_acid_yearly",
        name="zoledronic acid",
        dose="5 mg",
        route=Route.INFUSION,
        given_at=GivenAt.CLINIC,
        every_days=None,
        every_months=12,
        times_a_day=1,
        reminder_window=None,
        instruction="Drink extra fluids on the day of your drip.",
        missed_dose="Book it as soon as possible and tell your fracture liaison service.",
        course_doses=None,
        course_months=None,
        book_ahead_days=28,
        follow_up_days=7,
        source="ZOL-LEAFLET, BHOF",
    ),
    Medicine(
        code="teriparatide_daily",
        name="teriparatide",
        dose="20 micrograms",
        route=Route.INJECTION,
        given_at=GivenAt.HOME,
        every_days=1,
        every_months=None,
        times_a_day=1,
        reminder_window=None,
        instruction="Keep the pen in the fridge.",
        missed_dose=(
            "Inject as soon as you remember on the same day. Never have 2 injections in one day."
        ),
        course_doses=None,
        course_months=24,
        book_ahead_days=None,
        follow_up_days=1,
        source="TPTD",
    ),
    Medicine(
        code="romosozumab_monthly",
        name="romosozumab",
        dose="210 mg",
        route=Route.INJECTION,
        given_at=GivenAt.CLINIC,
        every_days=None,
        every_months=1,
        times_a_day=1,
        reminder_window=None,
        instruction="Keep taking your calcium and vitamin D.",
        missed_dose=(
            "Have the missed dose as soon as you can. The next one is at least a month after it."
        ),
        course_doses=12,
        course_months=None,
        book_ahead_days=7,
        follow_up_days=7,
        source="EVENITY-SMPC",
    ),
    Medicine(
        code="calcium_vitamin_d_daily",
        name="calcium and vitamin D",
        dose="as prescribed",
        route=Route.TABLET,
        given_at=GivenAt.HOME,
        every_days=1,
        every_months=None,
        times_a_day=2,
        reminder_window=None,
        instruction="Do not take it at the same time as a weekly or monthly bone tablet.",
        # The reference gives no missed-dose rule for it, so texts carry none.
        missed_dose=None,
        course_doses=None,
        course_months=None,
        book_ahead_days=None,
        follow_up_days=1,
        source="PIL-ALN, CARER",
    ),
)

MEDICINES: dict[str, Medicine] = {entry.code: entry for entry in _CATALOGUE}


def medicine(code: str) -> Medicine:
    """The catalogue entry for `code`; UnknownMedicine (a ValueError) if there is none."""
    try:
        return MEDICINES[code]
    except KeyError:
        raise UnknownMedicine(
            f"{code!r} is not a medicine code BoneCheck knows. Use one of: {', '.join(MEDICINES)}"
        ) from None


def reminder_time_problem(entry: Medicine, chosen: time) -> str | None:
    """Why `chosen` cannot be this medicine's reminder time, or None when it can.

    Alendronic and ibandronic acid are taken first thing on an empty stomach, so
    a reminder at 14:00 would give the wrong advice.
    """
    if entry.reminder_window is None:
        return None
    earliest, latest = entry.reminder_window
    if earliest <= chosen <= latest:
        return None
    return (
        f"{entry.name[0].upper()}{entry.name[1:]} is taken first thing in the morning: "
        f"choose a reminder time between {_clock(earliest)} and {_clock(latest)}"
    )


def _clock(moment: time) -> str:
    """09:30 as "9:30am", as people say it."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"
