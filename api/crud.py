"""Data functions: plain, keyword-only, one per thing the API does to the database."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.areas import AreaIndex
from api.core.messages import DESCRIPTION_EMPTY
from api.core.security import hash_password
from api.models import Concern, StaffUser
from api.privacy.redact import redact
from api.schemas import ConcernCreate

ROLES = ("admin", "analyst", "viewer")


def _scrubbed(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = redact(text).text.strip()
    return cleaned or None


def create_concern(
    *, session: Session, data: ConcernCreate, conversation_hash: str, areas: AreaIndex
) -> tuple[Concern, bool]:
    """Store a consented concern once per idempotency key. Returns (concern, created)."""
    existing = session.scalar(select(Concern).where(Concern.idempotency_key == data.idempotency_key))
    if existing is not None:
        return existing, False
    description = _scrubbed(data.description)
    if description is None:
        raise ValueError(DESCRIPTION_EMPTY)
    # The area is matched on the resident's own words: scrubbing may turn "Storgatan 5" into "[ADRESS]".
    area_code = areas.match(data.place)
    place = _scrubbed(data.place)
    concern = Concern(
        channel=data.channel,
        description=description,
        place=place,
        area_code=area_code,
        time_of_day=data.time_of_day,
        weekday=data.weekday,
        frequency=data.frequency,
        felt_safety=data.felt_safety,
        suggestion=_scrubbed(data.suggestion),
        consent=data.consent,
        idempotency_key=data.idempotency_key,
        conversation_hash=conversation_hash,
    )
    session.add(concern)
    try:
        session.commit()
    except IntegrityError:
        # A retry of the same submission raced this one: the first writer wins, both callers get its row.
        session.rollback()
        winner = session.scalar(select(Concern).where(Concern.idempotency_key == data.idempotency_key))
        if winner is None:
            raise
        return winner, False
    return concern, True


def list_concerns(*, session: Session, limit: int, offset: int) -> tuple[list[Concern], int]:
    total = session.scalar(select(func.count()).select_from(Concern)) or 0
    rows = session.scalars(
        select(Concern).order_by(Concern.created_at.desc(), Concern.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def get_staff_user(*, session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def create_staff_user(*, session: Session, username: str, password: str, role: str) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.commit()
    return user
