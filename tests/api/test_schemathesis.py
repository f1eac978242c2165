"""Schemathesis against the API's own OpenAPI schema: generated requests to every operation, no 5xx.

Runs logged in as an admin (and with the service token where the action server calls), so requests get past
authentication and reach validation and the handlers; chat turns go to the gateway tests' stand-in for Rasa.
Examples are bounded (MAX_EXAMPLES per operation) and the run uses PostgreSQL only, production's database, where
out-of-range numbers and odd text fail hardest; every other API test also runs on SQLite.
"""

import uuid
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from api.core.rate_limit import ChatRateLimiter
from api.main import create_app
from tests.api import test_chat_gateway as gateway
from tests.factories import make_staff_user

MAX_EXAMPLES = 6
PASSWORD = "ett-långt-lösenord"
SERVICE_OPERATIONS = {("POST", "/api/v1/concerns")}

fake_rasa = gateway.fake_rasa
chat_client = gateway.chat_client


@pytest.fixture
def api_client(chat_client: TestClient, database_url: str) -> TestClient:
    if not database_url.startswith("postgresql"):
        pytest.skip("schemathesis runs once, on PostgreSQL")
    # No flood limits here: the generated requests should reach the handlers.
    chat_client.app.state.chat_limiter = ChatRateLimiter(per_session="", per_ip="")  # type: ignore[attr-defined]
    return chat_client


@pytest.fixture
def auth_headers(api_client: TestClient, db: Session, service_headers: dict[str, str]) -> dict[str, dict[str, str]]:
    username = f"admin-{uuid.uuid4().hex[:6]}"
    make_staff_user(db, username=username, password=PASSWORD, role="admin")
    token = api_client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD}).json()
    return {"staff": {"Authorization": f"Bearer {token['access_token']}"}, "service": service_headers}


# The cases are generated from the schema of a plain app; they are sent to the test database's app below.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case: Any, api_client: TestClient,
                                                 auth_headers: dict[str, dict[str, str]]) -> None:
    kind = "service" if (case.method.upper(), case.path) in SERVICE_OPERATIONS else "staff"
    request = case.as_transport_kwargs(base_url=str(api_client.base_url))
    request["headers"] = {**request.get("headers", {}), **auth_headers[kind]}
    request.pop("cookies", None)
    response = api_client.request(**request)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}\n"
        f"{case.as_curl_command()}"
    )
