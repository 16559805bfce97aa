"""A group's card drawn in Python is what the Jinja macro it replaced drew, byte for byte."""

from datetime import date, time
from itertools import product

import pytest

from webapp.groups import wording
from webapp.groups.cards import group_card
from webapp.groups.listings import GroupMeeting
from webapp.groups.meetings import clock_time, tidy_times
from webapp.groups.search import FoundGroup, GroupCard

# The finder's macros for a card, before webapp/groups/cards.py drew it.
CARD_MACRO = """{% set row = summary_row %}
{% macro meeting_time(group) %}
  {%- if group.starts_at %}{{ clock_time(group.starts_at) }}{% if group.ends_at %} to {{ clock_time(group.ends_at) }}{% endif %}{% endif -%}
{% endmacro %}
{% macro group_card(found, heading_level=3, also_online=false, came_from=none) %}
  {% set group = found.group %}
  <div class="nhsuk-card">
    <div class="nhsuk-card__content">
      <h{{ heading_level }} class="nhsuk-card__heading nhsuk-heading-m">
        <a href="{{ url_for('groups.group', group_id=group.id, **(came_from or {})) }}">{{ group.name }}</a>
      </h{{ heading_level }}>
      {% if group.is_example or (also_online and group.meeting_format == "both") %}
        <p>
          {%- if also_online and group.meeting_format == "both" %}<strong class="nhsuk-tag nhsuk-tag--blue">Also meets online</strong>{% endif %}
          {% if group.is_example %}<strong class="nhsuk-tag nhsuk-tag--grey">Example listing</strong>{% endif -%}
        </p>
      {% endif %}
      <dl class="nhsuk-summary-list">
        {% if found.about_miles is not none %}
          {{ row("Distance", "About " ~ found.about_miles ~ (" mile" if found.about_miles == 1 else " miles")) }}
        {% endif %}
        {{ row("Where", group.town ~ (", " ~ group.venue_name if group.meets_in_person and group.venue_name else "") ~ (" and online" if group.meeting_format == "both" else "") if group.meets_in_person else "Online") }}
        {{ row("When", tidy_times(group.meeting_pattern)) }}
        {{ row("Next meeting", (long_date(found.meeting.on) ~ (", " ~ meeting_time(group) if group.starts_at else "")) if found.meeting.on else "Contact the group for the next date") }}
        {% if group.cost %}{{ row("Cost", group.cost) }}{% endif %}
      </dl>
      {% if found.needs_checking %}
        <p class="nhsuk-body-s"><strong>Caution:</strong> {{ wording.STALE_CAUTION }}</p>
      {% endif %}
    </div>
  </div>
{% endmacro %}
{{ group_card(found, heading_level, also_online, came_from) }}"""  # noqa: E501


def _found(meeting_format, example, miles, day, starts, ends, cost, stale, name="Hip & <Club>"):
    group = GroupCard(
        id=7, name=name, town="Durham", meeting_format=meeting_format, venue_name="St Mary's Hall",
        meeting_pattern="Second Tuesday of the month, 2.30 pm", repeats="monthly", skip_months="",
        next_meeting_on=day, starts_at=starts, ends_at=ends, cost=cost, is_example=example,
        checked_on=None,
    )  # fmt: skip
    return FoundGroup(group, miles, GroupMeeting(day, [day] if day else []), stale)


CARDS = [
    _found(*values)
    for values in product(
        ("in-person", "online", "both"), (False, True), (None, 0.4, 1.2, 12.6),
        (None, date(2026, 12, 8)), (None, time(14, 30)), (None, time(15, 0)),
        ("", "£2 & tea"), (False, True),
    )
]  # fmt: skip


@pytest.mark.parametrize(("heading_level", "also_online", "came_from"), [
    (3, False, None), (3, True, {"near": "DH1", "miles": 25}), (2, True, None),
])  # fmt: skip
def test_a_card_is_what_the_macro_drew(app, heading_level, also_online, came_from):
    template = app.jinja_env.from_string(CARD_MACRO)
    helpers = {
        "wording": wording, "clock_time": clock_time, "tidy_times": tidy_times,
        "long_date": lambda day: f"{day:%A} {day.day} {day:%B %Y}",
    }  # fmt: skip
    with app.test_request_context("/groups/near/DH1"):
        for found in CARDS:
            drawn = template.render(
                found=found, heading_level=heading_level, also_online=also_online,
                came_from=came_from, **helpers,
            )  # fmt: skip
            assert str(group_card(found, heading_level, also_online, came_from)) == drawn.lstrip(
                "\n"
            ), found


def test_what_a_listing_says_is_escaped_in_its_card(app):
    found = _found("both", False, 3.0, None, None, None, "<b>free</b>", True, name="<script>")
    with app.test_request_context("/groups/online"):
        card = str(group_card(found))
    assert "<script>" not in card and "&lt;script&gt;" in card
    assert "&lt;b&gt;free&lt;/b&gt;" in card
