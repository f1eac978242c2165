"""Staff login shared by the web form and `POST /api/v1/auth/token`: password check, throttling, audit."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.core.security import verify_password
from api.core.throttle import LoginThrottle
from api.crud import get_staff_user
from api.models import StaffUser
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


def record_logout(*, session: Session, user: StaffUser, ip: str) -> None:
    audit.record(session, staff=user, action="logout", object_type="staff_user", object_id=user.username,
                 after={"ip": ip})
    session.commit()
