"""`/admin/figures`: every service's figures side by side, counts and rates only.

Admins see no patient: no names, no lists and no links to them, only each
service's counts, rates and FLS-DB bands from webapp.adherence.overview.
"""

from flask import render_template

from webapp.adherence.measures import ADHERENT_PDC, PERMISSIBLE_GAP_DAYS
from webapp.adherence.overview import services_figures
from webapp.blueprints.admin_figures import bp
from webapp.blueprints.nurse.figures import KPI_NAMES, percent
from webapp.extensions import db


@bp.route("")
def figures():
    """Each service's patients, adherence and KPIs 9-11."""
    return render_template("admin/figures.html", services=services_figures(db.session),
                           kpi_names=KPI_NAMES, adherent=percent(ADHERENT_PDC),
                           gap_days=PERMISSIBLE_GAP_DAYS)  # fmt: skip
