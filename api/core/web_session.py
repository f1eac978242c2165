"""Staff web sessions and CSRF tokens.

The session is a signed cookie (JWT, HS256 with SECRET_KEY) holding the username and a random session id; the
user's role and active flag are read from the database on every request, so a role change or a deactivation
applies at once. The cookie is HttpOnly, SameSite=Strict and Secure in production.

CSRF (synchronizer token): every state-changing form carries `csrf_token`, an HMAC of the session id. Before
login there is no session, so the login form is bound the same way to a random pre-login cookie.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from starlette.responses import Response

from api.core.config import Settings
from api.core.security import JWT_ALGORITHM

SESSION_COOKIE = "trygg_session"
LOGIN_CSRF_COOKIE = "trygg_login_csrf"
CSRF_FIELD = "csrf_token"
_SESSION_TYPE = "staff_web"


@dataclass(frozen=True)
class WebSession:
    username: str
    session_id: str


def new_session_cookie(settings: Settings, *, username: str) -> str:
    now = datetime.now(UTC)
    payload = {
        "sub": username,
        "sid": secrets.token_urlsafe(24),
        "typ": _SESSION_TYPE,
        "iat": now,
        "exp": now + timedelta(minutes=settings.staff_session_minutes),
    }
    return jwt.encode(payload, settings.secret_key.get_secret_value(), algorithm=JWT_ALGORITHM)


def read_session_cookie(settings: Settings, value: str | None) -> WebSession | None:
    """The session in a cookie, or None when missing, forged, expired or of another kind."""
    if not value:
        return None
    try:
        claims = jwt.decode(value, settings.secret_key.get_secret_value(), algorithms=[JWT_ALGORITHM])
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != _SESSION_TYPE or not claims.get("sub") or not claims.get("sid"):
        return None
    return WebSession(username=str(claims["sub"]), session_id=str(claims["sid"]))


def csrf_token(settings: Settings, seed: str) -> str:
    """The form token for a session id (or pre-login cookie value)."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"csrf:" + seed.encode(), hashlib.sha256).hexdigest()


def csrf_matches(settings: Settings, seed: str | None, submitted: str | None) -> bool:
    if not seed or not submitted:
        return False
    return hmac.compare_digest(csrf_token(settings, seed), submitted)


def set_cookie(response: Response, settings: Settings, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="strict", secure=settings.secure_cookies
    )


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=settings.secure_cookies)


def new_login_csrf_seed() -> str:
    return secrets.token_urlsafe(24)
