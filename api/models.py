"""Database tables (SQLAlchemy 2 typed models). Every change here needs an Alembic migration."""

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
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
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
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
