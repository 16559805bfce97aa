"""FLS patients and the medicines they take (regimens).

A patient belongs to one Fracture Liaison Service and is only ever read through
a query scoped to the signed-in nurse's service (webapp.patients). Names, NHS
numbers and mobile numbers live here and are never copied into the audit log or
any log line: those name a patient by `id` only.
"""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base
from webapp.models.staff import FlsService, StaffMember


class PatientStatus(StrEnum):
    """Whether a patient gets texts: only an `active` patient with consent does."""

    ACTIVE = "active"
    PAUSED = "paused"  # optionally until `paused_until`
    OPTED_OUT = "opted_out"  # by SMS (STOP, or Twilio's 21610) or by the nurse
    DISCHARGED = "discharged"  # with `discharge_reason`


class OptOutBy(StrEnum):
    SMS = "sms"
    NURSE = "nurse"


class Patient(Base):
    """A person under an FLS, enrolled for SMS reminders about their bone medicines."""

    __tablename__ = "patient"
    __table_args__ = (
        UniqueConstraint("fls_service_id", "nhs_number"),
        Index("ix_patient_mobile_status", "mobile", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fls_service_id: Mapped[int] = mapped_column(ForeignKey("fls_service.id"), index=True)
    nhs_number: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    mobile: Mapped[str] = mapped_column(String(16))  # E.164, for example +447700900123
    named_nurse_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL")
    )
    # The fracture that brought them to the FLS: the audit's follow-up points count from it.
    fracture_date: Mapped[date | None] = mapped_column(Date)
    sms_consent: Mapped[bool] = mapped_column(default=False)
    sms_consent_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL")
    )
    sms_consent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminder_time: Mapped[time] = mapped_column(Time)  # UK wall-clock time
    discreet: Mapped[bool] = mapped_column(default=False)  # texts name no medicine
    status: Mapped[str] = mapped_column(String(12), default=PatientStatus.ACTIVE, index=True)
    paused_until: Mapped[date | None] = mapped_column(Date)
    opted_out_by: Mapped[str | None] = mapped_column(String(10))
    opted_out_at: Mapped[datetime | None] = mapped_column(DateTime)
    discharged_at: Mapped[datetime | None] = mapped_column(DateTime)
    discharge_reason: Mapped[str | None] = mapped_column(String(200))
    # A permanent refusal from the SMS provider (21211 invalid, 21614 not a mobile…):
    # no more texts to this number until the nurse changes it.
    sms_blocked_code: Mapped[int | None]
    sms_blocked_reason: Mapped[str | None] = mapped_column(String(200))
    sms_blocked_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_example: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    fls_service: Mapped[FlsService] = relationship()
    named_nurse: Mapped[StaffMember | None] = relationship(foreign_keys=[named_nurse_id])
    sms_consent_recorded_by: Mapped[StaffMember | None] = relationship(
        foreign_keys=[sms_consent_recorded_by_id]
    )
    regimens: Mapped[list["Regimen"]] = relationship(
        back_populates="patient", order_by="Regimen.id", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def may_be_texted(self) -> bool:
        """Active, consented and not refused by the provider: the only patients texted."""
        return (
            self.status == PatientStatus.ACTIVE
            and self.sms_consent
            and self.sms_blocked_code is None
        )

    def __repr__(self) -> str:  # never the name or NHS number
        return f"<Patient {self.id} {self.status}>"


class Regimen(Base):
    """One medicine a patient takes, from its first dose until it is stopped or ends.

    `medicine` is a code from the catalogue (webapp.reminders.medicines). For
    injections and infusions given in clinic the next dose counts from
    `last_given_date`, which the nurse records. Stopping or switching keeps the
    row, with the date and the reason, so the history stays whole.
    """

    __tablename__ = "regimen"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    medicine: Mapped[str] = mapped_column(String(40))
    first_dose_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    last_given_date: Mapped[date | None] = mapped_column(Date)
    # Daily medicines: a weekly check-in unless the nurse chooses a text every day.
    daily_texts: Mapped[bool] = mapped_column(default=False)
    stopped_on: Mapped[date | None] = mapped_column(Date)
    stop_reason: Mapped[str | None] = mapped_column(String(200))
    # Set when this regimen was stopped because the patient switched to another.
    switched_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("regimen.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)

    patient: Mapped[Patient] = relationship(back_populates="regimens")
    switched_to: Mapped["Regimen | None"] = relationship(remote_side=[id])

    def is_current(self, today: date) -> bool:
        """Not stopped, and not past its end date, on `today`."""
        if self.stopped_on is not None and self.stopped_on <= today:
            return False
        return self.end_date is None or self.end_date >= today

    def __repr__(self) -> str:
        return f"<Regimen {self.id} {self.medicine}>"
