"""POST /api/v1/concerns (action server) and GET /api/v1/concerns (staff), on SQLite and PostgreSQL."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.core import messages
from api.models import Concern
from tests.factories import concern_payload, make_staff_user

URL = "/api/v1/concerns"


def _staff_headers(client: TestClient, db: Session, role: str = "analyst") -> dict[str, str]:
    make_staff_user(db, username=f"user-{role}", password="ett-långt-lösenord", role=role)
    response = client.post(
        "/api/v1/auth/token", data={"username": f"user-{role}", "password": "ett-långt-lösenord"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_stores_a_consented_concern_with_hashed_conversation_id(
    client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    payload = concern_payload(conversation_id="rasa-sender-123")
    response = client.post(URL, json=payload, headers=service_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["description"] == payload["description"]
    assert body["place"] == "Stationsgatan"
    assert body["area_code"] == "stationsomradet"
    assert body["time_of_day"] == "kvall"
    assert body["consent"] is True
    stored = db.scalars(select(Concern)).one()
    assert stored.conversation_hash != "rasa-sender-123"
    assert len(stored.conversation_hash) == 64
    assert "rasa-sender-123" not in str(body)


def test_same_idempotency_key_stores_once(
    client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    payload = concern_payload()
    first = client.post(URL, json=payload, headers=service_headers)
    second = client.post(URL, json=payload, headers=service_headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert db.scalar(select(func.count()).select_from(Concern)) == 1


def test_refuses_a_concern_without_consent(
    client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    response = client.post(URL, json=concern_payload(consent=False), headers=service_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == messages.CONSENT_REQUIRED
    assert db.scalar(select(func.count()).select_from(Concern)) == 0


def test_scrubs_personal_data_before_storing(
    client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    payload = concern_payload(
        description="Min granne Lisa Karlsson säljer knark, ring mig på 070-123 45 67 eller mejla lisa@example.se",
        place="Björkvägen 12",
    )
    response = client.post(URL, json=payload, headers=service_headers)
    assert response.status_code == 201, response.text
    stored = db.scalars(select(Concern)).one()
    for secret in ("Lisa", "Karlsson", "070-123 45 67", "lisa@example.se", "Björkvägen 12"):
        assert secret not in stored.description + (stored.place or "")
    assert "[TELEFON]" in stored.description and "[E-POST]" in stored.description


def test_rejects_without_service_token(client: TestClient, db: Session) -> None:
    assert client.post(URL, json=concern_payload()).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    response = client.post(URL, json=concern_payload(), headers=wrong)
    assert response.status_code == 401
    assert response.json()["detail"] == messages.INVALID_SERVICE_TOKEN


def test_staff_token_is_not_a_service_token(client: TestClient, db: Session) -> None:
    headers = _staff_headers(client, db)
    assert client.post(URL, json=concern_payload(), headers=headers).status_code == 401


def test_validation_errors_are_clear(client: TestClient, service_headers: dict[str, str]) -> None:
    response = client.post(URL, json=concern_payload(time_of_day="lunch", felt_safety=9), headers=service_headers)
    assert response.status_code == 422
    fields = {tuple(error["loc"])[-1] for error in response.json()["detail"]}
    assert {"time_of_day", "felt_safety"} <= fields


def test_staff_lists_concerns_newest_first(
    client: TestClient, db: Session, service_headers: dict[str, str]
) -> None:
    for text in ("Första oron om mopeder", "Andra oron om belysning"):
        assert client.post(URL, json=concern_payload(description=text), headers=service_headers).status_code == 201
    headers = _staff_headers(client, db, role="viewer")
    response = client.get(URL, headers=headers, params={"limit": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert len(body["items"]) == 1


def test_listing_requires_a_staff_token(client: TestClient, service_headers: dict[str, str]) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=service_headers).status_code == 401
