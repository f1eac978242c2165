"""Staff login shared by the web form and `POST /api/v1/auth/token`: password check, throttling, audit."""

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from api.core.security import verify_password
from api.core.throttle import LoginThrottle
from api.crud import get_staff_user
from api.models import AuditEvent, StaffUser
from api.staff import audit


@dataclass
class LoginRefused(Exception):
    """Wrong username or password (retry_after == 0), or too many failures (retry_after seconds to wait)."""

    retry_after: int = 0


def authenticate(
    *, session: Session, throttle: LoginThrottle, username: str, password: str, ip: str
) -> StaffUser:
    """The active staff user with these credentials; raises LoginRefused otherwise."""
    wait = throttle.retry_after(username, ip)
    if wait:
        _audit(session, username=username, ip=ip, outcome="locked")
        raise LoginRefused(retry_after=wait)
    user = get_staff_user(session=session, username=username)
    valid = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        throttle.failed(username, ip)
        _audit(session, username=username, ip=ip, outcome="failed")
        raise LoginRefused()
    throttle.succeeded(username)
    _audit(session, username=username, ip=ip, outcome="ok", user=user)
    return user


LOGIN_ACTIONS = {"ok": "login", "failed": "login_failed", "locked": "login_locked"}


def _audit(session: Session, *, username: str, ip: str, outcome: str, user: StaffUser | None = None) -> None:
    """Write the attempt to the audit trail: the name tried (as the object), the address, the outcome."""
    audit.record(session, staff=user, action=LOGIN_ACTIONS[outcome], object_type="staff_user",
                 object_id=username[:64], after={"ip": ip})
    session.commit()


# A logout is recorded against the web session's id, which also ends that session on the server: a copy of the
# signed cookie kept after logging out is refused (one indexed lookup per page, see `session_ended`).
SESSION_OBJECT = "staff_session"


def record_logout(*, session: Session, user: StaffUser, session_id: str, ip: str) -> None:
    audit.record(session, staff=user, action="logout", object_type=SESSION_OBJECT, object_id=session_id,
                 after={"ip": ip})
    session.commit()


def session_ended(*, session: Session, session_id: str) -> bool:
    """True when the web session was logged out."""
    ended = exists().where(AuditEvent.object_type == SESSION_OBJECT, AuditEvent.object_id == session_id)
    return bool(session.scalar(select(ended)))
