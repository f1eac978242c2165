"""Theme administration (admin): add, rename and describe, retire and reactivate. Themes are never deleted, so
old concerns and figures stay readable; a retired theme is no longer offered for new corrections."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import StaffUser, Theme
from api.staff import audit, messages

CODE_PATTERN = re.compile(r"^[a-z0-9_]{2,64}$")


def _get(session: Session, code: str) -> Theme:
    theme = session.get(Theme, code)
    if theme is None:
        raise LookupError(messages.THEME_NOT_FOUND)
    return theme


def _snapshot(theme: Theme) -> dict[str, object]:
    return {"label": theme.label, "description": theme.description, "active": theme.active}


def list_themes(*, session: Session, include_retired: bool = True) -> list[Theme]:
    query = select(Theme).order_by(Theme.label)
    if not include_retired:
        query = query.where(Theme.active)
    return list(session.scalars(query))


def create_theme(*, session: Session, code: str, label: str, description: str, staff: StaffUser) -> Theme:
    """A new active theme with a stable code (a–z, digits, underscore)."""
    if not CODE_PATTERN.match(code):
        raise ValueError(messages.THEME_CODE_INVALID)
    if session.get(Theme, code) is not None:
        raise ValueError(messages.THEME_EXISTS.format(code=code))
    label = label.strip()
    if not label:
        raise ValueError("Temat behöver en benämning.")
    theme = Theme(code=code, label=label, description=description.strip(), active=True)
    session.add(theme)
    audit.record(session, staff=staff, action="theme.create", object_type="theme", object_id=code,
                 after=_snapshot(theme))
    session.commit()
    return theme


def update_theme(
    *,
    session: Session,
    code: str,
    staff: StaffUser,
    label: str | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> Theme:
    """Rename, re-describe, retire (active=False) or reactivate a theme; the code never changes."""
    theme = _get(session, code)
    before = _snapshot(theme)
    if label is not None:
        if not label.strip():
            raise ValueError("Temat behöver en benämning.")
        theme.label = label.strip()
    if description is not None:
        theme.description = description.strip()
    if active is not None:
        theme.active = active
    after = _snapshot(theme)
    if after != before:
        action = "theme.retire" if before["active"] and not theme.active else "theme.update"
        audit.record(session, staff=staff, action=action, object_type="theme", object_id=code,
                     before=before, after=after)
    session.commit()
    return theme
