"""Views for the listing admin pages: thin, each calls one service and commits once."""

import functools
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import markdown
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from webapp.blueprints.admin_listings import bp
from webapp.blueprints.admin_listings.forms import ConfirmForm, ListingForm, UploadForm
from webapp.clock import uk_today
from webapp.extensions import db
from webapp.groups import csv_io, listings
from webapp.groups.checking import needs_checking
from webapp.groups.validation import COLUMNS, check_listing, parse_date, values_from_group
from webapp.models.groups import SupportGroup

FORMAT_GUIDE = Path(__file__).resolve().parents[3] / "docs" / "listings-csv.md"
GROUPS_PER_PAGE = 50
PASSED_MEETINGS_NAMED = 3
SAMPLE_FILE = Path(__file__).resolve().parents[3] / "data" / "sample-listings.csv"
# Values a listing keeps from before when it is edited: they have their own buttons.
KEPT_ON_EDIT = ("example", "hidden", "checked_by", "checked_on")


def _actor():
    return current_user._get_current_object()


@bp.route("/")
def group_list():
    """Every support group listing, with when it was last checked."""
    page = db.paginate(
        select(SupportGroup).order_by(SupportGroup.name),
        per_page=GROUPS_PER_PAGE, max_per_page=GROUPS_PER_PAGE,
    )  # fmt: skip
    return render_template(
        "admin_listings/list.html",
        page=page,
        today=uk_today(),
        needs_checking=needs_checking,
    )


@bp.route("/add", methods=["GET", "POST"])
def add_group():
    """Add a support group listing."""
    form = ListingForm()
    if form.is_submitted():
        details = _checked_details(form, {})
        save = partial(listings.add_group, db.session, details, _actor())
        if details is not None and _saved(form, save):
            flash(f"{details.name} has been added.")
            return redirect(url_for("admin_listings.group_list"))
    return _form_page(form, group=None)


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
def edit_group(group_id: int):
    """Change a listing's details."""
    group = db.get_or_404(SupportGroup, group_id)
    values = values_from_group(group, uk_today())
    kept = {name: values[name] for name in KEPT_ON_EDIT}
    form = ListingForm(data=values | {"next_meeting_date": parse_date(values["next_meeting_date"])})
    if form.is_submitted():
        details = _checked_details(form, kept)
        save = partial(listings.update_group, db.session, group, details, _actor())
        if details is not None and _saved(form, save):
            flash(f"{group.name} has been changed.")
            return redirect(url_for("admin_listings.group_list"))
    return _form_page(form, group=group)


def _form_page(form: ListingForm, group: SupportGroup | None):
    example = uk_today() + timedelta(weeks=4)
    return render_template(
        "admin_listings/form.html",
        form=form,
        group=group,
        date_hint=(
            "Needed if the meetings repeat or have a start time. "
            f"For example, {example.day} {example.month} {example.year}"
        ),
        today=uk_today(),
        needs_checking=needs_checking,
    )


def _checked_details(form: ListingForm, kept: dict):
    """Clean details if the form and the shared checks both pass, else None.

    Both always run, so every problem is shown at once. A field the form already
    found wrong (a date that is not a real date, say) keeps only that message.
    """
    form_ok = form.validate()
    values = {name: _as_text(form[name].data) for name in COLUMNS if name in form} | kept
    details, errors = check_listing(values, uk_today())
    for name, message in errors.items():
        if name not in form:
            form.form_errors.append(message)
        elif not form[name].errors:
            form[name].errors = [message]
    return details if form_ok else None


def _as_text(value) -> str | None:
    """A form value as the shared checks read it: dates in ISO form, as the CSV allows."""
    return value.isoformat() if isinstance(value, date) else value


def _saved(form: ListingForm, save) -> bool:
    """Save, mark checked if asked, and commit; False (with a message) if the reference clashes."""
    try:
        group = save()
    except listings.DuplicateReferenceError:
        form.reference.errors = [*form.reference.errors, "Another listing uses this reference"]
        return False
    if form.checked.data == "yes":
        listings.mark_checked(db.session, group, _actor(), uk_today())
    db.session.commit()
    return True


@bp.route("/<int:group_id>/hide", methods=["POST"])
def hide_group(group_id: int):
    """Hide a listing from the public finder."""
    return _set_hidden(group_id, True)


@bp.route("/<int:group_id>/show", methods=["POST"])
def show_group(group_id: int):
    """Show a hidden listing in the public finder again."""
    return _set_hidden(group_id, False)


def _set_hidden(group_id: int, hidden: bool):
    group = db.get_or_404(SupportGroup, group_id)
    if ConfirmForm().validate_on_submit():
        listings.set_hidden(db.session, group, hidden, _actor())
        db.session.commit()
        flash(f"{group.name} is now {'hidden from' if hidden else 'shown to'} the public.")
    return redirect(url_for("admin_listings.edit_group", group_id=group.id))


@bp.route("/<int:group_id>/mark-checked", methods=["POST"])
def mark_checked(group_id: int):
    """Record that the signed-in admin confirmed the listing's details today."""
    group = db.get_or_404(SupportGroup, group_id)
    if ConfirmForm().validate_on_submit():
        listings.mark_checked(db.session, group, _actor(), uk_today())
        db.session.commit()
        flash(f"{group.name} has been marked as checked today.")
    return redirect(url_for("admin_listings.group_list"))


@bp.route("/<int:group_id>/delete", methods=["GET", "POST"])
def delete_group(group_id: int):
    """Confirm, then delete a listing for good."""
    group = db.get_or_404(SupportGroup, group_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = group.name
        listings.delete_group(db.session, group, _actor())
        db.session.commit()
        flash(f"{name} has been deleted.")
        return redirect(url_for("admin_listings.group_list"))
    return render_template("admin_listings/delete.html", group=group, form=form)


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    """Import a CSV file of listings: all of it, or none of it."""
    form = UploadForm()
    problems = []
    if form.validate_on_submit():
        problems, result = _import(form)
        if result is not None:
            db.session.commit()
            flash(f"Imported the file: {result.added} listings added, {result.updated} changed.")
            if result.passed_meetings:
                flash(_passed_meetings_message(result.passed_meetings))
            return redirect(url_for("admin_listings.group_list"))
    return render_template("admin_listings/upload.html", form=form, problems=problems)


def _passed_meetings_message(passed: tuple) -> str:
    """One short message (it rides in the session cookie) naming the first few rows."""
    shown = "; ".join(
        f"line {item.line} ({item.reference}) next meets on {item.next_on:%d/%m/%Y}"
        for item in passed[:PASSED_MEETINGS_NAMED]
    )
    more = len(passed) - PASSED_MEETINGS_NAMED
    return (
        f"{len(passed)} listing{'s' if len(passed) != 1 else ''} had a meeting date that has "
        f"passed, so the next meeting was worked out from the repeat rule: {shown}"
        + (f", and {more} more." if more > 0 else ".")
    )


def _import(form: UploadForm):
    """(problems, result): the file's problems and no result, or the import's result."""
    upload = form.listings.data
    if upload is None or not getattr(upload, "filename", ""):
        form.listings.errors = [*form.listings.errors, "Choose a CSV file to upload"]
        return [], None
    data = upload.read(csv_io.MAX_IMPORT_BYTES + 1)
    try:
        return [], csv_io.import_listings(db.session, data, uk_today(), _actor())
    except csv_io.ListingFileError as error:
        message = str(error)
        problems = []
    except csv_io.ListingRowsError as error:
        message = f"The file has {len(error.problems)} problems. Nothing was imported"
        problems = error.problems
    db.session.rollback()
    form.listings.errors = [*form.listings.errors, message]
    return problems, None


@bp.route("/upload/format")
def file_format():
    """The guide to the listings file (docs/listings-csv.md), as a page staff can read."""
    return render_template("admin_listings/format.html", guide=_format_guide())


@functools.cache
def _format_guide() -> Markup:
    # The repository's own guide, so the page and the document can never disagree.
    text = FORMAT_GUIDE.read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "toc"], output_format="html")
    return Markup(html.replace("<table>", '<table class="nhsuk-table">'))


@bp.route("/blank.csv")
def blank_file():
    """A CSV file with only the column names, to fill in."""
    return _csv_download(",".join(COLUMNS) + "\r\n", "support-group-listings-blank.csv")


@bp.route("/example.csv")
def example_file():
    """The made-up example listings (data/sample-listings.csv), to copy from."""
    if not SAMPLE_FILE.is_file():
        abort(404)
    body = SAMPLE_FILE.read_text(encoding="utf-8")
    return _csv_download(body, "support-group-listings-example.csv")


def _csv_download(body: str, filename: str) -> Response:
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/export.csv")
def export():
    """Every listing as a CSV file in the import format."""
    body = csv_io.export_listings(db.session, uk_today())
    return _csv_download(body, f"support-group-listings-{uk_today():%Y-%m-%d}.csv")
