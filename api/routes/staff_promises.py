"""Staff JSON API: medborgarlöften (write, publish, activities, follow-up)."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import PromiseWriter, Reader, RowId, SessionDep
from api.staff import promises
from api.staff.schemas import ActivityOut, ActivityStatusIn, PromiseIn, PromiseOut, PromiseStatus, PromiseStatusIn

router = APIRouter(prefix="/staff/promises", tags=["staff: promises"])


def _data(body: PromiseIn) -> promises.PromiseData:
    return promises.PromiseData(
        title=body.title, text=body.text, responsible=body.responsible, responsible_name=body.responsible_name,
        period_start=body.period_start, period_end=body.period_end, area_codes=body.areas, theme_codes=body.themes,
        concern_ids=body.concerns,
        activities=[promises.ActivityData(title=a.title, status=a.status, due=a.due) for a in body.activities],
    )


def _errors(error: Exception) -> HTTPException:
    if isinstance(error, LookupError):
        return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(error.args[0]))
    return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error))


@router.get("", response_model=list[PromiseOut])
def list_promises(
    session: SessionDep,
    _staff: Reader,
    status_: Annotated[PromiseStatus | None, Query(alias="status")] = None,
    area: Annotated[str | None, Query(max_length=64)] = None,
) -> list[PromiseOut]:
    """All promises (drafts too), newest period first."""
    return [PromiseOut.model_validate(p) for p in promises.list_promises(session=session, status=status_, area=area)]


@router.post("", response_model=PromiseOut, status_code=status.HTTP_201_CREATED)
def create_promise(body: PromiseIn, session: SessionDep, staff: PromiseWriter) -> PromiseOut:
    """Write a new promise (saved as a draft)."""
    try:
        promise = promises.create_promise(session=session, data=_data(body), staff=staff)
    except (LookupError, ValueError) as error:
        raise _errors(error) from error
    return PromiseOut.model_validate(promise)


@router.get("/{promise_id}", response_model=PromiseOut)
def read_promise(promise_id: RowId, session: SessionDep, _staff: Reader) -> PromiseOut:
    """One promise with its areas, themes, linked concerns and activities."""
    try:
        return PromiseOut.model_validate(promises.get_promise(session, promise_id))
    except LookupError as error:
        raise _errors(error) from error


@router.put("/{promise_id}", response_model=PromiseOut)
def update_promise(promise_id: RowId, body: PromiseIn, session: SessionDep, staff: PromiseWriter) -> PromiseOut:
    """Replace the promise's text, period, areas, themes, linked concerns and activities."""
    try:
        promise = promises.update_promise(session=session, promise_id=promise_id, data=_data(body), staff=staff)
    except (LookupError, ValueError) as error:
        raise _errors(error) from error
    return PromiseOut.model_validate(promise)


@router.put("/{promise_id}/status", response_model=PromiseOut)
def set_status(promise_id: RowId, body: PromiseStatusIn, session: SessionDep, staff: PromiseWriter) -> PromiseOut:
    """Publish (publicerad), take back to draft (utkast), close (avslutad) or reopen."""
    try:
        promise = promises.set_promise_status(session=session, promise_id=promise_id, status=body.status, staff=staff)
    except (LookupError, ValueError) as error:
        raise _errors(error) from error
    return PromiseOut.model_validate(promise)


@router.put("/{promise_id}/activities/{activity_id}/status", response_model=ActivityOut)
def set_activity_status(
    promise_id: RowId, activity_id: RowId, body: ActivityStatusIn, session: SessionDep, staff: PromiseWriter
) -> ActivityOut:
    """Move one activity along: planerad, pagar, klar or installd."""
    try:
        activity = promises.set_activity_status(
            session=session, promise_id=promise_id, activity_id=activity_id, status=body.status, staff=staff
        )
    except (LookupError, ValueError) as error:
        raise _errors(error) from error
    return ActivityOut.model_validate(activity)


@router.get("/{promise_id}/follow-up")
def read_follow_up(promise_id: RowId, session: SessionDep, _staff: Reader) -> dict[str, Any]:
    """Concerns on the promise's themes and areas since it started, against as long a period before."""
    try:
        return promises.follow_up(session=session, promise_id=promise_id).as_dict()
    except LookupError as error:
        raise _errors(error) from error
