"""Daily rollups for the lägesbild (day × district × theme, day × district × answer)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lagesbild_day_theme",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=True),
        sa.Column("theme_code", sa.String(64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index("ix_lagesbild_day_theme_day", "lagesbild_day_theme", ["day"])
    op.create_table(
        "lagesbild_day_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=True),
        sa.Column("question", sa.String(16), nullable=False),
        sa.Column("answer", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index("ix_lagesbild_day_answer_day", "lagesbild_day_answer", ["day"])
    # Derive the rollups of the concerns already stored. This uses the app's rollup code on purpose: it reads
    # only columns that exist at this revision (concern and effective_theme from 0003).
    from api.staff.rollups import rebuild_all

    rebuild_all(op.get_bind())


def downgrade() -> None:
    op.drop_table("lagesbild_day_answer")
    op.drop_table("lagesbild_day_theme")
