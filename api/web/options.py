"""Choices the staff pages offer in their forms, with Swedish labels."""

from typing import Any, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Area, Theme


def theme_labels(themes: list[Theme]) -> dict[str, str]:
    return {t.code: t.label for t in themes}


def area_names(session: Session) -> dict[str, str]:
    """District code → name, for the area filter and for showing a concern's area."""
    # TODO(staff-core areas): use their area listing once api/staff/areas.py lands.
    rows = session.execute(select(Area.code, Area.name).where(Area.kind == "district"))
    return {code: name for code, name in rows}


def channel_options(labels: dict[str, str], channel_type: Any) -> list[tuple[str, str]]:
    return [(code, labels.get(code, code)) for code in get_args(channel_type)]
