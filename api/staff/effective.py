"""Keeps `effective_theme` in step with the concerns: one row per theme a concern counts under.

A concern counts under the themes of its most trusted source (staff, then resident, then model), the same rule as
`Concern.themes`. The lägesbild and the theme filter read this narrow, indexed copy instead of deciding the source
per concern at query time, which is what keeps them fast with a million concerns.

An ORM `after_flush` hook re-derives the rows of every concern whose themes, area or status changed in that flush,
in the same transaction, so no writer can forget it, and then the daily rollups of those concerns' days
(api/staff/rollups.py). Code that changes those fields with Core statements calls `sync_effective_themes` and
`rollups.refresh_days` (or `rollups.rebuild_all`) itself.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, delete, event, exists, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction, aliased

from api.models import Concern, ConcernTheme, EffectiveTheme
from api.staff import rollups

_CHUNK = 500  # bound parameters per statement stay well under SQLite's limit


def _best_source() -> Any:
    """SQL for the most trusted theme source present on the concern of the outer concern_theme row."""
    other = aliased(ConcernTheme)

    def present(source: str) -> Any:
        return exists().where(other.concern_id == ConcernTheme.concern_id, other.source == source)

    return case((present("staff"), "staff"), (present("resident"), "resident"), else_="model")


def sync_effective_themes(connection: Connection, concern_ids: Iterable[uuid.UUID]) -> None:
    """Re-derive the effective themes of these concerns from concern_theme and the concern's current fields."""
    ids = list(dict.fromkeys(concern_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        connection.execute(delete(EffectiveTheme).where(EffectiveTheme.concern_id.in_(chunk)))
        rows = (
            select(ConcernTheme.concern_id, ConcernTheme.theme_code, Concern.created_at, Concern.area_code,
                   Concern.status)
            .join(Concern, Concern.id == ConcernTheme.concern_id)
            .where(ConcernTheme.concern_id.in_(chunk), ConcernTheme.source == _best_source())
        )
        connection.execute(
            insert(EffectiveTheme).from_select(
                ["concern_id", "theme_code", "created_at", "area_code", "status"], rows
            )
        )


_WATCHED_CONCERN_FIELDS = ("status", "area_code", "created_at", "time_of_day", "weekday", "felt_safety")


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    changed: set[uuid.UUID] = set()
    days: set[date] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ConcernTheme) and obj.concern_id is not None:
            changed.add(obj.concern_id)
        elif isinstance(obj, Concern):
            if obj in session.deleted:
                if obj.created_at is not None:
                    days.add(rollups.local_day(obj.created_at))
            elif obj in session.new or _fields_changed(obj):
                changed.add(obj.id)
    if not changed and not days:
        return
    connection = session.connection()
    if changed:
        sync_effective_themes(connection, changed)
        ids = list(changed)
        for start in range(0, len(ids), _CHUNK):
            stamps = connection.execute(select(Concern.created_at).where(Concern.id.in_(ids[start : start + _CHUNK])))
            days |= {rollups.local_day(stamp) for stamp in stamps.scalars()}
    rollups.refresh_days(connection, days)


def _fields_changed(concern: Concern) -> bool:
    state = inspect(concern)
    return any(state.attrs[name].history.has_changes() for name in _WATCHED_CONCERN_FIELDS)
