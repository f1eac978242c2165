"""Fixtures for action unit tests: dispatcher, domain and a tracker builder."""

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    *,
    slots: dict[str, Any] | None = None,
    intent: str = "describe_concern",
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    sender_id: str = "test-sender",
    input_channel: str = "rest",
    active_loop: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    latest = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "text": text,
        "metadata": metadata or {},
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest, "input_channel": input_channel,
         "timestamp": 1700000000.5, "metadata": metadata or {}},
    ]
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict[str, Any]:
    return {}


def said(dispatcher: CollectingDispatcher, key: str, language: str = "sv", **values: Any) -> bool:
    """Whether the dispatcher sent catalog message `key` (actions/messages.yml)."""
    from actions.messages import catalog

    template = catalog()[key][language]["text"]
    expected = template.format(**values) if values else template
    return any(message.get("text") == expected for message in dispatcher.messages)


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [str(message.get("text")) for message in dispatcher.messages]
