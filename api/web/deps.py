"""Who is looking at a staff page: the session cookie, the role checks and the CSRF check for forms."""

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.security import APIKeyCookie

from api.core.web_session import (
    CSRF_FIELD,
    SESSION_COOKIE,
    WebSession,
    csrf_matches,
    csrf_token,
    read_session_cookie,
)
from api.crud import get_staff_user
from api.deps import SessionDep, SettingsDep
from api.login_service import session_ended
from api.models import StaffUser
from api.staff.permissions import Permission, has_permission
from api.staff.review import demo_data_present

_session_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, scheme_name="StaffSession")


class LoginRequired(Exception):
    """No valid session: the page handler redirects to the login form and back."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path

    @property
    def login_url(self) -> str:
        return f"/staff/login?next={quote(self.next_path, safe='/')}"


class PageForbidden(Exception):
    """Logged in, but the role may not do this (403 page)."""


class PageNotFound(Exception):
    """The thing the page is about does not exist (404 page with this message)."""


class CsrfRefused(Exception):
    """A form without a valid CSRF token (403 page)."""


def get_web_session(
    settings: SettingsDep, cookie: Annotated[str | None, Depends(_session_cookie)]
) -> WebSession | None:
    return read_session_cookie(settings, cookie)


WebSessionDep = Annotated[WebSession | None, Depends(get_web_session)]


def get_page_staff(
    request: Request, settings: SettingsDep, session: SessionDep, web_session: WebSessionDep
) -> StaffUser:
    """The logged-in staff member; also puts what every page shows into request.state."""
    user = get_staff_user(session=session, username=web_session.username) if web_session else None
    if (web_session is None or user is None or not user.is_active
            or session_ended(session=session, session_id=web_session.session_id)):
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    request.state.staff = user
    request.state.csrf_token = csrf_token(settings, web_session.session_id)
    request.state.demo = demo_data_present(session=session)
    return user


PageStaff = Annotated[StaffUser, Depends(get_page_staff)]


def page_permission(permission: Permission) -> Callable[[StaffUser], StaffUser]:
    """A page dependency that lets only roles holding `permission` through (403 page for the others)."""

    def check(staff: PageStaff) -> StaffUser:
        if not has_permission(staff.role, permission):
            raise PageForbidden()
        return staff

    return check


PageReviewer = Annotated[StaffUser, Depends(page_permission("review"))]
PagePromiseWriter = Annotated[StaffUser, Depends(page_permission("promises"))]
PageAdmin = Annotated[StaffUser, Depends(page_permission("admin"))]


def check_csrf(
    settings: SettingsDep, web_session: WebSessionDep, token: Annotated[str | None, Form(alias=CSRF_FIELD)] = None
) -> None:
    """Every state-changing staff form must carry the token bound to this session."""
    if web_session is None or not csrf_matches(settings, web_session.session_id, token):
        raise CsrfRefused()


CsrfChecked = Depends(check_csrf)
