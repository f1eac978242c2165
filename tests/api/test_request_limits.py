"""Limits with clear answers: long messages, large bodies, rate limits (in process and in Redis), JSON 422s."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.core import messages
from api.core.config import Settings
from api.core.rate_limit import ChatRateLimiter, RateLimited
from tests.api import test_chat_gateway as gateway
from tests.api.test_chat_gateway import URL, _FakeRasa
from tests.api.test_security import _staff_token
from tests.factories import concern_payload

# The gateway tests' stand-in for Rasa and their client, shared as fixtures.
fake_rasa = gateway.fake_rasa
chat_client = gateway.chat_client

REDIS_URL = "redis://127.0.0.1:6379/15"


def _limit(client: TestClient, *, per_session: str = "1000/minute", per_ip: str = "1000/minute") -> None:
    client.app.state.chat_limiter = ChatRateLimiter(per_session=per_session, per_ip=per_ip)  # type: ignore[attr-defined]


def test_a_long_message_is_shortened_and_the_resident_is_told(chat_client: TestClient, settings: Settings) -> None:
    words = "det är mörkt och otäckt i gångtunneln vid skolan "
    text = words * (settings.chat_max_chars // len(words) + 5)
    response = chat_client.post(URL, json={"text": text})
    assert response.status_code == 200, response.text
    replies = response.json()["replies"]
    assert replies[0]["text"] == messages.CHAT_TEXT_TRUNCATED.format(limit=settings.chat_max_chars)
    sent = str(_FakeRasa.received[-1]["message"])
    assert len(sent) <= settings.chat_max_chars
    assert text.startswith(sent) and not sent.endswith(" ") and text[len(sent)] == " "  # cut between words
    assert replies[1]["text"] == f"Du skrev: {sent}"  # the bot got and answered what could be kept


def test_a_message_within_the_limit_is_not_marked(chat_client: TestClient, settings: Settings) -> None:
    replies = chat_client.post(URL, json={"text": "x" * settings.chat_max_chars}).json()["replies"]
    assert all(reply["text"] != messages.CHAT_TEXT_TRUNCATED.format(limit=settings.chat_max_chars)
               for reply in replies)


def test_a_too_large_body_gets_413_as_json(chat_client: TestClient, settings: Settings) -> None:
    response = chat_client.post(URL, json={"text": "a" * (settings.chat_max_body_bytes + 10)})
    assert response.status_code == 413
    assert response.json() == {"detail": messages.BODY_TOO_LARGE.format(limit=settings.chat_max_body_bytes)}
    assert _FakeRasa.received == []


def test_a_too_large_chunked_body_gets_413(chat_client: TestClient, settings: Settings) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(settings.chat_max_body_bytes // 1000 + 2):
            yield b"a" * 1000
        yield b'"}'

    response = chat_client.post(URL, content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert _FakeRasa.received == []


def test_other_routes_have_the_larger_general_limit(client: TestClient, settings: Settings) -> None:
    # Beyond the chat limit but within the general one: refused for lack of a token, not for its size.
    body = {"padding": "x" * (settings.chat_max_body_bytes * 2)}
    assert client.post("/api/v1/concerns", json=body).status_code == 401
    huge = client.post("/api/v1/concerns", content=b"x" * (settings.max_body_bytes + 1),
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413


def test_a_chunked_body_within_the_limit_passes(chat_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": '
        yield '"Hej då"}'.encode()

    response = chat_client.post(URL, content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text


def test_per_session_limit_answers_429_with_retry_after(chat_client: TestClient) -> None:
    _limit(chat_client, per_session="3/minute")
    session_id = chat_client.post(URL, json={"text": "Hej"}).json()["session_id"]  # no session yet: not counted
    for _ in range(3):
        assert chat_client.post(URL, json={"session_id": session_id, "text": "mer"}).status_code == 200
    limited = chat_client.post(URL, json={"session_id": session_id, "text": "mer"})
    assert limited.status_code == 429
    retry_after = int(limited.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert limited.json()["detail"] == messages.RATE_LIMITED.format(seconds=retry_after)
    # Another conversation from the same address goes on.
    assert chat_client.post(URL, json={"text": "Hej"}).status_code == 200


def test_per_ip_limit_answers_429(chat_client: TestClient) -> None:
    _limit(chat_client, per_ip="2/minute")
    assert chat_client.post(URL, json={"text": "Hej"}).status_code == 200
    assert chat_client.post(URL, json={"text": "Hej"}).status_code == 200
    limited = chat_client.post(URL, json={"text": "Hej"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    sent_before = len(_FakeRasa.received)
    assert chat_client.post(URL, json={"session_id": "made-up", "text": "Hej"}).status_code == 429
    assert len(_FakeRasa.received) == sent_before


def test_redis_counters_are_shared_between_workers() -> None:
    ip = f"192.0.2.{uuid.uuid4().int % 250}-{uuid.uuid4().hex}"  # fresh key: the Redis db outlives the test
    worker_a = ChatRateLimiter(per_session="", per_ip="3/minute", redis_url=REDIS_URL)
    worker_b = ChatRateLimiter(per_session="", per_ip="3/minute", redis_url=REDIS_URL)
    worker_a.hit(ip=ip, session_id=None)
    worker_b.hit(ip=ip, session_id=None)
    worker_a.hit(ip=ip, session_id=None)
    with pytest.raises(RateLimited) as limited:
        worker_b.hit(ip=ip, session_id=None)
    assert 1 <= limited.value.retry_after <= 60


def test_validation_errors_are_json_with_a_clear_message_and_no_echo(client: TestClient) -> None:
    response = client.post(URL, json={"session_id": "x" * 200, "txt": "min granne Lisa Karlsson"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith(messages.INVALID_REQUEST.format(errors=""))
    assert "text: Field required" in body["message"] and "session_id:" in body["message"]
    assert "Lisa" not in response.text  # what was sent is not echoed back
    assert {error["loc"][-1] for error in body["detail"]} == {"text", "session_id"}


def test_broken_json_is_a_clear_422(client: TestClient) -> None:
    response = client.post(URL, content=b'{"text": ', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "JSON" in response.json()["message"]


def test_values_the_database_cannot_hold_are_a_422_not_a_500(
    client: TestClient, db: Session, service_headers: dict[str, str], database_url: str
) -> None:
    response = client.get("/api/v1/concerns", params={"offset": 2**63}, headers=_staff_token(client, db))
    assert response.status_code == 422 and response.json()["detail"] == messages.VALUE_OUT_OF_RANGE
    if database_url.startswith("postgresql"):  # SQLite stores NUL; PostgreSQL text cannot
        nul = client.post("/api/v1/concerns", json=concern_payload(description="mörkt\x00 i tunneln"),
                          headers=service_headers)
        assert nul.status_code == 422 and nul.json()["detail"] == messages.VALUE_OUT_OF_RANGE


def test_nul_in_a_query_string_or_path_is_a_422(client: TestClient, db: Session) -> None:
    staff = _staff_token(client, db)
    for url in ("/api/v1/staff/concerns/export.csv?area=a%00b", "/api/v1/staff/concerns?q=x%00",
                "/api/v1/staff/themes/ab%00c"):
        response = client.get(url, headers=staff)
        assert response.status_code == 422, url
        assert response.json()["detail"] == messages.VALUE_OUT_OF_RANGE
