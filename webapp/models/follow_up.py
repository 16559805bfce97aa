"""What the nurse does and sees beyond texts: contacts, the worklist and its rollups.

`Contact` is what a nurse records by hand (a call, a visit, a dose given in
clinic or by the GP, treatment confirmed by the GP or a pharmacy): it counts
for the audit indicators, so a patient who never texts is not invisible.

`PatientMeasures` and `WorklistEntry` are rollups, rebuilt from the raw rows
by the pure measures in webapp.adherence (a scheduled job for every patient, and
at once for one patient after a reply or a nurse's change). Pages read them,
never the million dose rows behind them, and say how fresh they are
(`computed_at`). `WorklistHandled` is the nurse's "handled" mark for one cause:
a new cause (a later reply, a later due date) has a new `cause_key`, so the row
comes back. Times are naive UTC.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base
from webapp.models.patients import Patient, Regimen
from webapp.models.staff import StaffMember


class ContactKind(StrEnum):
    """A contact that is not a text, as a nurse records it."""

    PHONE_CALL = "phone_call"
    VISIT = "visit"
    DOSE_GIVEN_CLINIC = "dose_given_clinic"  # an injection or infusion given in clinic
    DOSE_GIVEN_GP = "dose_given_gp"  # given at the GP practice
    CONFIRMED_BY_GP = "confirmed_by_gp"  # the GP record shows the treatment continues
    CONFIRMED_BY_PHARMACY = "confirmed_by_pharmacy"  # the pharmacy dispensed it


# A call or a visit is a monitoring contact (FLS-DB KPI 9).
MONITORING_CONTACTS = frozenset({ContactKind.PHONE_CALL, ContactKind.VISIT})
# A dose given by a professional: it covers its interval, like a confirmed dose.
DOSES_GIVEN = frozenset({ContactKind.DOSE_GIVEN_CLINIC, ContactKind.DOSE_GIVEN_GP})
# Treatment confirmed by someone other than the patient (KPIs 10 and 11).
CONFIRMATIONS = frozenset({ContactKind.CONFIRMED_BY_GP, ContactKind.CONFIRMED_BY_PHARMACY})


class Contact(Base):
    """One contact with or about a patient that is not a text, recorded by a nurse."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_patient_id_happened_on", "patient_id", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    # The medicine a dose or a confirmation is about; None for a call or a visit.
    regimen_id: Mapped[int | None] = mapped_column(ForeignKey("regimen.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24))
    happened_on: Mapped[date] = mapped_column(Date)  # UK date
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    patient: Mapped[Patient] = relationship()
    regimen: Mapped[Regimen | None] = relationship()
    recorded_by: Mapped[StaffMember | None] = relationship()

    def __repr__(self) -> str:  # never the note
        return f"<Contact {self.id} {self.kind} {self.happened_on}>"


class PatientMeasures(Base):
    """One patient's adherence figures and audit indicators, as last computed.

    PDC values are fractions 0–1, None when there is no day to measure. The
    `kpi_*` columns hold a webapp.adherence.facts.KpiResult.
    """

    __tablename__ = "patient_measures"
    # The worklist says how fresh a service's figures are: the oldest of them, read at once.
    __table_args__ = (
        Index("ix_patient_measures_service_computed_at", "fls_service_id", "computed_at"),
    )

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True
    )
    fls_service_id: Mapped[int] = mapped_column(ForeignKey("fls_service.id"), index=True)
    medicine: Mapped[str | None] = mapped_column(String(40))  # current, else most recent
    pdc_90: Mapped[float | None] = mapped_column(Float)
    pdc_180: Mapped[float | None] = mapped_column(Float)
    pdc_365: Mapped[float | None] = mapped_column(Float)
    days_covered_365: Mapped[int] = mapped_column(default=0)
    days_measured_365: Mapped[int] = mapped_column(default=0)
    persistent_12m: Mapped[bool | None]  # None: not yet 12 months on treatment
    prompts_asked: Mapped[int] = mapped_column(default=0)  # last 12 months, follow-ups not counted
    prompts_answered: Mapped[int] = mapped_column(default=0)
    kpi_9: Mapped[str] = mapped_column(String(16))
    kpi_10: Mapped[str] = mapped_column(String(16))
    kpi_11: Mapped[str] = mapped_column(String(16))
    # The patient page's chart: [days covered, days measured] for each of the last 12
    # months, oldest first, to the UK month of computed_at (webapp.adherence.summary).
    monthly_coverage: Mapped[list[list[int]] | None] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime)

    patient: Mapped[Patient] = relationship()


class ServiceMeasures(Base):
    """A service's patients' figures summed over one group of them: those sharing a medicine,
    a status, a named nurse, a month of fracture and a month of enrolment (UK time).

    The overview's filters and breakdowns are these five, so its figures are sums of a few
    of these rows, never a pass over every patient. Rebuilt for the whole service whenever
    its patients' `patient_measures` are written (webapp.adherence.overview_rollup), in the
    same transaction; None in a key is "none recorded". `oldest_computed_at` is the oldest
    `patient_measures.computed_at` summed (None while none of them is worked out).
    """

    __tablename__ = "service_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    fls_service_id: Mapped[int] = mapped_column(
        ForeignKey("fls_service.id", ondelete="CASCADE"), index=True
    )
    medicine: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    named_nurse_id: Mapped[int | None]  # a staff member's id, not a key: these rows are sums
    fracture_month: Mapped[str | None] = mapped_column(String(7))  # "YYYY-MM"
    enrolment_month: Mapped[str] = mapped_column(String(7))
    patients: Mapped[int]
    prompts_asked: Mapped[int]
    prompts_answered: Mapped[int]
    adherent: Mapped[int]  # PDC at or above the target, of those `measured`
    measured: Mapped[int]
    pdc_sum: Mapped[float] = mapped_column(Float)
    persistent: Mapped[int]  # on treatment at 12 months, of those `persistence_known`
    persistence_known: Mapped[int]
    kpi_9_met: Mapped[int]
    kpi_9_due: Mapped[int]  # met or not met: the indicator's denominator
    kpi_10_met: Mapped[int]
    kpi_10_due: Mapped[int]
    kpi_11_met: Mapped[int]
    kpi_11_due: Mapped[int]
    oldest_computed_at: Mapped[datetime | None] = mapped_column(DateTime)


class WorklistEntry(Base):
    """One reason a patient needs a person today, as last computed."""

    __tablename__ = "worklist_entry"
    __table_args__ = (
        UniqueConstraint("patient_id", "reason"),
        Index("ix_worklist_entry_service_urgency", "fls_service_id", "urgency", "since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    fls_service_id: Mapped[int] = mapped_column(ForeignKey("fls_service.id"))
    reason: Mapped[str] = mapped_column(String(30))  # a webapp.adherence.facts.Reason
    urgency: Mapped[int]  # 1 is the most urgent
    cause_key: Mapped[str] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(String(200))  # plain words, no name or number
    since: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(DateTime)

    patient: Mapped[Patient] = relationship()


class WorklistHandled(Base):
    """A nurse's mark that one cause on the worklist has been handled, with a note."""

    __tablename__ = "worklist_handled"
    __table_args__ = (UniqueConstraint("patient_id", "reason", "cause_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(30))
    cause_key: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(500))
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL")
    )
    handled_at: Mapped[datetime] = mapped_column(DateTime)

    handled_by: Mapped[StaffMember | None] = relationship()

    def __repr__(self) -> str:  # never the note
        return f"<WorklistHandled {self.id} {self.reason}>"
