"""Partial index on demo concerns: "is there demo data?" is asked on every staff page

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Without it the question scans every real concern when there is no demo data (the usual case in production).
    op.create_index(
        "ix_concern_is_demo", "concern", ["is_demo"],
        postgresql_where=sa.text("is_demo"), sqlite_where=sa.text("is_demo"),
    )


def downgrade() -> None:
    op.drop_index("ix_concern_is_demo", table_name="concern")
