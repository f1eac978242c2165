"""OAuth2 password flow for staff."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.core import messages
from api.core.security import verify_password
from api.crud import get_staff_user
from tests.factories import make_staff_user

TOKEN_URL = "/api/v1/auth/token"


def test_password_is_stored_as_argon2_hash(db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password="ett-långt-lösenord")
    user = get_staff_user(session=db, username="kommunpolis")
    assert user is not None
    assert user.password_hash.startswith("$argon2")
    assert "ett-långt-lösenord" not in user.password_hash
    assert verify_password("ett-långt-lösenord", user.password_hash)


def test_login_returns_bearer_token(client: TestClient, db: Session) -> None:
    make_staff_user(db, username="kommunpolis", password="ett-långt-lösenord")
    response = client.post(TOKEN_URL, data={"username": "kommunpolis", "password": "ett-långt-lösenord"})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    assert response.json()["access_token"]


@pytest.mark.parametrize(("username", "password"), [("kommunpolis", "fel-lösenord"), ("okänd", "ett-långt-lösenord")])
def test_wrong_credentials_are_refused(client: TestClient, db: Session, username: str, password: str) -> None:
    make_staff_user(db, username="kommunpolis", password="ett-långt-lösenord")
    response = client.post(TOKEN_URL, data={"username": username, "password": password})
    assert response.status_code == 401
    assert response.json()["detail"] == messages.INVALID_CREDENTIALS


def test_forged_token_is_refused(client: TestClient) -> None:
    headers = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad"}
    assert client.get("/api/v1/concerns", headers=headers).status_code == 401


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
