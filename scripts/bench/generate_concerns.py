"""Bulk generator for benchmarks: N fictional concerns (default 1,000,000) into a PostgreSQL database with COPY.

Not the demo seeder (that goes through the ORM and makes 2,000): this writes concern, concern_theme and
effective_theme directly with COPY, with the secondary indexes dropped during the load and rebuilt after it (the
way a bulk load should be done), derives the lägesbild's daily rollups in one pass (the ORM hook that keeps them
in step is bypassed by COPY), then VACUUM ANALYZE so the planner and index-only scans see the real tables.
Rows come from the demo generator (api/staff/demo.py), so the texts, areas and themes have the demo's shape;
every row is marked is_demo.

Usage: .venv/bin/python scripts/bench/generate_concerns.py postgresql+psycopg://postgres@127.0.0.1:5432/db [-n N]
The database must exist; it is migrated first.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import timedelta

import psycopg
from sqlalchemy.orm import Session

from api.core.config import get_settings
from api.db import make_engine
from api.migrate import upgrade
from api.staff import rollups
from api.staff.demo import DEMO_MODEL_VERSION, concern_rows, ensure_areas
from api.staff.periods import today_local

TABLES = ("concern", "concern_theme", "effective_theme")
CONCERN_COLUMNS = (
    "id, created_at, channel, description, place, area_code, time_of_day, weekday, frequency, felt_safety, "
    "suggestion, consent, idempotency_key, conversation_hash, status, reviewed_at, is_demo"
)


def _secondary_indexes(cur: psycopg.Cursor) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the indexes on the bulk tables that back no constraint."""
    cur.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        (list(TABLES),),
    )
    return list(cur.fetchall())


def generate(url: str, count: int, seed: int = 1) -> dict[str, float]:
    """Load `count` concerns into the database at `url` (SQLAlchemy URL). Returns timings in seconds."""
    timings: dict[str, float] = {}
    upgrade(url)
    settings = get_settings()
    engine = make_engine(url)
    with Session(bind=engine) as session:
        ensure_areas(session, settings.areas_file)
    engine.dispose()
    areas_data = json.loads(open(settings.areas_file, encoding="utf-8").read())
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        indexes = _secondary_indexes(cur)
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        today = today_local()
        with conn.transaction():
            with cur.copy(f"COPY concern ({CONCERN_COLUMNS}) FROM STDIN") as concern_copy:
                themes: list[tuple[uuid.UUID, str, float, object, str | None, str]] = []
                for row in concern_rows(count=count, areas_data=areas_data, today=today, seed=seed):
                    concern_copy.write_row((
                        row.id, row.created_at, row.channel, row.description, row.place, row.area_code,
                        row.time_of_day, row.weekday, row.frequency, row.felt_safety, row.suggestion, True,
                        f"bench-{row.id}", row.id.hex * 2, row.status,
                        row.created_at + timedelta(days=3) if row.status != "ny" else None, True,
                    ))
                    themes += [(row.id, code, score, row.created_at, row.area_code, row.status)
                               for code, score in row.themes]
            timings["copy concerns"] = time.perf_counter() - started
            started = time.perf_counter()
            with cur.copy("COPY concern_theme (concern_id, theme_code, source, score, model_version) FROM STDIN") as c:
                for concern_id, code, score, *_rest in themes:
                    c.write_row((concern_id, code, "model", score, DEMO_MODEL_VERSION))
            # Every generated theme comes from the model, so every one is also an effective theme.
            effective = "COPY effective_theme (concern_id, theme_code, created_at, area_code, status) FROM STDIN"
            with cur.copy(effective) as c:
                for concern_id, code, _score, created_at, area_code, status in themes:
                    c.write_row((concern_id, code, created_at, area_code, status))
            timings["copy themes"] = time.perf_counter() - started
        started = time.perf_counter()
        for _name, definition in indexes:
            cur.execute(definition)
        timings["rebuild indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        engine = make_engine(url)
        with engine.begin() as connection:
            rollups.rebuild_all(connection)
        engine.dispose()
        timings["daily rollups"] = time.perf_counter() - started
        started = time.perf_counter()
        for table in (*TABLES, "lagesbild_day_theme", "lagesbild_day_answer"):
            cur.execute(f"VACUUM ANALYZE {table}")
        timings["vacuum analyze"] = time.perf_counter() - started
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="postgresql+psycopg://user@host:port/db (the database must exist)")
    parser.add_argument("-n", "--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("PostgreSQL only (COPY)")
    timings = generate(args.database_url, args.count, args.seed)
    for step, seconds in timings.items():
        print(f"{step}: {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
