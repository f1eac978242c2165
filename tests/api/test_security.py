"""Who gets in, and what stored input can do: enumerated from the OpenAPI schema, not listed by hand.

- Every operation in the schema that is not on the explicit PUBLIC list refuses a request without a valid
  token, so an endpoint another module adds later is covered the day it appears.
- Stored script and markup come back as inert data (JSON strings; escaped in the staff pages).
- SQL-looking input is stored verbatim and does nothing.
"""

import re
import uuid
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.models import Concern
from tests.factories import concern_payload, make_staff_user
from tests.web_login import log_in

# Operations anyone may call: the residents' chat, logging in, public promises, health.
PUBLIC = {
    ("POST", "/api/v1/chat"),
    ("POST", "/api/v1/chat/end"),
    ("GET", "/api/v1/chat/config"),
    ("POST", "/api/v1/auth/token"),
    ("GET", "/api/v1/public/promises"),
    ("GET", "/healthz"),
}
REFUSED = {401, 403}
PASSWORD = "ett-långt-lösenord"


def _example(schema: dict[str, Any]) -> str:
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("type") == "integer":
        return "1"
    return "x"


def _operations(app: Any) -> list[tuple[str, str, dict[str, Any]]]:
    schema = app.openapi()
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _url(path: str, operation: dict[str, Any]) -> tuple[str, dict[str, str]]:
    query: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        value = _example(parameter.get("schema", {}))
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", value)
        elif parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = value
    return path, query


def test_every_protected_operation_refuses_requests_without_a_valid_token(client: TestClient) -> None:
    operations = _operations(client.app)
    protected = [op for op in operations if (op[0], op[1]) not in PUBLIC]
    assert len(protected) >= 5, "the schema lost its protected operations"
    failures = []
    for method, path, operation in protected:
        url, query = _url(path, operation)
        for headers in ({}, {"Authorization": "Bearer not-a-valid-token"},
                        {"Authorization": "Basic YWRtaW46YWRtaW4="}):
            response = client.request(method, url, params=query, headers=headers, json={})
            if response.status_code not in REFUSED:
                failures.append(f"{method} {path} {headers or 'no token'} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_public_list_names_only_operations_that_exist(client: TestClient) -> None:
    present = {(method, path) for method, path, _ in _operations(client.app)}
    assert PUBLIC <= present, PUBLIC - present


def _routes(client: TestClient) -> list[tuple[str, set[str], APIRoute]]:
    """Every FastAPI route with its full path (routers included in routers are walked)."""
    return [
        (context.path, set(context.methods or ()), context.route)
        for context in iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
        if isinstance(context.route, APIRoute)
    ]


def test_no_json_api_route_hides_from_the_schema(client: TestClient) -> None:
    routes = _routes(client)
    assert any(path.startswith("/api/") for path, _, _ in routes)
    hidden = [path for path, _, route in routes if path.startswith("/api/") and not route.include_in_schema]
    assert hidden == [], "API routes outside the schema escape the token test"


# Staff pages (HTML, outside the schema) anyone may open: the login form and what it needs.
PUBLIC_PAGES = {"/staff/login"}


def test_every_staff_page_sends_strangers_to_the_login(client: TestClient) -> None:
    pages = [(path, methods) for path, methods, _ in _routes(client)
             if path.startswith("/staff") and path not in PUBLIC_PAGES]
    assert len(pages) >= 3, "no staff pages found"
    failures = []
    for path, methods in pages:
        url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        for method in sorted(methods):
            response = client.request(method, url, follow_redirects=True)
            if not (response.url.path == "/staff/login" or response.status_code in REFUSED):
                failures.append(f"{method} {path} -> {response.status_code} {response.url.path}")
    assert not failures, "\n".join(failures)


def _staff_token(client: TestClient, db: Session, role: str = "admin") -> dict[str, str]:
    username = f"{role}-{uuid.uuid4().hex[:6]}"
    make_staff_user(db, username=username, password=PASSWORD, role=role)
    token = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


XSS = [
    "<script>alert('x')</script> folk samlas vid torget",
    '"><img src=x onerror=alert(1)> mopeder på gångvägen',
    "javascript:alert(document.cookie) <svg onload=alert(1)> klotter",
]


@pytest.mark.parametrize("payload", XSS)
def test_stored_markup_comes_back_as_inert_data(client: TestClient, db: Session, service_headers: dict[str, str],
                                                payload: str) -> None:
    created = client.post("/api/v1/concerns", json=concern_payload(description=payload, suggestion=payload),
                          headers=service_headers)
    assert created.status_code == 201, created.text
    concern_id = created.json()["id"]
    staff = _staff_token(client, db)
    response = client.get(f"/api/v1/concerns/{concern_id}", headers=staff)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["description"] == payload  # data, exactly as stored
    # The staff page shows it escaped: no element or attribute from the resident's text reaches the DOM.
    username = f"granskare-{uuid.uuid4().hex[:6]}"
    make_staff_user(db, username=username, password=PASSWORD, role="analyst")
    log_in(client, username, PASSWORD)
    page = client.get(f"/staff/arenden/{concern_id}")
    assert page.status_code == 200, page.text[:300]
    html = page.text
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert re.search(r"&lt;(script|img|svg)", html)


SQL = [
    "'; DROP TABLE concern; --",
    "x'); DELETE FROM staff_user WHERE ('1'='1",
    "1 OR 1=1; UPDATE concern SET consent = false",
]


@pytest.mark.parametrize("payload", SQL)
def test_sql_looking_input_is_stored_verbatim_and_harmless(client: TestClient, db: Session,
                                                           service_headers: dict[str, str], payload: str) -> None:
    staff_before = _staff_token(client, db)
    created = client.post("/api/v1/concerns", json=concern_payload(description=f"Skadegörelse {payload}",
                                                                   place=payload), headers=service_headers)
    assert created.status_code == 201, created.text
    stored = db.get(Concern, uuid.UUID(created.json()["id"]))
    assert stored is not None and stored.description == f"Skadegörelse {payload}"
    # The tables and the other rows are untouched; the staff token made before still works.
    assert db.scalar(select(func.count()).select_from(Concern).where(Concern.consent.is_(False))) == 0
    assert client.get("/api/v1/concerns", headers=staff_before).status_code == 200
    listed = client.get("/api/v1/staff/concerns", params={"q": payload}, headers=staff_before)
    assert listed.status_code == 200, listed.text
