"""The overview's patients table, column by column: the page and the CSV export share it,
so the export has exactly the columns, the order and the words the page shows."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from webapp import csv_safe
from webapp.blueprints.nurse.figures import KPI_RESULTS, STATUS_NAMES, percent
from webapp.patients.nhs_number import format_nhs_number
from webapp.reminders.medicines import MEDICINES


@dataclass(frozen=True)
class Column:
    heading: str
    sort: str | None  # the SORTS key that orders by this column; None: not sortable
    text: Callable  # OverviewRow -> the words in the cell
    unbroken: bool = False  # a number or date that reads wrongly split across lines


def _day(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "Not recorded"


def _medicine(code: str | None) -> str:
    if not code:
        return "None"
    entry = MEDICINES.get(code)
    return entry.label if entry else code


def _persistent(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not yet")


def _replies(row) -> str:
    if not row.prompts_asked:
        return "None asked"
    return f"{row.prompts_answered} of {row.prompts_asked}"


def _kpi(value) -> str:
    return KPI_RESULTS.get(str(value), str(value))


COLUMNS = (
    Column("Name", "name", lambda row: row.name),
    Column("NHS number", None, lambda row: format_nhs_number(row.nhs_number), unbroken=True),
    Column("Status", None, lambda row: STATUS_NAMES.get(row.status, row.status)),
    Column("Medicine", None, lambda row: _medicine(row.medicine)),
    Column("Named nurse", None, lambda row: row.named_nurse or "None"),
    Column("Fracture", "fracture", lambda row: _day(row.fracture_date), unbroken=True),
    Column("Enrolled", "enrolled", lambda row: _day(row.enrolled_on), unbroken=True),
    Column("PDC, 12 months", "pdc", lambda row: percent(row.pdc_365)),
    Column("On treatment at 12 months", None, lambda row: _persistent(row.persistent_12m)),
    Column("Texts answered", "replies", _replies),
    Column("KPI 9", None, lambda row: _kpi(row.kpi_9)),
    Column("KPI 10", None, lambda row: _kpi(row.kpi_10)),
    Column("KPI 11", None, lambda row: _kpi(row.kpi_11)),
)


def cells(row) -> list[str]:
    """One row's cells, in column order."""
    return [column.text(row) for column in COLUMNS]


# Each column's opening <td>, with its heading for a narrow screen (the NHS.UK responsive
# table repeats it in every cell, hidden from screen readers, which have the <th>).
CELL_OPENINGS = tuple(
    Markup('<td class="nhsuk-table__cell{}" role="cell"><span class="nhsuk-table__heading" '
           'aria-hidden="true">{} </span>').format(" bonecheck-nowrap" if column.unbroken else "",
                                                  column.heading)
    for column in COLUMNS
)


def row_cells(row) -> tuple[tuple[Markup, str], list[tuple[Markup, str]]]:
    """One row's cells for the page as (opening <td>, words) pairs: the name's (the page
    makes it a link to the record), then the others'."""
    pairs = list(zip(CELL_OPENINGS, cells(row), strict=True))
    return pairs[0], pairs[1:]


def csv_text(rows: Iterable) -> tuple[str, int]:
    """The table as CSV (headings, then a line a row, every cell defused), and how many rows."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.heading for column in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow(cells(row))
        count += 1
    return buffer.getvalue(), count
