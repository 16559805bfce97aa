"""The service overview: counts, adherence, FLS-DB KPIs 9-11, breakdowns, the patients behind
them, and a CSV export of exactly the table shown.

Every figure comes from the rollups (webapp.adherence.overview), so the page
costs a fixed number of queries whatever the number of patients, and says how
fresh the figures are.
"""

import re

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from webapp.accounts.audit import record_change
from webapp.adherence import overview as figures
from webapp.blueprints.nurse import bp
from webapp.blueprints.nurse.figures import KPI_NAMES, Pages, is_stale, worked_out_at
from webapp.blueprints.nurse.forms import OverviewFilterForm
from webapp.blueprints.nurse.overview_table import COLUMNS, csv_text, row_cells
from webapp.blueprints.nurse.overview_text import chart_context, definitions, how_worked_out
from webapp.clock import uk_today, utc_now
from webapp.extensions import db
from webapp.patients import queries
from webapp.patients.audit import log_patient_list_viewed
from webapp.urls import page_number

PATIENTS_PER_PAGE = 50
DEFAULT_SORT = "name"


def _nurse():
    return current_user._get_current_object()


def _service_id() -> int:
    return _nurse().fls_service_id


@bp.route("/overview")
def overview():
    """The service's figures, filtered, with the patients behind them a page at a time."""
    form = _filter_form()
    sort, descending, page = _sort(), _descending(), page_number()
    filters = form.filters()
    summary = figures.service_overview(db.session, _service_id(), filters)
    rows, total = figures.overview_rows(db.session, _service_id(), filters, sort, descending,
                                        page, PATIENTS_PER_PAGE)  # fmt: skip
    pages = Pages(page, PATIENTS_PER_PAGE, total)
    if page > pages.pages:
        return redirect(url_for("nurse.overview", **_args(form, sort, descending, pages.pages)))
    _log_list(rows)
    return _render("nurse/overview.html", form=form, summary=summary, rows=rows, pages=pages,
                   sort=sort, descending=descending, columns=COLUMNS, row_cells=row_cells,
                   filter_args=form.chosen_values(), page_args=_args(form, sort, descending),
                   charts=chart_context(summary), how=how_worked_out(), kpi_names=KPI_NAMES,
                   **_freshness(summary.computed_at))  # fmt: skip


@bp.route("/overview.csv")
def overview_csv():
    """The overview's patients table, every page, with the same filters, sort and columns."""
    form = _filter_form()
    if form.errors:
        return redirect(url_for("nurse.overview", **request.args))
    sort, descending, service = _sort(), _descending(), _nurse().fls_service
    # Named before the commit, which would expire the service and read it again.
    filename = f"bonecheck-overview-{_slug(service.name)}-{uk_today():%Y-%m-%d}.csv"
    rows = figures.export_rows(db.session, service.id, form.filters(), sort, descending)
    text, count = csv_text(rows)
    record_change(db.session, _nurse(), "export-overview", service, None,
                  {"filters": form.chosen_values(), "sort": sort, "descending": descending,
                   "rows": count}, now=utc_now())  # fmt: skip
    db.session.commit()
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })  # fmt: skip


@bp.route("/overview/kpi/<int:kpi>")
def kpi_list(kpi: int):
    """The patients behind one FLS-DB KPI (its denominator), those not meeting it first."""
    if kpi not in KPI_NAMES:
        abort(404)
    form, page = _filter_form(), page_number()
    filters = form.filters()
    summary = figures.service_overview(db.session, _service_id(), filters)
    rows, total = figures.kpi_patients(db.session, _service_id(), kpi, filters, page,
                                       PATIENTS_PER_PAGE)  # fmt: skip
    pages = Pages(page, PATIENTS_PER_PAGE, total)
    if page > pages.pages:
        return redirect(url_for("nurse.kpi_list", kpi=kpi, **form.chosen_values(),
                                page=pages.pages))  # fmt: skip
    _log_list(rows)
    return _render("nurse/kpi_list.html", form=form, kpi=kpi, kpi_name=KPI_NAMES[kpi],
                   rate=summary.kpis.get(kpi), rows=rows, pages=pages, columns=COLUMNS,
                   row_cells=row_cells, page_args=form.chosen_values(),
                   **_freshness(summary.computed_at))  # fmt: skip


@bp.route("/overview/definitions")
def definitions_page():
    """How every figure and worklist reason is defined, with its source."""
    heading, html = definitions()
    return render_template("nurse/definitions.html", heading=heading, definitions=html)


def _filter_form() -> OverviewFilterForm:
    """The filters from the address, checked against their choices (errors shown, not applied)."""
    form = OverviewFilterForm(formdata=request.args)
    form.set_choices(queries.service_nurses(db.session, _service_id()), uk_today(),
                     figures.first_month(db.session, _service_id()))
    form.validate()
    return form


def _sort() -> str:
    sort = request.args.get("sort", DEFAULT_SORT)
    return sort if sort in figures.SORTS else DEFAULT_SORT


def _descending() -> bool:
    return request.args.get("order") == "descending"


def _args(form, sort: str, descending: bool, page: int | None = None) -> dict:
    """The address arguments for this view of the overview (filters, sort, page)."""
    args = dict(form.chosen_values())
    if sort != DEFAULT_SORT:
        args["sort"] = sort
    if descending:
        args["order"] = "descending"
    if page and page > 1:
        args["page"] = page
    return args


def _slug(name: str) -> str:
    """A service's name as a file name can carry it: "leeds-fracture-liaison-service"."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:60] or "service"


def _freshness(computed_at) -> dict:
    now = utc_now()
    return {"worked_out": worked_out_at(computed_at, now), "stale": is_stale(computed_at, now)}


def _log_list(rows) -> None:
    log_patient_list_viewed(db.session, _nurse(), [row.patient_id for row in rows], utc_now(),
                            searched=False)  # fmt: skip


def _render(template: str, **context) -> str:
    """Render, then commit the list's audit entry."""
    page = render_template(template, **context)
    db.session.commit()
    return page
