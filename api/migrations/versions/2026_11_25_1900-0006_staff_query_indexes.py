"""Indexes measured on a million concerns: theme-first list and count, reviewed quotes, covering rollup scans

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEWED = "status IN ('granskad', 'hanterad')"


def upgrade() -> None:
    # The review list filtered by one theme (and district, status, period): its page and its total are range
    # scans of this index, newest first, without touching the concern table until the page's 50 rows.
    op.create_index(
        "ix_effective_theme_theme_area_created", "effective_theme", ["theme_code", "area_code", "created_at"],
        postgresql_include=["status"],
    )
    # Quotes: the newest reviewed concerns on a theme, without walking past the many new ones.
    op.create_index(
        "ix_effective_theme_reviewed", "effective_theme", ["theme_code", "created_at"],
        postgresql_where=sa.text(REVIEWED), sqlite_where=sa.text(REVIEWED),
    )
    # The lägesbild's two rollup reads become index-only scans over the period's days.
    op.create_index("ix_lagesbild_day_theme_cover", "lagesbild_day_theme", ["day", "area_code"],
                    postgresql_include=["theme_code", "n"])
    op.create_index("ix_lagesbild_day_answer_cover", "lagesbild_day_answer", ["day", "area_code"],
                    postgresql_include=["question", "answer", "n"])


def downgrade() -> None:
    op.drop_index("ix_lagesbild_day_answer_cover", table_name="lagesbild_day_answer")
    op.drop_index("ix_lagesbild_day_theme_cover", table_name="lagesbild_day_theme")
    op.drop_index("ix_effective_theme_reviewed", table_name="effective_theme")
    op.drop_index("ix_effective_theme_theme_area_created", table_name="effective_theme")
