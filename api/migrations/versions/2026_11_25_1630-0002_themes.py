"""Themes and the themes of each concern, seeded with the default taxonomy

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:30:00
"""

import json
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

THEMES_JSON = Path(__file__).resolve().parents[2] / "seed_data" / "themes.json"


def upgrade() -> None:
    theme = op.create_table(
        "theme",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "concern_theme",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Uuid(), sa.ForeignKey("concern.id", ondelete="CASCADE"), nullable=False),
        sa.Column("theme_code", sa.String(64), sa.ForeignKey("theme.code"), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("model_version", sa.String(64), nullable=True),
        sa.Column("staff_user_id", sa.Integer(), sa.ForeignKey("staff_user.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("concern_id", "source", "theme_code", name="uq_concern_theme_source"),
        sa.CheckConstraint("source IN ('model', 'resident', 'staff')", name="ck_concern_theme_source"),
    )
    op.create_index("ix_concern_theme_concern_id", "concern_theme", ["concern_id"])
    op.create_index("ix_concern_theme_theme_code", "concern_theme", ["theme_code"])
    # The default taxonomy is data: seeded here once; admins rename and retire themes later.
    seed = json.loads(THEMES_JSON.read_text(encoding="utf-8"))["themes"]
    op.bulk_insert(
        theme,
        [
            {"code": t["code"], "label": t["label"], "description": t["description"], "active": t.get("active", True)}
            for t in seed
        ],
    )


def downgrade() -> None:
    op.drop_table("concern_theme")
    op.drop_table("theme")
