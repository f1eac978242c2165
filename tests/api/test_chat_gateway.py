"""POST /api/v1/chat against a local stand-in for Rasa's REST channel (the real Rasa runs in tests/e2e)."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from api.core import messages
from api.core.config import Settings

URL = "/api/v1/chat"


class _FakeRasa(BaseHTTPRequestHandler):
    received: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeRasa.received.append(body)
        reply = [
            {"recipient_id": body["sender"], "text": f"Du skrev: {body['message']}"},
            {"recipient_id": body["sender"], "text": "Stämmer det?",
             "buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]},
            {"recipient_id": body["sender"], "image": "ignored.png"},
        ]
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_rasa() -> Iterator[int]:
    _FakeRasa.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture
def chat_client(client: TestClient, settings: Settings, fake_rasa: int) -> TestClient:
    from api.core.config import get_settings

    patched = settings.model_copy(update={"rasa_port": fake_rasa})
    client.app.dependency_overrides[get_settings] = lambda: patched  # type: ignore[attr-defined]
    return client


def test_new_conversation_gets_a_session_and_replies(chat_client: TestClient) -> None:
    response = chat_client.post(URL, json={"session_id": None, "text": "Hej"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["session_id"]) > 30
    assert body["replies"] == [
        {"text": "Du skrev: Hej", "buttons": []},
        {"text": "Stämmer det?", "buttons": [{"title": "Ja", "payload": "/affirm"},
                                             {"title": "Nej", "payload": "/deny"}]},
    ]
    assert _FakeRasa.received[0]["sender"] == body["session_id"]


def test_session_continues_and_text_is_nfc_normalised(chat_client: TestClient) -> None:
    session_id = chat_client.post(URL, json={"text": "Hej"}).json()["session_id"]
    decomposed = "ga\u030angtunneln"  # "gångtunneln" typed with a combining ring
    response = chat_client.post(URL, json={"session_id": session_id, "text": f"  {decomposed} "})
    assert response.status_code == 200
    assert _FakeRasa.received[-1] == {"sender": session_id, "message": "gångtunneln", "metadata": {"channel": "web"}}


def test_made_up_session_ids_are_refused(chat_client: TestClient) -> None:
    response = chat_client.post(URL, json={"session_id": "someone-elses-id", "text": "Hej"})
    assert response.status_code == 400
    assert response.json()["detail"] == messages.INVALID_CHAT_SESSION
    assert _FakeRasa.received == []


def test_empty_messages_are_refused(chat_client: TestClient) -> None:
    assert chat_client.post(URL, json={"text": "   "}).json()["detail"] == messages.CHAT_TEXT_EMPTY
    assert _FakeRasa.received == []


def test_bot_down_gives_503_with_a_clear_message(client: TestClient, settings: Settings) -> None:
    from api.core.config import get_settings

    client.app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"rasa_port": 9})  # type: ignore[attr-defined]
    response = client.post(URL, json={"text": "Hej"})
    assert response.status_code == 503
    assert response.json()["detail"] == messages.BOT_UNAVAILABLE
