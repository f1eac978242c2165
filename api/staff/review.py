"""Reviewing concerns: the filtered list, one concern in full, and the changes staff make.

Listing is keyset-paginated (newest or oldest first) so page 5,000 is as fast as page 1; the theme filter reads
`effective_theme` (the themes each concern counts under) through its primary key, and the free-text search uses
PostgreSQL's Swedish full-text index (a plain substring match on SQLite). Every change writes an audit event.

Call from routes and pages:
    page = list_concerns(session=s, filters=ConcernFilter(themes=["trafik"], statuses=["ny"]), limit=50)
    detail = concern_detail(session=s, concern_id=id)
    set_themes(session=s, concern_id=id, codes=["trafik"], staff=user)
    set_status(session=s, concern_id=id, status="granskad", staff=user)
    add_note(session=s, concern_id=id, text="...", staff=user)
    bulk_set_status(session=s, concern_ids=[...], status="avvisad", staff=user)
"""

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, exists, func, select, tuple_
from sqlalchemy.orm import Session

from api.crud import check_theme_codes
from api.models import (
    CONCERN_STATUSES,
    AuditEvent,
    Concern,
    ConcernNote,
    ConcernTheme,
    EffectiveTheme,
    Promise,
    PromiseConcern,
    StaffUser,
)
from api.staff import audit, messages
from api.staff.periods import as_utc, local_midnight_utc

Sort = Literal["newest", "oldest"]
TOTAL_CAP = 10_000  # counting past this costs more than it tells; the list says "more than 10 000"
MAX_BULK = 500


@dataclass
class ConcernFilter:
    """What staff filter the list by; empty fields do not filter. Dates are whole local days, both included."""

    themes: Sequence[str] = ()
    areas: Sequence[str] = ()
    statuses: Sequence[str] = ()
    channels: Sequence[str] = ()
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    demo: bool | None = None


@dataclass
class ConcernPage:
    items: list[Concern]
    total: int
    total_capped: bool  # True: there are more than `total` matches
    next_cursor: str | None


@dataclass
class ConcernDetail:
    concern: Concern
    assignments: list[ConcernTheme]  # every theme from every source, for the record
    notes: list[ConcernNote]
    events: list[AuditEvent]
    promises: list[Promise]
    author_names: dict[int, str]  # staff user id → username, for notes and theme corrections


def _conditions(session: Session, filters: ConcernFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.themes:
        conditions.append(
            exists().where(EffectiveTheme.concern_id == Concern.id, EffectiveTheme.theme_code.in_(filters.themes))
        )
    if filters.areas:
        conditions.append(Concern.area_code.in_(filters.areas))
    if filters.statuses:
        unknown = set(filters.statuses) - set(CONCERN_STATUSES)
        if unknown:
            raise ValueError(messages.UNKNOWN_STATUS.format(status=", ".join(sorted(unknown))))
        conditions.append(Concern.status.in_(filters.statuses))
    if filters.channels:
        conditions.append(Concern.channel.in_(filters.channels))
    if filters.date_from:
        conditions.append(Concern.created_at >= local_midnight_utc(filters.date_from))
    if filters.date_to:
        conditions.append(Concern.created_at < local_midnight_utc(date.fromordinal(filters.date_to.toordinal() + 1)))
    if filters.demo is not None:
        conditions.append(Concern.is_demo.is_(filters.demo))
    if filters.q and filters.q.strip():
        conditions.append(_search(session, filters.q.strip()))
    return conditions


def _search(session: Session, q: str) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_tsvector("swedish", Concern.description).op("@@")(func.websearch_to_tsquery("swedish", q))
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(Concern.description).like(f"%{escaped}%", escape="\\")


def encode_cursor(concern: Concern) -> str:
    raw = f"{as_utc(concern.created_at).isoformat()}|{concern.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, concern_id = raw.split("|")
        return as_utc(datetime.fromisoformat(stamp)), uuid.UUID(concern_id)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(messages.BAD_CURSOR) from error


def filtered_query(session: Session, filters: ConcernFilter) -> Select[Concern]:
    """SELECT of the matching concerns, unordered (exports page through it themselves)."""
    return select(Concern).where(*_conditions(session, filters))


def _theme_first(filters: ConcernFilter) -> bool:
    """One theme and only fields effective_theme carries: the list and its total are read theme-first."""
    return len(filters.themes) == 1 and not (filters.q and filters.q.strip()) and not filters.channels \
        and filters.demo is None


def _theme_conditions(filters: ConcernFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [EffectiveTheme.theme_code == filters.themes[0]]
    if filters.areas:
        conditions.append(EffectiveTheme.area_code.in_(filters.areas))
    if filters.statuses:
        unknown = set(filters.statuses) - set(CONCERN_STATUSES)
        if unknown:
            raise ValueError(messages.UNKNOWN_STATUS.format(status=", ".join(sorted(unknown))))
        conditions.append(EffectiveTheme.status.in_(filters.statuses))
    if filters.date_from:
        conditions.append(EffectiveTheme.created_at >= local_midnight_utc(filters.date_from))
    if filters.date_to:
        conditions.append(
            EffectiveTheme.created_at < local_midnight_utc(date.fromordinal(filters.date_to.toordinal() + 1))
        )
    return conditions


def list_concerns(
    *,
    session: Session,
    filters: ConcernFilter,
    sort: Sort = "newest",
    limit: int = 50,
    cursor: str | None = None,
    with_total: bool = True,
) -> ConcernPage:
    """One page of matching concerns; pass the returned `next_cursor` back for the next page."""
    if _theme_first(filters):
        # effective_theme holds the concern's time, district and status: page through its
        # (theme, district, created_at) index and join only the page's concerns.
        stamp_col, id_col = EffectiveTheme.created_at, EffectiveTheme.concern_id
        query = select(Concern).join(EffectiveTheme, EffectiveTheme.concern_id == Concern.id).where(
            *_theme_conditions(filters))
    else:
        stamp_col, id_col = Concern.created_at, Concern.id
        query = select(Concern).where(*_conditions(session, filters))
    key = tuple_(stamp_col, id_col)
    if cursor:
        stamp, concern_id = _decode_cursor(cursor)
        after = tuple_(stamp, concern_id)
        query = query.where(key < after if sort == "newest" else key > after)
    if sort == "newest":
        query = query.order_by(stamp_col.desc(), id_col.desc())
    else:
        query = query.order_by(stamp_col, id_col)
    rows = list(session.scalars(query.limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    total, capped = (count_concerns(session=session, filters=filters) if with_total else (0, False))
    return ConcernPage(items=rows[:limit], total=total, total_capped=capped, next_cursor=next_cursor)


def count_concerns(*, session: Session, filters: ConcernFilter, cap: int = TOTAL_CAP) -> tuple[int, bool]:
    """How many concerns match, counting at most `cap` + 1 (returns (count, more_than_cap))."""
    if _theme_first(filters):
        limited = select(EffectiveTheme.concern_id).where(*_theme_conditions(filters)).limit(cap + 1).subquery()
    else:
        limited = select(Concern.id).where(*_conditions(session, filters)).limit(cap + 1).subquery()
    count = session.scalar(select(func.count()).select_from(limited)) or 0
    return min(count, cap), count > cap


def get_concern(session: Session, concern_id: uuid.UUID) -> Concern:
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise LookupError(messages.CONCERN_NOT_FOUND)
    return concern


def concern_detail(*, session: Session, concern_id: uuid.UUID) -> ConcernDetail:
    """The concern with all its themes, internal notes, audit timeline and the promises it motivated."""
    concern = get_concern(session, concern_id)
    notes = list(
        session.scalars(select(ConcernNote).where(ConcernNote.concern_id == concern_id).order_by(ConcernNote.id))
    )
    events = audit.timeline(session, object_type="concern", object_id=concern_id)
    promises = list(
        session.scalars(
            select(Promise).join(PromiseConcern).where(PromiseConcern.concern_id == concern_id).order_by(Promise.id)
        )
    )
    user_ids = {n.author_id for n in notes} | {a.staff_user_id for a in concern.theme_assignments}
    user_ids.discard(None)
    names = dict(
        session.execute(select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(user_ids))).all()
    ) if user_ids else {}
    return ConcernDetail(
        concern=concern,
        assignments=list(concern.theme_assignments),
        notes=notes,
        events=events,
        promises=promises,
        author_names=names,
    )


def _snapshot_themes(concern: Concern) -> dict[str, Any]:
    themes = concern.themes
    return {"themes": [a.theme_code for a in themes], "source": themes[0].source if themes else None}


def _apply_themes(session: Session, concern: Concern, codes: list[str], staff: StaffUser) -> bool:
    before = _snapshot_themes(concern)
    current_staff = sorted(a.theme_code for a in concern.theme_assignments if a.source == "staff")
    if current_staff == sorted(codes):
        return False
    concern.theme_assignments = [a for a in concern.theme_assignments if a.source != "staff"] + [
        ConcernTheme(theme_code=code, source="staff", staff_user_id=staff.id) for code in codes
    ]
    _mark_reviewed(concern, staff)
    audit.record(session, staff=staff, action="concern.themes", object_type="concern", object_id=concern.id,
                 before=before, after={"themes": codes, "source": "staff"})
    return True


def _mark_reviewed(concern: Concern, staff: StaffUser) -> None:
    concern.reviewed_at = datetime.now(UTC)
    concern.reviewed_by_id = staff.id


def set_themes(*, session: Session, concern_id: uuid.UUID, codes: list[str], staff: StaffUser) -> Concern:
    """Set the concern's themes as staff (source=staff); the model's and resident's stay for the record."""
    concern = get_concern(session, concern_id)
    codes = check_theme_codes(session, codes)
    if not codes:
        raise ValueError("Välj minst ett tema.")
    _apply_themes(session, concern, codes, staff)
    session.commit()
    return concern


def _check_status(status: str) -> None:
    if status not in CONCERN_STATUSES:
        raise ValueError(messages.UNKNOWN_STATUS.format(status=status))


def _apply_status(session: Session, concern: Concern, status: str, staff: StaffUser) -> bool:
    if concern.status == status:
        return False
    audit.record(session, staff=staff, action="concern.status", object_type="concern", object_id=concern.id,
                 before={"status": concern.status}, after={"status": status})
    concern.status = status
    _mark_reviewed(concern, staff)
    return True


def set_status(*, session: Session, concern_id: uuid.UUID, status: str, staff: StaffUser) -> Concern:
    """Move the concern to `status` (ny, granskad, hanterad or avvisad; avvisad leaves the lägesbild)."""
    _check_status(status)
    concern = get_concern(session, concern_id)
    _apply_status(session, concern, status, staff)
    session.commit()
    return concern


def add_note(*, session: Session, concern_id: uuid.UUID, text: str, staff: StaffUser) -> ConcernNote:
    """An internal note on the concern (staff only, never shown to residents)."""
    concern = get_concern(session, concern_id)
    text = text.strip()
    if not text:
        raise ValueError(messages.NOTE_EMPTY)
    note = ConcernNote(concern_id=concern.id, author_id=staff.id, text=text)
    session.add(note)
    session.flush()
    audit.record(session, staff=staff, action="concern.note", object_type="concern", object_id=concern.id,
                 after={"note_id": note.id, "text": text})
    session.commit()
    return note


def _load_many(session: Session, concern_ids: Sequence[uuid.UUID]) -> list[Concern]:
    ids = list(dict.fromkeys(concern_ids))
    if not ids:
        raise ValueError("Välj minst ett ärende.")
    if len(ids) > MAX_BULK:
        raise ValueError(f"Högst {MAX_BULK} ärenden åt gången.")
    concerns = list(session.scalars(select(Concern).where(Concern.id.in_(ids))))
    missing = set(ids) - {c.id for c in concerns}
    if missing:
        raise LookupError(messages.UNKNOWN_CONCERNS.format(ids=", ".join(sorted(map(str, missing)))))
    return concerns


def bulk_set_status(
    *, session: Session, concern_ids: Sequence[uuid.UUID], status: str, staff: StaffUser
) -> int:
    """Set the status of many concerns at once (one audit event each). Returns how many changed."""
    _check_status(status)
    changed = sum(_apply_status(session, c, status, staff) for c in _load_many(session, concern_ids))
    session.commit()
    return changed


def bulk_add_theme(
    *, session: Session, concern_ids: Sequence[uuid.UUID], code: str, staff: StaffUser
) -> int:
    """Add one theme to many concerns as staff (their current themes are kept). Returns how many changed."""
    [code] = check_theme_codes(session, [code])
    changed = 0
    for concern in _load_many(session, concern_ids):
        codes = [a.theme_code for a in concern.themes]
        if code not in codes or concern.themes[0].source != "staff":
            changed += _apply_themes(session, concern, list(dict.fromkeys([*codes, code])), staff)
    session.commit()
    return changed


def demo_data_present(*, session: Session) -> bool:
    """True when any demo concern is stored: the pages then say that the figures are made up."""
    return session.scalar(select(exists().where(Concern.is_demo.is_(True)))) or False

