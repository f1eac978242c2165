"""Storing with consent (through a local stand-in for our API on loopback) and dropping without."""

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client
from actions.concern_slots import FORM_SLOTS, THEME_SLOTS, THEMES
from actions.config import ActionSettings
from actions.consent import ActionDiscardConcern, ActionSubmitConcern, concern_payload
from tests.actions.conftest import make_tracker, said

SLOTS = {
    "concern_description": "Gänget vid kiosken langar, ring mig på 070-123 45 67",
    "concern_place": "Storgatan 5",
    "concern_time_of_day": "kvall",
    "concern_weekday": "hoppade_over",
    "concern_frequency": "vet_inte",
    "concern_felt_safety": "2",
    "concern_suggestion": "hoppade_over",
}


class FakeApi(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    headers_seen: list[str] = []
    status = 201

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeApi.received.append(body)
        FakeApi.headers_seen.append(self.headers.get("Authorization", ""))
        self.send_response(FakeApi.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "x"}')

    def log_message(self, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fake_api() -> Iterator[int]:
    FakeApi.received, FakeApi.headers_seen, FakeApi.status = [], [], 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture
def settings(tmp_path: Path, fake_api: int, monkeypatch: pytest.MonkeyPatch) -> ActionSettings:
    settings = ActionSettings(
        api_port=fake_api, service_token=SecretStr("service-token"), outbox_dir=str(tmp_path / "outbox"),
        outbox_flush_seconds=3600,
    )
    monkeypatch.setattr(api_client, "get_settings", lambda: settings)
    return settings


def test_payload_is_scrubbed_and_coded() -> None:
    payload = concern_payload(make_tracker(slots={**SLOTS, THEMES: ["narkotika"]}, sender_id="abc"))
    assert payload["resident_themes"] == ["narkotika"]
    assert "070-123 45 67" not in payload["description"] and "[TELEFON]" in payload["description"]
    assert payload["place"] == "Storgatan 5"  # the API matches the area first, then scrubs
    assert payload["weekday"] is None and payload["frequency"] == "vet_inte" and payload["felt_safety"] == 2
    assert payload["suggestion"] is None and payload["consent"] is True and payload["channel"] == "web"
    assert payload["idempotency_key"] == concern_payload(make_tracker(slots=SLOTS, sender_id="abc"))["idempotency_key"]
    assert payload["idempotency_key"] != concern_payload(make_tracker(slots=SLOTS, sender_id="xyz"))["idempotency_key"]


async def test_submit_delivers_once_and_resets(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], settings: ActionSettings
) -> None:
    events = await ActionSubmitConcern().run(dispatcher, make_tracker(slots=SLOTS), domain)
    assert len(FakeApi.received) == 1
    assert FakeApi.headers_seen == ["Bearer service-token"]
    assert said(dispatcher, "concern_saved")
    assert events == [*(SlotSet(slot, None) for slot in (*FORM_SLOTS, *THEME_SLOTS)), SlotSet("concerns_saved", 1)]


async def test_api_down_keeps_the_concern_in_the_outbox_until_it_is_back(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], settings: ActionSettings
) -> None:
    down = settings.copy(update={"api_port": _free_port()})
    outcome = await api_client.submit_concern(concern_payload(make_tracker(slots=SLOTS)), down)
    assert outcome == "queued"
    assert len(api_client.outbox_files(down)) == 1
    assert await api_client.flush_outbox(down) == 0  # still down
    assert await api_client.flush_outbox(settings) == 1  # back
    assert api_client.outbox_files(settings) == []
    assert len(FakeApi.received) == 1


async def test_rejected_payload_is_kept_for_an_operator(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], settings: ActionSettings
) -> None:
    FakeApi.status = 422
    assert await api_client.submit_concern(concern_payload(make_tracker(slots=SLOTS)), settings) == "queued"
    assert len(list((Path(settings.outbox_dir) / "rejected").glob("*.json"))) == 1


async def test_nothing_to_submit_without_a_description(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], settings: ActionSettings
) -> None:
    assert await ActionSubmitConcern().run(dispatcher, make_tracker(slots={}), domain) == []
    assert said(dispatcher, "nothing_to_save")
    assert FakeApi.received == []


async def test_discard_forgets_without_sending(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], settings: ActionSettings
) -> None:
    events = await ActionDiscardConcern().run(dispatcher, make_tracker(slots=SLOTS, intent="deny"), domain)
    assert events == [SlotSet(slot, None) for slot in (*FORM_SLOTS, *THEME_SLOTS)]
    assert FakeApi.received == []
