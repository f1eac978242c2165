from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from api.areas import load_area_index
from api.core import messages
from api.core.security import conversation_hash
from api.crud import create_concern, list_concerns
from api.deps import CurrentStaff, SessionDep, SettingsDep, require_service_token
from api.schemas import ConcernCreate, ConcernList, ConcernPublic

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
            areas=load_area_index(settings.areas_file),
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
