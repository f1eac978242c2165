"""Dependencies shared by the routes: settings, database session, current staff user, service token."""

import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from sqlalchemy.orm import Session

from api.core import messages
from api.core.config import Settings, get_settings
from api.core.security import decode_access_token, service_token_matches
from api.core.throttle import LoginThrottle
from api.crud import get_staff_user
from api.db import get_db
from api.models import StaffUser
from api.staff.permissions import Permission, has_permission

SettingsDep = Annotated[Settings, Depends(get_settings)]
# An integer row id in a path: bounded so that a huge number is a 422, not a database overflow (500).
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
SessionDep = Annotated[Session, Depends(get_db)]

_throttle_lock = threading.Lock()


def get_login_throttle(request: Request, settings: SettingsDep) -> LoginThrottle:
    """The app's one failed-login counter, shared by the web form and the token endpoint."""
    state = request.app.state
    with _throttle_lock:
        if not hasattr(state, "login_throttle"):
            state.login_throttle = LoginThrottle(
                max_per_user=settings.login_max_failures_per_user,
                max_per_ip=settings.login_max_failures_per_ip,
                window_seconds=settings.login_lockout_minutes * 60,
                redis_url=settings.redis_url,
            )
    throttle: LoginThrottle = state.login_throttle
    return throttle


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]

_oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
_service_bearer = HTTPBearer(auto_error=False, scheme_name="ServiceToken")

_UNAUTHENTICATED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail=messages.NOT_AUTHENTICATED,
    headers={"WWW-Authenticate": "Bearer"},
)


def get_current_staff(
    settings: SettingsDep, session: SessionDep, token: Annotated[str | None, Depends(_oauth2)]
) -> StaffUser:
    """The logged-in staff user, from the bearer token."""
    claims = decode_access_token(settings, token) if token else None
    if claims is None:
        raise _UNAUTHENTICATED
    user = get_staff_user(session=session, username=str(claims.get("sub")))
    if user is None or not user.is_active:
        raise _UNAUTHENTICATED
    return user


CurrentStaff = Annotated[StaffUser, Depends(get_current_staff)]


def require_service_token(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_service_bearer)]
) -> None:
    """Only the action server, holding SERVICE_TOKEN, may submit concerns."""
    if credentials is None or not service_token_matches(settings, credentials.credentials):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=messages.INVALID_SERVICE_TOKEN,
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_role(*roles: str) -> Callable[[StaffUser], StaffUser]:
    """A dependency that lets only staff with one of `roles` through (403 for the others)."""

    def check(staff: CurrentStaff) -> StaffUser:
        if staff.role not in roles:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=messages.FORBIDDEN)
        return staff

    return check


Editor = Annotated[StaffUser, Depends(require_role("analyst", "admin"))]


def require_permission(permission: Permission) -> Callable[[StaffUser], StaffUser]:
    """A dependency that lets only staff whose role holds `permission` through (403 for the others)."""

    def check(staff: CurrentStaff) -> StaffUser:
        if not has_permission(staff.role, permission):
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=messages.FORBIDDEN)
        return staff

    return check


# Bearer-token staff with a given permission (api/staff/permissions.py): viewer reads, analyst reviews and
# writes promises, admin also manages users, themes and areas.
Reader = Annotated[StaffUser, Depends(require_permission("read"))]
Reviewer = Annotated[StaffUser, Depends(require_permission("review"))]
PromiseWriter = Annotated[StaffUser, Depends(require_permission("promises"))]
Admin = Annotated[StaffUser, Depends(require_permission("admin"))]


def require_service_or_staff(
    settings: SettingsDep,
    session: SessionDep,
    token: Annotated[str | None, Depends(_oauth2)],
) -> None:
    """The action server (service token) or any logged-in staff user."""
    if token and service_token_matches(settings, token):
        return
    get_current_staff(settings, session, token)
