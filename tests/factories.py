"""Test data builders with overridable defaults."""

import uuid
from typing import Any

from sqlalchemy.orm import Session


def concern_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "idempotency_key": f"test-{uuid.uuid4().hex}",
        "conversation_id": f"conv-{uuid.uuid4().hex}",
        "channel": "web",
        "description": "Det langas knark vid busshållplatsen på kvällarna",
        "place": "Stationsgatan",
        "time_of_day": "kvall",
        "weekday": "helger",
        "frequency": "varje_vecka",
        "felt_safety": 2,
        "suggestion": "Bättre belysning",
        "consent": True,
    }
    payload.update(overrides)
    return payload


def make_staff_user(session: Session, *, username: str = "analytiker", password: str = "ett-långt-lösenord",
                    role: str = "analyst") -> Any:
    from api.crud import create_staff_user

    return create_staff_user(session=session, username=username, password=password, role=role)
