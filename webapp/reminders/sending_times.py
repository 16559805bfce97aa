"""When a patient's texts may go: their chosen UK time, inside the service's sending hours.

Pure: the planner turns a day and these rules into the naive-UTC `send_at` it
stores. Sending hours run from `starts` up to, not including, `ends` (07:00 to
21:00 unless the service sets others), and the medicine's window (a morning
for alendronic and ibandronic acid) narrows the patient's time first.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from webapp.clock import uk_now, utc_from_uk
from webapp.reminders.medicines import Medicine

# Planning asks the same few days and times for many patients: convert each once.
_utc_from_uk = lru_cache(maxsize=16384)(utc_from_uk)


@lru_cache(maxsize=4096)
def _clamped(chosen: time, starts: time, ends: time, window: tuple[time, time] | None) -> time:
    if window is not None:
        chosen = min(max(chosen, window[0]), window[1])
    last = (datetime.combine(date.min, ends) - timedelta(minutes=1)).time()
    return min(max(chosen, starts), last)


@dataclass(frozen=True)
class SendingRules:
    """A patient's reminder time and their service's sending hours (UK wall-clock)."""

    reminder_time: time
    starts: time
    ends: time

    def time_for(self, entry: Medicine | None = None) -> time:
        """The patient's time moved into the medicine's window, then into the sending hours.

        The hours end before `ends`, and sending hours never include 01:00-02:00, so
        the hour the clocks change never holds a reminder."""
        window = entry.reminder_window if entry is not None else None
        return _clamped(self.reminder_time, self.starts, self.ends, window)

    def send_at(self, day: date, entry: Medicine | None = None) -> datetime:
        """The naive-UTC moment of this patient's reminder time on the UK date `day`."""
        return _utc_from_uk(day, self.time_for(entry))

    def next_moment(self, now: datetime) -> datetime:
        """`now` if inside the sending hours, else when they next open (for the welcome)."""
        local = uk_now(now)
        clock = local.time().replace(tzinfo=None)
        if self.starts <= clock < self.ends:
            return now
        day = local.date() if clock < self.starts else local.date() + timedelta(days=1)
        return utc_from_uk(day, self.starts)
