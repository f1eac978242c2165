"""Database tables (SQLAlchemy 2 typed models). Every change here needs an Alembic migration."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class StaffUser(Base):
    """A person at the municipality or the police who reviews concerns."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Concern(Base):
    """One safety concern a resident described and consented to store, already scrubbed of personal data."""

    __tablename__ = "concern"
    __table_args__ = (
        CheckConstraint("consent", name="ck_concern_consent_given"),
        CheckConstraint("felt_safety IS NULL OR felt_safety BETWEEN 1 AND 5", name="ck_concern_felt_safety"),
        CheckConstraint("status IN ('ny', 'granskad', 'hanterad', 'avvisad')", name="ck_concern_status"),
        Index("ix_concern_status_created", "status", "created_at"),
        Index("ix_concern_area_created", "area_code", "created_at"),
        Index("ix_concern_is_demo", "is_demo", postgresql_where=text("is_demo"), sqlite_where=text("is_demo")),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Set in Python too, so SQLite stores the same text format as the timestamps the staff tool compares with
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=lambda: datetime.now(UTC), index=True
    )
    channel: Mapped[str] = mapped_column(String(32), index=True)

    # What the resident told the bot
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(200))
    area_code: Mapped[str | None] = mapped_column(String(64), index=True)
    time_of_day: Mapped[str | None] = mapped_column(String(32))
    weekday: Mapped[str | None] = mapped_column(String(32))
    frequency: Mapped[str | None] = mapped_column(String(32))
    felt_safety: Mapped[int | None] = mapped_column(SmallInteger)
    suggestion: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(Boolean)

    # Bookkeeping: exactly-once delivery and linking concerns of one conversation without its raw id
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    conversation_hash: Mapped[str] = mapped_column(String(64), index=True)

    # Fields staff edit while reviewing (api/staff/review.py); every change is also written to audit_event
    status: Mapped[str] = mapped_column(String(16), default="ny", server_default="ny")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # Made up by `trygg seed-demo` or the benchmark generator: the UI labels it as demo data
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    theme_assignments: Mapped[list["ConcernTheme"]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", lazy="selectin", order_by="ConcernTheme.id"
    )

    @property
    def themes(self) -> list["ConcernTheme"]:
        """The themes from the most trusted source present (staff, then resident, then model)."""
        for source in THEME_SOURCES:
            chosen = [a for a in self.theme_assignments if a.source == source]
            if chosen:
                return sorted(chosen, key=lambda a: -(a.score or 0.0))
        return []


# Who decided a concern's themes. The most trusted source present decides the concern's themes.
THEME_SOURCES = ("staff", "resident", "model")


class Theme(Base):
    """A theme of the lägesbild. Codes are stable; a theme is retired (active=false), never deleted."""

    __tablename__ = "theme"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ConcernTheme(Base):
    """One theme given to a concern by the model (with its score), the resident or a staff member."""

    __tablename__ = "concern_theme"
    __table_args__ = (
        UniqueConstraint("concern_id", "source", "theme_code", name="uq_concern_theme_source"),
        CheckConstraint("source IN ('model', 'resident', 'staff')", name="ck_concern_theme_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("theme.code"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(64))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    concern: Mapped[Concern] = relationship(back_populates="theme_assignments")


# Review states of a concern: ny → granskad → hanterad, or avvisad (spam, off-topic; left out of the lägesbild).
CONCERN_STATUSES = ("ny", "granskad", "hanterad", "avvisad")


class EffectiveTheme(Base):
    """The themes a concern counts under (its most trusted source), copied with the fields the lägesbild groups by.

    Kept in step with concern_theme and the concern by api/staff/effective.py (an ORM flush hook), so that counts
    over a million concerns are one index-only scan of this narrow table instead of a join.
    """

    __tablename__ = "effective_theme"
    __table_args__ = (
        Index("ix_effective_theme_theme_created", "theme_code", "created_at"),
        Index("ix_effective_theme_created", "created_at", "theme_code", "area_code", "status"),
        Index("ix_effective_theme_theme_area_created", "theme_code", "area_code", "created_at",
              postgresql_include=["status"]),
        Index("ix_effective_theme_reviewed", "theme_code", "created_at",
              postgresql_where=text("status IN ('granskad', 'hanterad')"),
              sqlite_where=text("status IN ('granskad', 'hanterad')")),
    )

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("theme.code"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    area_code: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))


class ConcernNote(Base):
    """An internal note by staff on a concern; never shown to residents."""

    __tablename__ = "concern_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AuditEvent(Base):
    """One staff change: who, when, what, before and after. Append-only (a PostgreSQL trigger refuses updates)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    username: Mapped[str] = mapped_column(String(64))  # kept as written: readable even if the user is renamed
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


AREA_KINDS = ("district", "place")


class Area(Base):
    """A district (stadsdel) or a named place in one, imported with `trygg import-areas`; optional GeoJSON polygon."""

    __tablename__ = "area"
    __table_args__ = (CheckConstraint("kind IN ('district', 'place')", name="ck_area_kind"),)

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a GeoJSON geometry
    active: Mapped[bool] = mapped_column(Boolean, default=True)


PROMISE_STATUSES = ("utkast", "publicerad", "avslutad")
PROMISE_PARTIES = ("polis", "kommun", "annan")
ACTIVITY_STATUSES = ("planerad", "pagar", "klar", "installd")


class Promise(Base):
    """A medborgarlöfte: what the police and/or the municipality promise to do about a problem residents raised."""

    __tablename__ = "promise"
    __table_args__ = (
        CheckConstraint("status IN ('utkast', 'publicerad', 'avslutad')", name="ck_promise_status"),
        CheckConstraint("responsible IN ('polis', 'kommun', 'annan')", name="ck_promise_responsible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(16))
    responsible_name: Mapped[str | None] = mapped_column(String(120))  # e.g. the other party's name
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="utkast", index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    area_links: Mapped[list["PromiseArea"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    theme_links: Mapped[list["PromiseTheme"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    concern_links: Mapped[list["PromiseConcern"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    activities: Mapped[list["PromiseActivity"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PromiseActivity.position"
    )

    @property
    def area_codes(self) -> list[str]:
        return sorted(link.area_code for link in self.area_links)

    @property
    def theme_codes(self) -> list[str]:
        return sorted(link.theme_code for link in self.theme_links)

    @property
    def concern_ids(self) -> list[uuid.UUID]:
        return [link.concern_id for link in self.concern_links]


class PromiseArea(Base):
    __tablename__ = "promise_area"

    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True, index=True)


class PromiseTheme(Base):
    __tablename__ = "promise_theme"

    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("theme.code"), primary_key=True)


class PromiseConcern(Base):
    """A concern that motivated a promise."""

    __tablename__ = "promise_concern"

    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True)
    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), primary_key=True)


class PromiseActivity(Base):
    """One concrete step of a promise, with how far it has come."""

    __tablename__ = "promise_activity"
    __table_args__ = (
        CheckConstraint("status IN ('planerad', 'pagar', 'klar', 'installd')", name="ck_promise_activity_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="planerad")
    due: Mapped[date | None] = mapped_column(Date)



class LagesbildDayTheme(Base):
    """Per local day, district and theme: how many concerns (not rejected) count under the theme. A rollup of
    effective_theme, re-derived for the days a flush touched (api/staff/rollups.py); the lägesbild reads it."""

    __tablename__ = "lagesbild_day_theme"
    __table_args__ = (
        Index("ix_lagesbild_day_theme_cover", "day", "area_code", postgresql_include=["theme_code", "n"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    area_code: Mapped[str | None] = mapped_column(String(64))
    theme_code: Mapped[str] = mapped_column(String(64))
    n: Mapped[int] = mapped_column(Integer)


class LagesbildDayAnswer(Base):
    """Per local day and district: how many concerns (not rejected) gave each answer to a question
    (time_of_day, weekday, felt_safety; `total` counts them all). A rollup of concern, like LagesbildDayTheme."""

    __tablename__ = "lagesbild_day_answer"
    __table_args__ = (
        Index("ix_lagesbild_day_answer_cover", "day", "area_code", postgresql_include=["question", "answer", "n"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    area_code: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(String(32))
    n: Mapped[int] = mapped_column(Integer)

# Registers the flush hook that keeps effective_theme in step (it imports the classes above).
from api.staff import effective as _effective  # noqa: E402,F401
