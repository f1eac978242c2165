"""Concerns and staff users

Revision ID: 0001
Revises:
Create Date: 2026-11-25 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "concern",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("area_code", sa.String(64), nullable=True),
        sa.Column("time_of_day", sa.String(32), nullable=True),
        sa.Column("weekday", sa.String(32), nullable=True),
        sa.Column("frequency", sa.String(32), nullable=True),
        sa.Column("felt_safety", sa.SmallInteger(), nullable=True),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False, unique=True),
        sa.Column("conversation_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("consent", name="ck_concern_consent_given"),
        sa.CheckConstraint("felt_safety IS NULL OR felt_safety BETWEEN 1 AND 5", name="ck_concern_felt_safety"),
    )
    op.create_index("ix_concern_created_at", "concern", ["created_at"])
    op.create_index("ix_concern_channel", "concern", ["channel"])
    op.create_index("ix_concern_area_code", "concern", ["area_code"])
    op.create_index("ix_concern_conversation_hash", "concern", ["conversation_hash"])


def downgrade() -> None:
    op.drop_table("concern")
    op.drop_table("staff_user")
