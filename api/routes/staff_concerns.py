"""Staff JSON API: review concerns (list with filters, detail, themes, status, notes, bulk, export)."""

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import Reader, Reviewer, SessionDep
from api.models import Concern, StaffUser, Theme
from api.staff import export, review
from api.staff.areas import area_names
from api.staff.schemas import (
    AuditEventOut,
    BulkIn,
    BulkOut,
    ConcernDetailOut,
    ConcernListOut,
    ConcernRow,
    NoteIn,
    NoteOut,
    PromiseRef,
    StatusIn,
    ThemeRef,
    ThemesIn,
)

router = APIRouter(prefix="/staff/concerns", tags=["staff: concerns"])

# Exports stream their rows after the answer has begun, so filters are checked here, before anything is sent:
# local midnight of the first day and the day after the last one must exist in UTC, and PostgreSQL text cannot
# hold NUL.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9999, 12, 30)
NO_NUL = r"^[^\x00]*$"
ConcernStatus = Literal["ny", "granskad", "hanterad", "avvisad"]  # CONCERN_STATUSES; unknown ones are a 422
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def concern_filter(
    theme: Annotated[list[str], Query(description="Theme codes (any of)")] = [],  # noqa: B006 - FastAPI query list
    area: Annotated[list[str], Query(description="District codes (any of)")] = [],  # noqa: B006
    status_: Annotated[list[ConcernStatus], Query(alias="status", description="ny, granskad, hanterad, avvisad")] = [],  # noqa: B006, E501
    channel: Annotated[list[str], Query()] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(alias="from", description="First day, local time", ge=FIRST_DAY,
                                            le=LAST_DAY)] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day, included", ge=FIRST_DAY,
                                          le=LAST_DAY)] = None,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL, description="Free-text search in the description")] = None,  # noqa: E501
    demo: Annotated[bool | None, Query(description="Only demo data (true) or only real data (false)")] = None,
) -> review.ConcernFilter:
    return review.ConcernFilter(themes=theme, areas=area, statuses=status_, channels=channel, date_from=date_from,
                                date_to=date_to, q=q, demo=demo)


FilterDep = Annotated[review.ConcernFilter, Depends(concern_filter)]


def _labels(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Theme.code, Theme.label)).all())


def concern_row(concern: Concern, theme_labels: dict[str, str], names: dict[str, str]) -> ConcernRow:
    return ConcernRow(
        id=concern.id, created_at=concern.created_at, channel=concern.channel, status=concern.status,
        area_code=concern.area_code, area_name=names.get(concern.area_code or "") if concern.area_code else None,
        place=concern.place, description=concern.description, time_of_day=concern.time_of_day,
        weekday=concern.weekday, frequency=concern.frequency, felt_safety=concern.felt_safety,
        suggestion=concern.suggestion, is_demo=concern.is_demo, reviewed_at=concern.reviewed_at,
        themes=[ThemeRef(code=a.theme_code, label=theme_labels.get(a.theme_code, a.theme_code), source=a.source,
                         score=a.score) for a in concern.themes],
    )


def _not_found(error: LookupError) -> HTTPException:
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(error.args[0]))


def _invalid(error: ValueError) -> HTTPException:
    return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error))


@router.get("", response_model=ConcernListOut)
def list_concerns(
    session: SessionDep,
    _staff: Reader,
    filters: FilterDep,
    sort: Annotated[review.Sort, Query()] = "newest",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ConcernListOut:
    """Concerns matching the filters, newest (or oldest) first, one keyset page at a time."""
    try:
        page = review.list_concerns(session=session, filters=filters, sort=sort, limit=limit, cursor=cursor)
    except ValueError as error:
        raise _invalid(error) from error
    labels, names = _labels(session), area_names(session=session)
    return ConcernListOut(
        items=[concern_row(c, labels, names) for c in page.items], total=page.total,
        total_capped=page.total_capped, next_cursor=page.next_cursor,
        demo=review.demo_data_present(session=session),
    )


@router.get("/export.csv", response_class=StreamingResponse)
def export_csv(
    session: SessionDep, _staff: Reader, filters: FilterDep
) -> StreamingResponse:
    """The matching concerns as CSV (UTF-8 with BOM, `;`-separated, for Swedish Excel)."""
    return StreamingResponse(
        export.concerns_csv_stream(bind=session.get_bind(), filters=filters), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="arenden.csv"'},
    )


@router.get("/export.xlsx")
def export_xlsx(
    session: SessionDep, _staff: Reader, filters: FilterDep
) -> Response:
    """The matching concerns as an Excel workbook."""
    body = export.concerns_xlsx(session=session, filters=filters)
    return Response(body, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="arenden.xlsx"'})


@router.post("/bulk", response_model=BulkOut)
def bulk(body: BulkIn, session: SessionDep, staff: Reviewer) -> BulkOut:
    """Set the status of, or add a theme to, many concerns at once (one audit event each)."""
    try:
        if body.action == "status":
            if body.status is None:
                raise ValueError("Ange status.")
            changed = review.bulk_set_status(session=session, concern_ids=body.ids, status=body.status, staff=staff)
        else:
            if not body.theme:
                raise ValueError("Ange tema.")
            changed = review.bulk_add_theme(session=session, concern_ids=body.ids, code=body.theme, staff=staff)
    except LookupError as error:
        raise _not_found(error) from error
    except ValueError as error:
        raise _invalid(error) from error
    return BulkOut(changed=changed)


def detail_out(session: Session, concern_id: uuid.UUID) -> ConcernDetailOut:
    try:
        detail = review.concern_detail(session=session, concern_id=concern_id)
    except LookupError as error:
        raise _not_found(error) from error
    labels, names = _labels(session), area_names(session=session)
    row = concern_row(detail.concern, labels, names)
    reviewer = session.get(StaffUser, detail.concern.reviewed_by_id) if detail.concern.reviewed_by_id else None
    return ConcernDetailOut(
        **row.model_dump(),
        theme_history=[ThemeRef(code=a.theme_code, label=labels.get(a.theme_code, a.theme_code), source=a.source,
                                score=a.score) for a in detail.assignments],
        notes=[NoteOut(id=n.id, text=n.text, created_at=n.created_at,
                       author=detail.author_names.get(n.author_id) if n.author_id else None) for n in detail.notes],
        timeline=[AuditEventOut.model_validate(e) for e in detail.events],
        promises=[PromiseRef(id=p.id, title=p.title, status=p.status) for p in detail.promises],
        reviewed_by=reviewer.username if reviewer else None,
    )


@router.get("/{concern_id}", response_model=ConcernDetailOut)
def read_concern(concern_id: uuid.UUID, session: SessionDep, _staff: Reader) -> ConcernDetailOut:
    """One concern: its themes from every source, notes, audit timeline and the promises it motivated."""
    return detail_out(session, concern_id)


@router.put("/{concern_id}/themes", response_model=ConcernDetailOut)
def set_themes(concern_id: uuid.UUID, body: ThemesIn, session: SessionDep, staff: Reviewer) -> ConcernDetailOut:
    """Correct the concern's themes (stored with source=staff)."""
    try:
        review.set_themes(session=session, concern_id=concern_id, codes=body.themes, staff=staff)
    except LookupError as error:
        raise _not_found(error) from error
    except ValueError as error:
        raise _invalid(error) from error
    return detail_out(session, concern_id)


@router.put("/{concern_id}/status", response_model=ConcernDetailOut)
def set_status(concern_id: uuid.UUID, body: StatusIn, session: SessionDep, staff: Reviewer) -> ConcernDetailOut:
    """Move the concern to ny, granskad, hanterad or avvisad."""
    try:
        review.set_status(session=session, concern_id=concern_id, status=body.status, staff=staff)
    except LookupError as error:
        raise _not_found(error) from error
    return detail_out(session, concern_id)


@router.post("/{concern_id}/notes", response_model=NoteOut, status_code=status.HTTP_201_CREATED)
def add_note(concern_id: uuid.UUID, body: NoteIn, session: SessionDep, staff: Reviewer) -> NoteOut:
    """Add an internal note (never shown to residents)."""
    try:
        note = review.add_note(session=session, concern_id=concern_id, text=body.text, staff=staff)
    except LookupError as error:
        raise _not_found(error) from error
    except ValueError as error:
        raise _invalid(error) from error
    return NoteOut(id=note.id, text=note.text, created_at=note.created_at, author=staff.username)
