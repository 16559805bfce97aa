"""The public support group finder: search by postcode district, browse by region."""

from flask import Blueprint

bp = Blueprint("groups", __name__)


@bp.record_once
def _keep_pages(state) -> None:
    """Each app keeps the finder's search pages it has drawn (webapp/groups/kept_pages.py)."""
    from webapp.groups import kept_pages

    kept_pages.register(state.app)


@bp.record_once
def _card_drawing(state) -> None:
    """Group cards drawn in Python (webapp/groups/cards.py), for every page that lists groups."""
    from webapp.groups.cards import group_card

    state.app.jinja_env.globals["finder_group_card"] = group_card


@bp.app_context_processor
def _finder_helpers() -> dict:
    """The finder's wording, date and time formats and the postcode data's attribution, everywhere.

    App-wide because the sources page and the self-check result show them too.
    """
    from webapp.groups import wording
    from webapp.groups.meetings import clock_time, tidy_times
    from webapp.postcodes import ATTRIBUTION_LINES, LICENCE_NAME, LICENCE_URL

    return {
        "wording": wording,
        "long_date": lambda day: f"{day:%A} {day.day} {day:%B %Y}",
        "clock_time": clock_time,
        "tidy_times": tidy_times,
        "postcode_attribution": ATTRIBUTION_LINES,
        "postcode_licence_name": LICENCE_NAME,
        "postcode_licence_url": LICENCE_URL,
    }


from webapp.blueprints.groups import views  # noqa: E402,F401  (routes attach to bp)
