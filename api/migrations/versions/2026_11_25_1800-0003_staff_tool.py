"""Staff tool: review status, effective themes, notes, audit trail, areas, medborgarlöften

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The audit trail is append-only. Only a deliberate purge (retention, test clean-up) that sets
# `trygg.audit_purge = on` in its own transaction may delete rows; nothing may update them.
AUDIT_TRIGGER_PG = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('trygg.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only';
END $$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
AUDIT_TRIGGER_SQLITE = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END
"""

# A concern counts under the themes of its most trusted source: staff, then resident, then model.
BACKFILL_EFFECTIVE = """
INSERT INTO effective_theme (concern_id, theme_code, created_at, area_code, status)
SELECT ct.concern_id, ct.theme_code, c.created_at, c.area_code, c.status
FROM concern_theme ct JOIN concern c ON c.id = ct.concern_id
WHERE ct.source = CASE
    WHEN EXISTS (SELECT 1 FROM concern_theme s WHERE s.concern_id = ct.concern_id AND s.source = 'staff') THEN 'staff'
    WHEN EXISTS (SELECT 1 FROM concern_theme r WHERE r.concern_id = ct.concern_id AND r.source = 'resident')
        THEN 'resident'
    ELSE 'model' END
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"

    # Review fields on the concern. Plain ADD COLUMN (no table rebuild on SQLite, which would cascade-delete
    # the concern's themes); SQLite cannot add a CHECK afterwards, so the status check is PostgreSQL only.
    op.add_column("concern", sa.Column("status", sa.String(16), server_default="ny", nullable=False))
    op.add_column("concern", sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    if postgres:
        op.add_column(
            "concern", sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("staff_user.id"), nullable=True)
        )
    else:  # SQLite takes a REFERENCES clause in ADD COLUMN, but not Alembic's separate ADD CONSTRAINT
        op.execute("ALTER TABLE concern ADD COLUMN reviewed_by_id INTEGER REFERENCES staff_user (id)")
    op.add_column("concern", sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False))
    if postgres:
        op.create_check_constraint(
            "ck_concern_status", "concern", "status IN ('ny', 'granskad', 'hanterad', 'avvisad')"
        )
    op.create_index("ix_concern_status_created", "concern", ["status", "created_at"])
    op.create_index("ix_concern_area_created", "concern", ["area_code", "created_at"])
    if postgres:
        # Keyset pagination newest first, and the lägesbild's per-concern figures as index-only scans.
        op.create_index(
            "ix_concern_created_cover",
            "concern",
            ["created_at", "id"],
            postgresql_include=["area_code", "status", "time_of_day", "weekday", "felt_safety"],
        )
        # Free-text search: Swedish stemming, so "cyklar" finds "cykel".
        op.execute(
            "CREATE INDEX ix_concern_description_fts ON concern "
            "USING gin (to_tsvector('swedish', description))"
        )

    op.create_table(
        "effective_theme",
        sa.Column("concern_id", sa.Uuid(), sa.ForeignKey("concern.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("theme_code", sa.String(64), sa.ForeignKey("theme.code"), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_effective_theme_theme_created", "effective_theme", ["theme_code", "created_at"])
    op.create_index(
        "ix_effective_theme_created", "effective_theme", ["created_at", "theme_code", "area_code", "status"]
    )
    op.execute(BACKFILL_EFFECTIVE)

    op.create_table(
        "concern_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Uuid(), sa.ForeignKey("concern.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("staff_user.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_concern_note_concern_id", "concern_note", ["concern_id"])

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), sa.ForeignKey("staff_user.id"), nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_event_created_at", "audit_event", ["created_at"])
    op.create_index("ix_audit_event_object", "audit_event", ["object_type", "object_id", "id"])
    op.execute(AUDIT_TRIGGER_PG if postgres else AUDIT_TRIGGER_SQLITE)

    op.create_table(
        "area",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(64), sa.ForeignKey("area.code"), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('district', 'place')", name="ck_area_kind"),
    )

    op.create_table(
        "promise",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(16), nullable=False),
        sa.Column("responsible_name", sa.String(120), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("staff_user.id"), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("status IN ('utkast', 'publicerad', 'avslutad')", name="ck_promise_status"),
        sa.CheckConstraint("responsible IN ('polis', 'kommun', 'annan')", name="ck_promise_responsible"),
    )
    op.create_index("ix_promise_status", "promise", ["status"])
    op.create_table(
        "promise_area",
        sa.Column("promise_id", sa.Integer(), sa.ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("area_code", sa.String(64), sa.ForeignKey("area.code"), primary_key=True),
    )
    op.create_index("ix_promise_area_area_code", "promise_area", ["area_code"])
    op.create_table(
        "promise_theme",
        sa.Column("promise_id", sa.Integer(), sa.ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("theme_code", sa.String(64), sa.ForeignKey("theme.code"), primary_key=True),
    )
    op.create_table(
        "promise_concern",
        sa.Column("promise_id", sa.Integer(), sa.ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("concern_id", sa.Uuid(), sa.ForeignKey("concern.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "promise_activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("promise_id", sa.Integer(), sa.ForeignKey("promise.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status IN ('planerad', 'pagar', 'klar', 'installd')", name="ck_promise_activity_status"
        ),
    )
    op.create_index("ix_promise_activity_promise_id", "promise_activity", ["promise_id"])


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in ("promise_activity", "promise_concern", "promise_theme", "promise_area", "promise", "area"):
        op.drop_table(table)
    if postgres:
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    op.drop_table("audit_event")
    op.drop_table("concern_note")
    op.drop_table("effective_theme")
    if postgres:
        op.drop_index("ix_concern_description_fts", table_name="concern")
        op.drop_index("ix_concern_created_cover", table_name="concern")
        op.drop_constraint("ck_concern_status", "concern", type_="check")
    op.drop_index("ix_concern_area_created", table_name="concern")
    op.drop_index("ix_concern_status_created", table_name="concern")
    with op.batch_alter_table("concern") as batch:
        for column in ("is_demo", "reviewed_by_id", "reviewed_at", "status"):
            batch.drop_column(column)
