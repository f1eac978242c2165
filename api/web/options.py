"""Choices the staff pages offer in their forms, with Swedish labels."""

from typing import Any, get_args

from sqlalchemy.orm import Session

from api.models import Theme
from api.staff.areas import list_areas


def theme_labels(themes: list[Theme]) -> dict[str, str]:
    return {t.code: t.label for t in themes}


def district_options(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the active districts, by name, for the area filters."""
    return [(a.code, a.name) for a in list_areas(session=session) if a.kind == "district"]


def channel_options(labels: dict[str, str], channel_type: Any) -> list[tuple[str, str]]:
    return [(code, labels.get(code, code)) for code in get_args(channel_type)]
