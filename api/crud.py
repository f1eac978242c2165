"""Data functions: plain, keyword-only, one per thing the API does to the database."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.areas import AreaIndex
from api.core.messages import DESCRIPTION_EMPTY, UNKNOWN_THEMES
from api.core.security import hash_password
from api.models import Concern, ConcernTheme, StaffUser, Theme
from api.privacy.redact import redact
from api.schemas import ConcernCreate
from api.theme_service import ClassifierUnavailable, classify

ROLES = ("admin", "analyst", "viewer")


def _scrubbed(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = redact(text).text.strip()
    return cleaned or None


def active_theme_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Theme.code).where(Theme.active)))


def check_theme_codes(session: Session, codes: list[str]) -> list[str]:
    """The codes without duplicates, in order; ValueError naming any unknown or retired code."""
    unknown = sorted(set(codes) - active_theme_codes(session))
    if unknown:
        raise ValueError(UNKNOWN_THEMES.format(codes=", ".join(unknown)))
    return list(dict.fromkeys(codes))


def _model_themes(description: str, theme_model_dir: str) -> list[ConcernTheme]:
    try:
        [prediction], version = classify(theme_model_dir, [description])
    except ClassifierUnavailable:
        return []
    return [
        ConcernTheme(theme_code=code, source="model", score=prediction.scores[code], model_version=version)
        for code in prediction.themes
    ]


def create_concern(
    *,
    session: Session,
    data: ConcernCreate,
    conversation_hash: str,
    areas: AreaIndex,
    theme_model_dir: str,
) -> tuple[Concern, bool]:
    """Store a consented concern once per idempotency key, classified into themes. Returns (concern, created)."""
    existing = session.scalar(select(Concern).where(Concern.idempotency_key == data.idempotency_key))
    if existing is not None:
        return existing, False
    description = _scrubbed(data.description)
    if description is None:
        raise ValueError(DESCRIPTION_EMPTY)
    resident_themes = check_theme_codes(session, data.resident_themes or [])
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
    concern.theme_assignments = [
        *_model_themes(description, theme_model_dir),
        *(ConcernTheme(theme_code=code, source="resident") for code in resident_themes),
    ]
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


def get_concern(*, session: Session, concern_id: uuid.UUID) -> Concern | None:
    return session.get(Concern, concern_id)


def set_staff_themes(*, session: Session, concern: Concern, codes: list[str], staff: StaffUser) -> Concern:
    """Replace the staff's themes of a concern (the model's and the resident's stay for the record)."""
    codes = check_theme_codes(session, codes)
    concern.theme_assignments = [a for a in concern.theme_assignments if a.source != "staff"] + [
        ConcernTheme(theme_code=code, source="staff", staff_user_id=staff.id) for code in codes
    ]
    session.commit()
    session.refresh(concern)
    return concern


def list_themes(*, session: Session) -> list[Theme]:
    return list(session.scalars(select(Theme).order_by(Theme.code)))


def unclassified_concerns(*, session: Session, limit: int) -> list[Concern]:
    has_model_theme = select(ConcernTheme.concern_id).where(ConcernTheme.source == "model")
    return list(session.scalars(select(Concern).where(Concern.id.not_in(has_model_theme)).limit(limit)))


def add_model_themes(*, session: Session, concern: Concern, theme_model_dir: str) -> int:
    themes = _model_themes(concern.description, theme_model_dir)
    concern.theme_assignments.extend(themes)
    session.commit()
    return len(themes)


def get_staff_user(*, session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def create_staff_user(*, session: Session, username: str, password: str, role: str) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.commit()
    return user
