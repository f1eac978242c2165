"""Ending a conversation (POST /api/v1/chat/end) and the widget's configuration (GET /api/v1/chat/config),
against a local stand-in for Rasa's REST channel (the real bot runs in tests/e2e/test_widget.py)."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from api.core import messages
from api.core.config import Settings, get_settings
from api.routes.chat import CONVERSATION_ENDED_MARKER, END_CONVERSATION_MESSAGE

CHAT = "/api/v1/chat"
CONFIRMATION = "Samtalet är avslutat. Inget mer av det du skrivit sparas."


class _Rasa(BaseHTTPRequestHandler):
    received: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Rasa.received.append(body)
        if body["message"] == END_CONVERSATION_MESSAGE:  # what the rule and action_end_conversation answer
            reply: list[dict[str, object]] = [{"text": CONFIRMATION}, {"custom": {CONVERSATION_ENDED_MARKER: True}}]
        else:
            reply = [{"text": "Berätta gärna mer."}]
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def chat_client(client: TestClient, settings: Settings) -> Iterator[TestClient]:
    _Rasa.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Rasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    patched = settings.model_copy(update={"rasa_port": server.server_address[1]})
    client.app.dependency_overrides[get_settings] = lambda: patched  # type: ignore[attr-defined]
    yield client
    server.shutdown()


def test_ending_sends_the_gateway_only_message_and_reports_the_end(chat_client: TestClient) -> None:
    session_id = chat_client.post(CHAT, json={"text": "Det är mörkt i gångtunneln"}).json()["session_id"]
    response = chat_client.post(f"{CHAT}/end", json={"session_id": session_id})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "session_id": session_id, "replies": [{"text": CONFIRMATION, "buttons": []}], "ended": True,
    }
    assert _Rasa.received[-1]["sender"] == session_id
    assert _Rasa.received[-1]["message"] == END_CONVERSATION_MESSAGE


def test_an_ordinary_turn_is_not_an_end(chat_client: TestClient) -> None:
    assert chat_client.post(CHAT, json={"text": "Hej"}).json()["ended"] is False


@pytest.mark.parametrize("text", [
    END_CONVERSATION_MESSAGE, "  /end_conversation ", '/end_conversation{"x": 1}', "/end_conversation@0.9",
])
def test_a_resident_cannot_send_the_end_intent_as_text(chat_client: TestClient, text: str) -> None:
    response = chat_client.post(CHAT, json={"text": text})
    assert response.status_code == 422
    assert response.json()["detail"] == messages.CHAT_TEXT_RESERVED
    assert _Rasa.received == []


def test_words_about_ending_still_reach_the_bot(chat_client: TestClient) -> None:
    """Residents may write it in their own words; the bot's NLU takes it from there."""
    response = chat_client.post(CHAT, json={"text": "avsluta samtalet"})
    assert response.status_code == 200
    assert _Rasa.received[-1]["message"] == "avsluta samtalet"


@pytest.mark.parametrize("body", [{"session_id": "någon-annans-id"}, {}, {"session_id": None}])
def test_ending_needs_a_session_the_gateway_issued(chat_client: TestClient, body: dict[str, object]) -> None:
    response = chat_client.post(f"{CHAT}/end", json=body)
    assert response.status_code in (400, 422)
    if response.status_code == 400:
        assert response.json()["detail"] == messages.INVALID_CHAT_SESSION
    assert _Rasa.received == []


def test_ending_while_the_bot_is_down_gives_503(client: TestClient, settings: Settings) -> None:
    from api.core.security import new_chat_session_id

    client.app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"rasa_port": 9})  # type: ignore[attr-defined]
    response = client.post(f"{CHAT}/end", json={"session_id": new_chat_session_id(settings)})
    assert response.status_code == 503
    assert response.json()["detail"] == messages.BOT_UNAVAILABLE


def test_config_tells_the_widget_the_gateways_limit(client: TestClient, settings: Settings) -> None:
    client.app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"chat_max_chars": 321})  # type: ignore[attr-defined]
    assert client.get(f"{CHAT}/config").json() == {"max_chars": 321}
