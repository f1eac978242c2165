"""The append-only audit trail: every staff change writes one `audit_event` (who, when, what, before → after).

`record` adds the event to the caller's transaction (it commits with the change it describes); nothing here
updates or deletes events, and on PostgreSQL a trigger refuses it. `timeline` gives a concern's events, oldest
first, for its detail view.
"""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import AuditEvent, StaffUser


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def record(
    session: Session,
    *,
    staff: StaffUser | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the session (committed by the caller together with the change)."""
    event = AuditEvent(
        staff_user_id=staff.id if staff else None,
        username=staff.username if staff else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
    )
    session.add(event)
    return event


def timeline(session: Session, *, object_type: str, object_id: object, limit: int = 500) -> list[AuditEvent]:
    """The events of one object, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.id)
            .limit(limit)
        )
    )


def recent(
    session: Session, *, object_type: str | None = None, before_id: int | None = None, limit: int = 100
) -> list[AuditEvent]:
    """The newest events (optionally of one object type), newest first; page with `before_id`."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query))
