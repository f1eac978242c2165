from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.core import messages
from api.core.security import create_access_token
from api.deps import LoginThrottleDep, SessionDep, SettingsDep
from api.login_service import LoginRefused, authenticate
from api.schemas import Token

router = APIRouter(prefix="/auth", tags=["auth"])


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/token",
    response_model=Token,
    responses={401: {"description": "Wrong credentials"}, 429: {"description": "Too many failed attempts"}},
)
def login_for_access_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
) -> Token:
    """OAuth2 password flow for staff: username and password in, bearer token out (throttled after failures)."""
    try:
        user = authenticate(
            session=session, throttle=throttle, username=form.username, password=form.password, ip=client_ip(request)
        )
    except LoginRefused as refused:
        if refused.retry_after:
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=messages.LOGIN_LOCKED.format(minutes=-(-refused.retry_after // 60)),
                headers={"Retry-After": str(refused.retry_after)},
            ) from refused
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=messages.INVALID_CREDENTIALS,
            headers={"WWW-Authenticate": "Bearer"},
        ) from refused
    return Token(access_token=create_access_token(settings, subject=user.username, role=user.role))
