import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from api.core import messages
from api.core.security import conversation_hash
from api.crud import create_concern, get_concern, list_concerns
from api.deps import CurrentStaff, Editor, SessionDep, SettingsDep, require_service_token
from api.schemas import ConcernCreate, ConcernList, ConcernPublic, StaffThemesUpdate
from api.staff import review
from api.staff.areas import area_index

router = APIRouter(prefix="/concerns", tags=["concerns"])


@router.post(
    "",
    response_model=ConcernPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_service_token)],
    responses={200: {"description": "Already stored under this idempotency key", "model": ConcernPublic}},
)
def submit_concern(
    data: ConcernCreate, session: SessionDep, settings: SettingsDep, response: Response
) -> ConcernPublic:
    """Store a consented concern (action server only). Repeats with the same idempotency key return the first."""
    if not data.consent:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=messages.CONSENT_REQUIRED)
    try:
        concern, created = create_concern(
            session=session,
            data=data,
            conversation_hash=conversation_hash(settings, data.conversation_id),
            areas=area_index(session, settings.areas_file),
            theme_model_dir=settings.theme_model_dir,
        )
    except ValueError as error:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error)) from error
    if not created:
        response.status_code = status.HTTP_200_OK
    return ConcernPublic.model_validate(concern)


@router.get("", response_model=ConcernList)
def read_concerns(
    session: SessionDep,
    _staff: CurrentStaff,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ConcernList:
    """Stored concerns, newest first (staff only)."""
    rows, total = list_concerns(session=session, limit=limit, offset=offset)
    return ConcernList(items=[ConcernPublic.model_validate(row) for row in rows], total=total)


@router.get("/{concern_id}", response_model=ConcernPublic)
def read_concern(concern_id: uuid.UUID, session: SessionDep, _staff: CurrentStaff) -> ConcernPublic:
    """One concern with its themes (staff only)."""
    concern = get_concern(session=session, concern_id=concern_id)
    if concern is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=messages.CONCERN_NOT_FOUND)
    return ConcernPublic.model_validate(concern)


@router.put("/{concern_id}/themes", response_model=ConcernPublic)
def correct_themes(
    concern_id: uuid.UUID, body: StaffThemesUpdate, session: SessionDep, staff: Editor
) -> ConcernPublic:
    """Set the concern's themes as a staff member (analyst or admin); who and when go to the audit trail."""
    try:
        concern = review.set_themes(session=session, concern_id=concern_id, codes=body.themes, staff=staff)
    except LookupError as error:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=messages.CONCERN_NOT_FOUND) from error
    except ValueError as error:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error)) from error
    return ConcernPublic.model_validate(concern)
