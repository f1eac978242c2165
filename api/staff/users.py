"""Staff accounts (admin): list, create, change role, deactivate. Users are deactivated, never deleted, so the
audit trail keeps pointing at real accounts; the last active admin cannot be demoted or deactivated."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.crud import ROLES, create_staff_user
from api.models import StaffUser
from api.staff import audit, messages

MIN_PASSWORD_LENGTH = 12


def list_users(*, session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def create_user(*, session: Session, username: str, password: str, role: str, staff: StaffUser) -> StaffUser:
    username = username.strip()
    if not username:
        raise ValueError("Användarnamnet är tomt.")
    if role not in ROLES:
        raise ValueError(f"Rollen måste vara en av: {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    try:
        user = create_staff_user(session=session, username=username, password=password, role=role)
    except IntegrityError:
        session.rollback()
        raise ValueError(messages.USER_EXISTS.format(username=username)) from None
    audit.record(session, staff=staff, action="user.create", object_type="user", object_id=user.id,
                 after={"username": username, "role": role})
    session.commit()
    return user


def update_user(
    *, session: Session, user_id: int, staff: StaffUser, role: str | None = None, is_active: bool | None = None
) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise LookupError(messages.USER_NOT_FOUND)
    if role is not None and role not in ROLES:
        raise ValueError(f"Rollen måste vara en av: {', '.join(ROLES)}.")
    before = {"role": user.role, "is_active": user.is_active}
    losing_admin = user.role == "admin" and user.is_active and (
        (role is not None and role != "admin") or is_active is False
    )
    if losing_admin:
        admins = session.scalar(
            select(func.count()).select_from(StaffUser).where(StaffUser.role == "admin", StaffUser.is_active)
        )
        if (admins or 0) <= 1:
            raise ValueError(messages.LAST_ADMIN)
    if role is not None:
        user.role = role
    if is_active is not None:
        user.is_active = is_active
    after = {"role": user.role, "is_active": user.is_active}
    if after != before:
        audit.record(session, staff=staff, action="user.update", object_type="user", object_id=user.id,
                     before=before, after=after)
    session.commit()
    return user
