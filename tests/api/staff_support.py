"""Builders for the staff tool tests: concerns with themes at chosen times, areas, logged-in staff of each role."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.models import Concern, ConcernTheme
from api.staff.areas import import_areas
from tests.factories import make_staff_user

AREAS_FILE = Path(__file__).resolve().parents[2] / "api/seed_data/exempelstad_areas.json"
PASSWORD = "ett-långt-lösenord"


def load_areas(session: Session) -> None:
    import_areas(session=session, data=json.loads(AREAS_FILE.read_text(encoding="utf-8")))


def make_concern(
    session: Session,
    *,
    description: str = "Mörk gångtunnel där det hänger folk på kvällarna",
    area_code: str | None = "centrum",
    themes: list[str] | None = None,
    source: str = "model",
    created_at: datetime | None = None,
    status: str = "ny",
    felt_safety: int | None = 2,
    time_of_day: str | None = "kvall",
    weekday: str | None = "helger",
    channel: str = "web",
    is_demo: bool = False,
    commit: bool = True,
) -> Concern:
    concern = Concern(
        created_at=created_at or datetime.now(UTC), channel=channel, description=description, place=None,
        area_code=area_code, time_of_day=time_of_day, weekday=weekday, frequency="varje_vecka",
        felt_safety=felt_safety, suggestion=None, consent=True, idempotency_key=f"t-{uuid.uuid4().hex}",
        conversation_hash=uuid.uuid4().hex, status=status, is_demo=is_demo,
    )
    concern.theme_assignments = [
        ConcernTheme(theme_code=code, source=source, score=0.9 if source == "model" else None)
        for code in (themes if themes is not None else ["fysisk_miljo"])
    ]
    session.add(concern)
    if commit:
        session.commit()
    return concern


def login(client: TestClient, db: Session, role: str, username: str | None = None) -> dict[str, str]:
    """A staff user of `role` and bearer-token headers for them."""
    username = username or f"{role}-user"
    make_staff_user(db, username=username, password=PASSWORD, role=role)
    response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def body(response: Any) -> Any:
    assert response.status_code < 300, response.text
    return response.json()
