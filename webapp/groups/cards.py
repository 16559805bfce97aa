"""A support group's card on the finder's pages, drawn in Python.

A results page shows up to 25 cards, and most searches draw their page afresh
(people search from all over Great Britain): as a Jinja macro the cards were
nearly half the cost of drawing a page. This draws the same HTML, byte for byte,
as the macro it replaced (tests/groups/test_cards.py keeps that macro to compare).
"""

from flask import url_for
from markupsafe import Markup, escape

from webapp.formatting import summary_row
from webapp.groups import wording
from webapp.groups.meetings import clock_time, tidy_times
from webapp.models.groups import BOTH

_EXAMPLE_TAG = '<strong class="nhsuk-tag nhsuk-tag--grey">Example listing</strong>'
_ALSO_ONLINE_TAG = '<strong class="nhsuk-tag nhsuk-tag--blue">Also meets online</strong>'
_CAUTION = (
    '        <p class="nhsuk-body-s"><strong>Caution:</strong> '
    f"{escape(wording.STALE_CAUTION)}</p>\n"
)


def group_card(found, heading_level=3, also_online=False, came_from=None) -> Markup:
    """A group's card: its name linking to its page, tags, where and when it meets.

    `also_online` marks a group that meets in person and online, on a page whose
    online list leaves it out; `came_from` (district and miles) is the search the
    card is shown for, so the group's page leads back to it.
    """
    group = found.group
    link = escape(url_for("groups.group", group_id=group.id, **(came_from or {})))
    both = also_online and group.meeting_format == BOTH
    parts = [
        '  <div class="nhsuk-card">\n    <div class="nhsuk-card__content">\n',
        f'      <h{heading_level} class="nhsuk-card__heading nhsuk-heading-m">\n',
        f'        <a href="{link}">{escape(group.name)}</a>\n      </h{heading_level}>\n',
    ]
    if group.is_example or both:
        tags = (_ALSO_ONLINE_TAG if both else "") + (_EXAMPLE_TAG if group.is_example else "")
        parts.append(f"        <p>{tags}</p>\n")
    parts.append('      <dl class="nhsuk-summary-list">\n')
    if found.about_miles is not None:
        unit = " mile" if found.about_miles == 1 else " miles"
        parts.append(f"          {summary_row('Distance', f'About {found.about_miles}{unit}')}\n")
    parts.append(f"        {summary_row('Where', _where(group))}\n")
    parts.append(f"        {summary_row('When', tidy_times(group.meeting_pattern))}\n")
    parts.append(f"        {summary_row('Next meeting', _next_meeting(found))}\n")
    if group.cost:
        parts.append(summary_row("Cost", group.cost))
    parts.append("      </dl>\n")
    if found.needs_checking:
        parts.append(_CAUTION)
    parts.append("    </div>\n  </div>\n")
    return Markup("".join(parts))


def _where(group) -> str:
    """The town and venue, or "Online"; "and online" for a group that meets both ways."""
    if not group.meets_in_person:
        return "Online"
    venue = f", {group.venue_name}" if group.venue_name else ""
    return group.town + venue + (" and online" if group.meeting_format == BOTH else "")


def _next_meeting(found) -> str:
    """The next meeting's date and times, or where to ask for it."""
    group, day = found.group, found.meeting.on
    if not day:
        return "Contact the group for the next date"
    when = f"{day:%A} {day.day} {day:%B %Y}"
    if not group.starts_at:
        return when
    times = clock_time(group.starts_at)
    if group.ends_at:
        times += f" to {clock_time(group.ends_at)}"
    return f"{when}, {times}"
