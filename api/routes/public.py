"""Public API (no login): the published medborgarlöften, for residents, the /lofte page and the bot."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import SessionDep, SettingsDep
from api.staff import promises
from api.staff.schemas import PublicPromiseOut, PublicPromisesOut

router = APIRouter(prefix="/public", tags=["public"])

UNKNOWN_AREA = "Okänt område."


@router.get("/promises", response_model=PublicPromisesOut)
def published_promises(
    session: SessionDep,
    settings: SettingsDep,
    area: Annotated[str | None, Query(max_length=200, description="Area code or a place name, e.g. 'Stortorget'")]
    = None,
) -> PublicPromisesOut:
    """Published promises, all or for one area (a place counts as the district it lies in)."""
    found = None
    if area and area.strip():
        found = promises.resolve_area(session, area, settings.areas_file)
        if found is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=UNKNOWN_AREA)
    items = promises.public_promises(session=session, area=found)
    return PublicPromisesOut(
        area={"code": found.code, "name": found.name} if found else None,
        items=[PublicPromiseOut.model_validate(p.as_dict()) for p in items],
    )
