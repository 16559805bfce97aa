"""The worklist as the nurse reads it: who needs a person, each with every open reason.

An item is open while no nurse has marked its cause handled (a `worklist_handled`
row with the same patient, reason and cause_key). Patients come most urgent
first: by their most urgent open item, then by how long that item has stood
(the oldest `since` first), then by id so pages never overlap. A page costs one
query whatever the number of patients: the page of patients with all their
items, the count and the freshness (two for an empty list or a page past its
end, whose count needs a query of its own).
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from webapp.adherence.facts import REASONS, Reason, Urgency
from webapp.models.follow_up import PatientMeasures, WorklistEntry, WorklistHandled
from webapp.models.patients import Patient
from webapp.models.staff import StaffMember

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class WorklistItem:
    """One open reason a patient is on the worklist."""

    reason: Reason
    label: str
    urgency: Urgency
    cause_key: str
    detail: str
    since: date


@dataclass(frozen=True)
class WorklistRow:
    """One patient on the worklist, with all their open items, most urgent first."""

    patient_id: int
    name: str
    nhs_number: str
    named_nurse: str | None
    items: tuple[WorklistItem, ...]


def _is_open():
    """SQL: the worklist entry has no handled mark for its cause."""
    return ~exists().where(
        WorklistHandled.patient_id == WorklistEntry.patient_id,
        WorklistHandled.reason == WorklistEntry.reason,
        WorklistHandled.cause_key == WorklistEntry.cause_key,
    )


def _open_entries(service_id: int, named_nurse_id: int | None):
    """The service's open entries (of the named nurse's patients, if given). The entry
    holds its patient's service, so the patients are joined only to filter by nurse."""
    query = (
        select(WorklistEntry.patient_id, WorklistEntry.fls_service_id, WorklistEntry.urgency,
               WorklistEntry.since)
        .where(WorklistEntry.fls_service_id == service_id, _is_open())
    )  # fmt: skip
    if named_nurse_id is not None:
        query = query.join(Patient, Patient.id == WorklistEntry.patient_id).where(
            Patient.named_nurse_id == named_nurse_id)
    return query


def worklist_page(
    session: Session, service_id: int, page: int, per_page: int, named_nurse_id: int | None = None
) -> tuple[list[WorklistRow], int, datetime | None]:
    """One page of the service's worklist, the number of patients on it, and when the
    figures were worked out (the oldest of the service's rollups; None before any)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    found = session.execute(_page_query(service_id, named_nurse_id, page, per_page)).all()
    if found:
        total, as_of = found[0].total, found[0].as_of
    else:  # an empty list, or a page past its end: the count needs a query of its own
        entries = _open_entries(service_id, named_nurse_id).subquery()
        total, as_of = session.execute(
            select(func.count(func.distinct(entries.c.patient_id)), _oldest(service_id))
        ).one()  # fmt: skip
    rows = []
    for _, items in groupby(found, key=lambda row: row.patient_id):
        first, *others = items
        rows.append(WorklistRow(patient_id=first.patient_id,
                                name=f"{first.first_name} {first.last_name}",
                                nhs_number=first.nhs_number, named_nurse=first.named_nurse,
                                items=tuple(_item(row) for row in (first, *others))))  # fmt: skip
    return rows, total, as_of


def _oldest(service_id: int):
    """SQL: when the service's oldest rollup was worked out."""
    return (select(func.min(PatientMeasures.computed_at))
            .where(PatientMeasures.fls_service_id == service_id).scalar_subquery())  # fmt: skip


def _page_query(service_id: int, named_nurse_id: int | None, page: int, per_page: int):
    """One statement for the page. Each patient's lead item (most urgent, then oldest)
    ranks them; one page of them is chosen, and only then are their names and every open
    item of theirs read (a row an item), with the number of patients on the list and the
    freshness alongside. The patient's own service is checked again as they are read, so a
    patient who moved service since the rollups were written is never shown to the old one."""
    entries = _open_entries(service_id, named_nurse_id).subquery()
    place = func.row_number().over(
        partition_by=entries.c.patient_id, order_by=(entries.c.urgency, entries.c.since)
    ).label("place")
    ranked = select(entries, place).subquery()
    leads = (select(ranked.c.patient_id, ranked.c.fls_service_id, ranked.c.urgency,
                    ranked.c.since).where(ranked.c.place == 1).cte("leads"))  # fmt: skip
    order = (leads.c.urgency, leads.c.since, leads.c.patient_id)
    chosen = select(leads).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    chosen = chosen.subquery()
    items = _items_query(service_id).order_by(None).subquery()
    return (
        select(chosen.c.patient_id, Patient.first_name, Patient.last_name, Patient.nhs_number,
               StaffMember.full_name.label("named_nurse"), items.c.reason, items.c.urgency,
               items.c.cause_key, items.c.detail, items.c.since,
               select(func.count()).select_from(leads).scalar_subquery().label("total"),
               _oldest(service_id).label("as_of"))
        .select_from(chosen)
        .join(Patient, (Patient.id == chosen.c.patient_id)
              & (Patient.fls_service_id == chosen.c.fls_service_id))
        .outerjoin(StaffMember, StaffMember.id == Patient.named_nurse_id)
        .join(items, items.c.patient_id == chosen.c.patient_id)
        .order_by(chosen.c.urgency, chosen.c.since, chosen.c.patient_id, items.c.urgency,
                  items.c.since, items.c.reason)
    )  # fmt: skip


def _items_query(service_id: int):
    return (
        select(WorklistEntry.patient_id, WorklistEntry.reason, WorklistEntry.urgency,
               WorklistEntry.cause_key, WorklistEntry.detail, WorklistEntry.since)
        .where(WorklistEntry.fls_service_id == service_id, _is_open())
        .order_by(WorklistEntry.patient_id, WorklistEntry.urgency, WorklistEntry.since,
                  WorklistEntry.reason)
    )  # fmt: skip


def _item(row) -> WorklistItem:
    reason = Reason(row.reason)
    return WorklistItem(reason=reason, label=REASONS[reason].label, urgency=Urgency(row.urgency),
                        cause_key=row.cause_key, detail=row.detail, since=row.since)  # fmt: skip


def open_items_for(session: Session, service_id: int, patient_id: int) -> list[WorklistItem]:
    """A patient's open worklist items, most urgent first (empty for another service's)."""
    rows = session.execute(_items_query(service_id).where(WorklistEntry.patient_id == patient_id))
    return [_item(row) for row in rows]
