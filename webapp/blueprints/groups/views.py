"""Views for the support group finder.

The typed postcode arrives by POST, is reduced to its district, and the person
is redirected to a results address that carries only the district
(/groups/near/DH1?miles=25), so a full postcode never appears in a URL,
a server's request log or the browser's history.
"""

from flask import Response, abort, redirect, render_template, request, url_for

from webapp.blueprints.groups import bp
from webapp.blueprints.groups.forms import FindGroupForm
from webapp.clock import uk_now, uk_today
from webapp.extensions import db
from webapp.groups import kept_pages, search
from webapp.groups.checking import needs_checking
from webapp.groups.listings import next_meeting_of
from webapp.groups.regions import NATIONS, NORTHERN_IRELAND, REGIONS, find_region
from webapp.models.groups import SupportGroup
from webapp.numbers import read_whole_number
from webapp.postcodes import (
    PostcodeError,
    UnknownDistrictError,
    district_centre,
    is_northern_ireland,
    parse_outcode,
)
from webapp.postcodes.places import place_meant
from webapp.urls import page_number

PER_PAGE = 20
NORTHERN_IRELAND_CODE = "northern-ireland"


@bp.route("/", methods=["GET", "POST"])
def find():
    """Ask for a postcode; send the person to the results for its district."""
    form = FindGroupForm()
    if form.validate_on_submit():
        if form.district:
            return redirect(url_for("groups.near", district=form.district))
        return _town(form)
    online, online_total = [], 0
    if form.errors:
        online, online_total = search.online_groups(db.session, uk_today(), search.MOST_ONLINE)
    return render_template(
        "groups/find.html", form=form, online=online, online_total=online_total, **_regions()
    )


@bp.route("/near/<district>")
def near(district: str):
    """Groups and Fracture Liaison Services near a district, or a page that helps instead."""
    try:
        parsed = parse_outcode(district)
    except PostcodeError:
        abort(404)
    miles = _miles()
    if parsed != district:
        return redirect(url_for("groups.near", district=parsed, miles=miles))
    today = uk_today()
    # The same for everyone until a listing changes: kept (webapp/groups/kept_pages.py).
    return kept_pages.kept_page(
        db.engine, ("near", parsed, miles), today,
        lambda version: _near_page(parsed, miles, today, version),
    )  # fmt: skip


def _near_page(district: str, miles: int, today, version: int | None) -> str:
    """Draw the results for a district, or the page for one without distances, for the
    listings at `version` (None: not known)."""
    if is_northern_ireland(district):
        return _northern_ireland(district, today)
    try:
        centre = district_centre(district)
    except UnknownDistrictError:
        return _help_page("groups/unknown_district.html", district, today)
    shared = kept_pages.shared_listings(db.session, version)
    found = search.find_groups_near(db.session, centre, miles, today, shared)
    return render_template(
        "groups/results.html", search=found, choices=search.DISTANCE_CHOICES,
        form=_search_again(), **_regions(),
    )  # fmt: skip


def _search_again() -> FindGroupForm:
    """An empty postcode box for another search (only a district is ever in the URL)."""
    return FindGroupForm(formdata=None)


def _came_from() -> dict | None:
    """The search a group's page was opened from (?near=DH1&miles=25), checked, or None."""
    try:
        district = parse_outcode(request.args.get("near") or "")
    except PostcodeError:
        return None
    return {"near": district, "miles": _miles()}


def _town(form: FindGroupForm):
    """Straight to the town's results when only one place can be meant; else a choice."""
    meant = place_meant(form.places, form.postcode.data)
    if meant is not None:
        return redirect(_place_url(meant))
    choices = [(place, _place_url(place)) for place in form.places]
    return render_template("groups/choose_place.html", typed=form.postcode.data.strip(),
                           choices=choices, form=_search_again())  # fmt: skip


def _place_url(place) -> str:
    """The results for the district nearest a place; Northern Ireland's groups for a place
    there, as the GB district table has no Northern Ireland districts."""
    if place.district is None:
        return url_for("groups.region", code=NORTHERN_IRELAND_CODE)
    return url_for("groups.near", district=place.district)


def _miles() -> int:
    miles = read_whole_number(request.args.get("miles"))
    return miles if miles in search.DISTANCE_CHOICES else search.DEFAULT_MILES


def _help_page(template: str, district: str, today):
    online, online_total = search.online_groups(db.session, today, search.MOST_ONLINE)
    return render_template(
        template,
        district=district,
        online=online,
        online_total=online_total,
        services=search.find_services_near(db.session, district),
        form=_search_again(),
        **_regions(),
    )


def _northern_ireland(district: str, today):
    """Distances cannot be worked out for a BT postcode, so list Northern Ireland's groups."""
    groups, total = search.groups_in_region(db.session, NORTHERN_IRELAND_CODE, today, PER_PAGE)
    online, online_total = search.online_groups(
        db.session, today, search.MOST_ONLINE, leave_out=search.listed_ids(groups)
    )
    return render_template(
        "groups/northern_ireland.html",
        district=district,
        groups=groups,
        total=total,
        online=online,
        online_total=online_total,
        services=search.find_services_near(db.session, district),
        form=_search_again(),
        # The other nations and regions: Northern Ireland's groups are on this page.
        regions=[region for region in REGIONS if region.code != NORTHERN_IRELAND_CODE],
        nations=[nation for nation in NATIONS if nation != NORTHERN_IRELAND],
    )


def _regions() -> dict:
    return {"regions": REGIONS, "nations": NATIONS}


@bp.route("/regions")
def regions():
    """Every nation and region, for people whose postcode cannot help."""
    return render_template("groups/regions.html", **_regions())


@bp.route("/regions/<code>")
def region(code: str):
    """Every group listed in one region, with the groups that meet online."""
    chosen = find_region(code)
    if chosen is None:
        abort(404)
    today = uk_today()
    page = page_number()
    groups, total = search.groups_in_region(
        db.session, chosen.code, today, PER_PAGE, (page - 1) * PER_PAGE
    )
    online, online_total = search.online_groups(
        db.session, today, search.MOST_ONLINE, leave_out=search.listed_ids(groups)
    )
    return render_template(
        "groups/region.html",
        region=chosen,
        groups=groups,
        total=total,
        page=page,
        pages=_page_count(total, page),
        online=online,
        online_total=online_total,
        **_regions(),
    )


@bp.route("/online")
def online():
    """Every group that meets online, a page at a time."""
    page = page_number()
    groups, total = search.online_groups(db.session, uk_today(), PER_PAGE, (page - 1) * PER_PAGE)
    return render_template(
        "groups/online.html", groups=groups, total=total, page=page, pages=_page_count(total, page)
    )


def _page_count(total: int, page: int) -> int:
    """How many pages `total` groups fill; a page past the end is not found."""
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    return pages


@bp.route("/<int:group_id>")
def group(group_id: int):
    """One group's page: how and when it meets, and how to get in touch."""
    listing = _visible_group(group_id)
    today = uk_today()
    return render_template(
        "groups/group.html",
        group=listing,
        meeting=next_meeting_of(listing, today, count=3),
        stale=needs_checking(listing.checked_on, today),
        came_from=_came_from(),
    )


@bp.route("/<int:group_id>/next-meeting.ics")
def calendar(group_id: int):
    """The group's next meeting as a calendar file, to add to a phone or computer."""
    listing = _visible_group(group_id)
    now = uk_now()
    meeting = next_meeting_of(listing, now.date())
    if meeting.on is None:
        abort(404)
    # icalendar takes a fifth of a second to import: only when a calendar file is drawn,
    # not in every worker's and every command's start-up.
    from webapp.groups.ics import group_meeting_calendar

    data = group_meeting_calendar(
        listing,
        meeting.on,
        now,
        url_for("groups.group", group_id=listing.id, _external=True),
        request.host.split(":")[0] or "bonecheck",
    )
    filename = f"support-group-{meeting.on:%Y-%m-%d}.ics"
    return Response(
        data,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _visible_group(group_id: int) -> SupportGroup:
    listing = db.session.get(SupportGroup, group_id)
    if listing is None or listing.hidden:
        abort(404)
    return listing
