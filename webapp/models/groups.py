"""Local support groups, as curated by admins from the ROS or the local FLS.

No public machine-readable list of groups exists, so every listing is entered
or imported by hand and carries who last checked it and when.
"""

from datetime import date, datetime, time

from sqlalchemy import BigInteger, CheckConstraint, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base

IN_PERSON = "in-person"
ONLINE = "online"
BOTH = "both"
MEETING_FORMATS = (IN_PERSON, ONLINE, BOTH)


class MeetingFormat:
    """How a group meets, read from its `meeting_format` (a column of the listing, a field
    of the finder's card): one rule for both."""

    @property
    def meets_in_person(self) -> bool:
        """True if the group meets at a venue (some do both)."""
        return self.meeting_format in (IN_PERSON, BOTH)

    @property
    def meets_online(self) -> bool:
        """True if the group meets online (some do both)."""
        return self.meeting_format in (ONLINE, BOTH)


class SupportGroup(MeetingFormat, Base):
    """One patient support group: where and when it meets, and how to get in touch.

    `latitude` and `longitude` are the centre of the venue's postcode district,
    copied onto the row so a search can prefilter by a box in SQL. Distances are
    only ever from district to district, so they are "about N miles".
    """

    __tablename__ = "support_group"
    __table_args__ = (
        CheckConstraint(
            "meeting_format in ('in-person', 'online', 'both')", name="meeting_format"
        ),
        Index("ix_support_group_latitude_longitude", "latitude", "longitude"),
        # Every search lists the first few visible groups meeting online, by name, with
        # how many there are: read from this index rather than the whole table.
        Index("ix_support_group_meeting_format_hidden_name", "meeting_format", "hidden", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A short code that stays the same across exports and imports ("durham-bone-health").
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    town: Mapped[str] = mapped_column(String(80))
    nation: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(40), index=True)
    meeting_format: Mapped[str] = mapped_column(String(10))

    venue_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    venue_district: Mapped[str | None] = mapped_column(String(4))
    venue_postcode: Mapped[str | None] = mapped_column(String(8))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    meeting_pattern: Mapped[str] = mapped_column(String(200))
    repeats: Mapped[str] = mapped_column(String(20), default="none")
    skip_months: Mapped[str] = mapped_column(String(40), default="")
    next_meeting_on: Mapped[date | None]
    starts_at: Mapped[time | None]
    ends_at: Mapped[time | None]

    what_happens: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str] = mapped_column(String(120), default="")
    # None means "not known": a missing answer must not read as "no".
    step_free_access: Mapped[bool | None]
    hearing_loop: Mapped[bool | None]
    parking: Mapped[bool | None]
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")

    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    website: Mapped[str] = mapped_column(String(300), default="")

    is_example: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    checked_by: Mapped[str] = mapped_column(String(120), default="")
    checked_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


    def __repr__(self) -> str:
        return f"<SupportGroup {self.reference}>"


class ListingsVersion(Base):
    """A number that changes whenever anything the finder lists changes.

    Database triggers (migration 7d2e4b9a1c35) add one to it on every insert, update
    or delete of support groups, Fracture Liaison Services and the districts they
    cover, in the same transaction as the change, whichever process or command makes
    it. Each web process keeps the finder's pages it has drawn under this number
    (webapp/groups/kept_pages.py), and one cheap read tells it whether they still hold.
    """

    __tablename__ = "listings_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
