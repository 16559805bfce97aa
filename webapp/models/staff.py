"""Staff accounts, the Fracture Liaison Services they work in, and the audit log.

Times are stored as naive UTC (`webapp.clock.utc_now`), the same on
SQLite and PostgreSQL. Secrets (password hash, TOTP secrets, session token)
live only on StaffMember and are never copied into the audit log.
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base
from webapp.phones import national_format


class Role(StrEnum):
    """What a staff member may do: admins run the service, nurses see their own patients."""

    ADMIN = "admin"
    NURSE = "nurse"


class FlsService(Base):
    """A hospital Fracture Liaison Service, as the public finder lists it.

    `covered_districts` are the postcode districts (outcodes such as "LS6") whose
    patients it sees; `hospital_district` is the district of the hospital itself,
    used for "nearest" when no service covers a person's district.
    """

    __tablename__ = "fls_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    hospital: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))  # E.164, for example +441132433144
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    hospital_district: Mapped[str] = mapped_column(String(4), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))  # https only
    what_it_does: Mapped[str] = mapped_column(String(300), default="")
    checked_by_id: Mapped[int | None] = mapped_column(
        # use_alter breaks the cycle with StaffMember.fls_service_id; SET NULL lets a
        # staff row be removed (tests empty tables one by one) without orphaning a service.
        ForeignKey("staff_member.id", use_alter=True, ondelete="SET NULL")
    )
    checked_on: Mapped[date | None] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(default=False)
    is_example: Mapped[bool] = mapped_column(default=False)
    # How texts name the service (GSM-7, at most 25 characters), and the UK
    # wall-clock hours texts may go out in.
    sms_name: Mapped[str | None] = mapped_column(String(25))
    sms_sending_starts: Mapped[time] = mapped_column(
        Time, default=time(7, 0), server_default="07:00:00"
    )
    sms_sending_ends: Mapped[time] = mapped_column(
        Time, default=time(21, 0), server_default="21:00:00"
    )

    districts: Mapped[list["FlsServiceDistrict"]] = relationship(
        back_populates="fls_service",
        cascade="all, delete-orphan",
        order_by="FlsServiceDistrict.outcode",
        lazy="selectin",
    )
    checked_by: Mapped["StaffMember | None"] = relationship(foreign_keys=[checked_by_id])

    @property
    def covered_districts(self) -> list[str]:
        """The outcodes this service covers, in alphabetical order."""
        return sorted(district.outcode for district in self.districts)

    @property
    def phone_national(self) -> str:
        """The phone number as people in the UK write it, for example 0113 496 0123."""
        return national_format(self.phone)

    def __repr__(self) -> str:
        return f"<FlsService {self.id} {self.name!r}>"


class FlsServiceDistrict(Base):
    """One postcode district (outcode) a Fracture Liaison Service covers.

    A child table rather than a text column, so "services covering LS6" is an
    indexed equality query on both databases.
    """

    __tablename__ = "fls_service_district"

    fls_service_id: Mapped[int] = mapped_column(
        ForeignKey("fls_service.id", ondelete="CASCADE"), primary_key=True
    )
    outcode: Mapped[str] = mapped_column(String(4), primary_key=True, index=True)

    fls_service: Mapped[FlsService] = relationship(back_populates="districts")


class StaffMember(Base):
    """A person who signs in: an admin, or a nurse in one Fracture Liaison Service.

    Implements the few attributes Flask-Login asks for directly, so this module
    needs no Flask import. `get_id` carries the session token: rotating the token
    (new password, deactivation, sign-out) ends every session made with the old one.
    """

    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored in lower case
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    fls_service_id: Mapped[int | None] = mapped_column(ForeignKey("fls_service.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The last 30-second time step whose code was accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    session_token: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    is_example: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime)

    fls_service: Mapped[FlsService | None] = relationship(foreign_keys=[fls_service_id])

    # Flask-Login's user protocol.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session's identity: id and token, so a rotated token ends old sessions."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_nurse(self) -> bool:
        return self.role == Role.NURSE

    @property
    def uses_totp(self) -> bool:
        """Whether a security code from an authenticator app is switched on."""
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<StaffMember {self.id} {self.role}>"


class AuditEvent(Base):
    """One change made by a staff member (or the command line): who, what, when, before, after.

    `before` and `after` hold only the fields that changed, as JSON. The actor's
    email is copied so the log still reads well if their address later changes.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    actor_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[StaffMember | None] = relationship()


class SignInLock(Base):
    """Failed sign-ins in a row for one email address, and the lock they cause.

    Keyed by a keyed hash of the address, whether or not an account has it, so
    an unknown address is locked exactly like a real one and the lock says
    nothing about which addresses have accounts. Counted with atomic UPDATEs, so
    the count holds across every web process.
    """

    __tablename__ = "sign_in_lock"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class SignInAttempt(Base):
    """How many sign-in attempts came from one client address in the current window.

    The address is stored only as a keyed hash. One row an address, counted
    with an atomic UPDATE so every web process shares the limit.
    """

    __tablename__ = "sign_in_attempt"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
