"""RASA_URLS: the chat gateway spreads the turns of one conversation over several Rasa instances, in turn."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from api.core.config import Settings, get_settings

URL = "/api/v1/chat"


def _instance(name: str, log: list[tuple[str, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            log.append((name, body["message"]))
            data = json.dumps([{"recipient_id": body["sender"], "text": f"{name}: {body['message']}"}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def two_instances() -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    log: list[tuple[str, str]] = []
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _instance(name, log)) for name in ("a", "b")]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.1:{server.server_address[1]}/" for server in servers], log
    for server in servers:
        server.shutdown()


def test_rasa_urls_default_to_rasa_host_and_port(settings: Settings) -> None:
    single = settings.model_copy(update={"rasa_urls": "", "rasa_host": "10.1.2.3", "rasa_port": 5006})
    assert single.rasa_webhook_urls == ["http://10.1.2.3:5006/webhooks/rest/webhook"]
    several = settings.model_copy(update={"rasa_urls": " http://r1:5005/, http://r2:5005 ,"})
    assert several.rasa_webhook_urls == ["http://r1:5005/webhooks/rest/webhook", "http://r2:5005/webhooks/rest/webhook"]


def test_turns_of_one_conversation_alternate_between_instances(
    client: TestClient, settings: Settings, two_instances: tuple[list[str], list[tuple[str, str]]]
) -> None:
    urls, log = two_instances
    patched = settings.model_copy(update={"rasa_urls": ",".join(urls)})
    client.app.dependency_overrides[get_settings] = lambda: patched  # type: ignore[attr-defined]
    session_id = None
    for number in range(6):
        response = client.post(URL, json={"session_id": session_id, "text": f"tur {number}"})
        assert response.status_code == 200, response.text
        session_id = response.json()["session_id"]
    assert [message for _, message in log] == [f"tur {number}" for number in range(6)]
    served_by = [name for name, _ in log]
    assert all(a != b for a, b in zip(served_by, served_by[1:], strict=False)), served_by
    assert sorted(set(served_by)) == ["a", "b"]
