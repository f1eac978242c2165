"""Staff login and logout pages."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.security import APIKeyCookie
from starlette.responses import RedirectResponse, Response

from api.core import messages
from api.core.web_session import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    csrf_matches,
    csrf_token,
    new_login_csrf_seed,
    new_session_cookie,
    set_cookie,
)
from api.deps import LoginThrottleDep, SessionDep, SettingsDep
from api.login_service import LoginRefused, authenticate, record_logout
from api.routes.auth import client_ip
from api.web.deps import CsrfChecked, PageStaff, WebSessionDep
from api.web.templating import render

router = APIRouter(prefix="/staff", include_in_schema=False)

_login_csrf_cookie = APIKeyCookie(name=LOGIN_CSRF_COOKIE, auto_error=False)
LOGIN_FORM_MINUTES = 30
HOME = "/staff/arenden"


def safe_next(next_path: str | None) -> str:
    """Only local staff pages: never redirect to another site after login."""
    if next_path and next_path.startswith("/staff/") and not next_path.startswith("//") and "\\" not in next_path:
        return next_path
    return HOME


def _login_page(request: Request, settings: SettingsDep, *, next_path: str, error: str | None = None,
                username: str = "", status_code: int = 200) -> Response:
    seed = new_login_csrf_seed()
    response = render(
        request,
        "staff/login.html",
        status_code=status_code,
        csrf_token=csrf_token(settings, seed),
        next_path=next_path,
        error=error,
        username=username,
    )
    set_cookie(response, settings, LOGIN_CSRF_COOKIE, seed, max_age=LOGIN_FORM_MINUTES * 60)
    return response


@router.get("/login")
def login_form(request: Request, settings: SettingsDep, next: str | None = None) -> Response:  # noqa: A002
    """The login form."""
    return _login_page(request, settings, next_path=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    throttle: LoginThrottleDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    token: Annotated[str | None, Form(alias=CSRF_FIELD)] = None,
    next: Annotated[str | None, Form()] = None,  # noqa: A002
) -> Response:
    """Check the password; on success start a session and go on to the page asked for."""
    next_path = safe_next(next)
    seed = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not csrf_matches(settings, seed, token):
        return _login_page(request, settings, next_path=next_path, error=messages.CSRF_INVALID,
                           username=username, status_code=403)
    try:
        user = authenticate(
            session=session, throttle=throttle, username=username, password=password, ip=client_ip(request)
        )
    except LoginRefused as refused:
        if refused.retry_after:
            response = _login_page(
                request, settings, next_path=next_path, username=username, status_code=429,
                error=messages.LOGIN_LOCKED.format(minutes=-(-refused.retry_after // 60)),
            )
            response.headers["Retry-After"] = str(refused.retry_after)
            return response
        return _login_page(request, settings, next_path=next_path, error=messages.INVALID_CREDENTIALS,
                           username=username, status_code=401)
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(response, settings, SESSION_COOKIE, new_session_cookie(settings, username=user.username),
               max_age=settings.staff_session_minutes * 60)
    clear_cookie(response, settings, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, settings: SettingsDep, session: SessionDep, staff: PageStaff,
           web_session: WebSessionDep) -> Response:
    """End the session (on the server, and the cookie is removed) and show the login form."""
    assert web_session is not None  # PageStaff has checked it
    record_logout(session=session, user=staff, session_id=web_session.session_id, ip=client_ip(request))
    response = RedirectResponse("/staff/login", status_code=303)
    clear_cookie(response, settings, SESSION_COOKIE)
    return response


@router.get("")
@router.get("/")
def staff_home() -> Response:
    """The staff tool starts at the concern list."""
    return RedirectResponse(HOME, status_code=303)
