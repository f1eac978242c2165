"""Retention: concerns older than RETENTION_MONTHS are deleted, with everything that refers to them.

The privacy notice promises residents how long their words are kept; this module keeps the promise. A purge
deletes old concerns in small batches together with every row that points at them: any table with a foreign
key to `concern` (themes, effective themes, staff notes, promise links, and whatever is added later) and the
audit events about them (their before/after may quote a note). Staff's own work that does not quote a resident
(medborgarlöften, users, areas) stays.

It runs as `trygg purge` and, in the API process, once every PURGE_INTERVAL_HOURS (first a minute after start).
Several API workers may run it at once: on PostgreSQL each batch takes a transaction-level advisory lock and a
worker that does not get it leaves the batch to the one that did; the deletes are idempotent anyway.
"""

import asyncio
import calendar
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, select, text
from sqlalchemy.engine import Connection

from api.models import AuditEvent, Base, Concern
from api.staff import rollups

logger = logging.getLogger(__name__)

BATCH = 500
ADVISORY_LOCK_KEY = 0x74727967  # "tryg": one purge at a time across API workers on PostgreSQL
FIRST_RUN_DELAY_SECONDS = 60.0
AGE_PATTERN = re.compile(r"^\s*(\d+)\s*([dmy])\s*$", re.IGNORECASE)
AGE_FORMAT_ERROR = "expected a number and a unit: 24m (months), 2y (years) or 90d (days), got {value!r}"


def months_ago(now: datetime, months: int) -> datetime:
    """`now` moved back by whole calendar months (31 March minus one month is 28/29 February)."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def cutoff_for(age: str, now: datetime | None = None) -> datetime:
    """The creation time before which concerns are purged, for an age such as "24m", "2y" or "90d"."""
    match = AGE_PATTERN.match(age)
    if not match:
        raise ValueError(AGE_FORMAT_ERROR.format(value=age))
    amount, unit = int(match.group(1)), match.group(2).lower()
    now = now or datetime.now(UTC)
    if unit == "d":
        return now - timedelta(days=amount)
    return months_ago(now, amount * (12 if unit == "y" else 1))


def _dependent_columns() -> list[Any]:
    """Every column in the schema that is a foreign key to concern.id."""
    return [
        foreign_key.parent
        for table in Base.metadata.sorted_tables
        for foreign_key in table.foreign_keys
        if foreign_key.column.table.name == Concern.__tablename__
    ]


def _locked(connection: Connection) -> bool:
    if connection.dialect.name != "postgresql":
        return True
    got = connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}).scalar()
    if got:
        # The audit trail is append-only; its trigger lets a retention purge delete (migration 0003).
        connection.execute(text("SET LOCAL trygg.audit_purge = 'on'"))
    return bool(got)


def purge_concerns(engine: Engine, *, older_than: datetime, dry_run: bool = False) -> int:
    """Delete concerns created before `older_than` and every row about them; returns how many concerns."""
    old = (select(Concern.id, Concern.created_at).where(Concern.created_at < older_than)
           .order_by(Concern.created_at).limit(BATCH))
    if dry_run:
        with engine.connect() as connection:
            count = select(Concern.id).where(Concern.created_at < older_than).subquery()
            return int(connection.execute(select(text("count(*)")).select_from(count)).scalar() or 0)
    purged = 0
    while True:
        with engine.begin() as connection:
            if not _locked(connection):
                logger.info("another process is purging; leaving it to that one")
                return purged
            rows = connection.execute(old).all()
            if not rows:
                return purged
            ids = [row.id for row in rows]
            for column in _dependent_columns():
                connection.execute(delete(column.table).where(column.in_(ids)))
            connection.execute(
                delete(AuditEvent).where(
                    and_(AuditEvent.object_type == "concern", AuditEvent.object_id.in_([str(i) for i in ids]))
                )
            )
            connection.execute(delete(Concern).where(Concern.id.in_(ids)))
            # The deletes bypass the ORM flush hook that keeps the lägesbild's daily rollups in step.
            rollups.refresh_days(connection, {rollups.local_day(row.created_at) for row in rows})
        purged += len(ids)
        logger.info("retention: deleted %s concern(s) created before %s", purged, older_than.date())


async def purge_periodically(engine: Engine, *, retention_months: int, interval_hours: float,
                             first_delay: float = FIRST_RUN_DELAY_SECONDS) -> None:
    """The API's background job: purge shortly after start, then every `interval_hours`."""
    await asyncio.sleep(first_delay)
    while True:
        try:
            cutoff = months_ago(datetime.now(UTC), retention_months)
            await asyncio.to_thread(purge_concerns, engine, older_than=cutoff)
        except Exception:  # noqa: BLE001 - a failed run must not stop the next one (or the API)
            logger.exception("retention purge failed; trying again at the next interval")
        await asyncio.sleep(interval_hours * 3600)
