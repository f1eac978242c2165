"""After the summary: store the concern with consent, or drop it without."""

import hashlib
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.api_client import ConcernNotSaved, submit_concern
from actions.concern_flow import reset_concern_slots
from actions.concern_slots import (
    DESCRIPTION,
    FELT_SAFETY,
    FREQUENCY,
    PLACE,
    SKIPPED,
    SUGGESTION,
    THEMES,
    TIME_OF_DAY,
    WEEKDAY,
)
from actions.messages import say
from api.privacy.redact import redact  # stdlib-only module shared with the API

# Rasa's input channel names → the channel stored with the concern.
CHANNELS = {"rest": "web", "telegram": "telegram", "twilio": "sms", "cmdline": "test"}
# What a connector may name in the message metadata (bot/channels/ tells SMS and WhatsApp apart).
STORED_CHANNELS = {*CHANNELS.values(), "whatsapp"}


def _answer(tracker: Tracker, slot: str) -> Any:
    """A free-text or numeric answer; skipped and "vet inte" are stored as missing."""
    value = tracker.get_slot(slot)
    return None if value in (None, SKIPPED, answers.DONT_KNOW) else value


def _code(tracker: Tracker, slot: str) -> Any:
    """A coded answer; "vet_inte" is kept (staff want to know it was asked), skipped is missing."""
    value = tracker.get_slot(slot)
    return None if value in (None, SKIPPED) else value


def channel_of(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("channel") in STORED_CHANNELS:
        return str(metadata["channel"])
    return CHANNELS.get(tracker.get_latest_input_channel() or "", "web")


def idempotency_key(tracker: Tracker) -> str:
    """Stable for one consent message, so a retried action cannot store the concern twice."""
    consent_event = next(
        (event for event in reversed(tracker.events) if event.get("event") == "user"), {"timestamp": 0}
    )
    seed = f"{tracker.sender_id}:{consent_event.get('timestamp')}"
    return "c-" + hashlib.sha256(seed.encode()).hexdigest()[:40]


def _scrubbed(text: Any) -> Any:
    return redact(text).text if isinstance(text, str) else text


def concern_payload(tracker: Tracker) -> dict[str, Any]:
    """What the API stores. Free text is scrubbed here already; the place is scrubbed by the API after it has
    matched the area (an address like "Storgatan 5" still names a known street)."""
    felt = _answer(tracker, FELT_SAFETY)
    return {
        "idempotency_key": idempotency_key(tracker),
        "conversation_id": tracker.sender_id,
        "channel": channel_of(tracker),
        "description": _scrubbed(tracker.get_slot(DESCRIPTION)),
        "place": _answer(tracker, PLACE),
        "time_of_day": _code(tracker, TIME_OF_DAY),
        "weekday": _code(tracker, WEEKDAY),
        "frequency": _code(tracker, FREQUENCY),
        "felt_safety": int(felt) if felt else None,
        "suggestion": _scrubbed(_answer(tracker, SUGGESTION)),
        "consent": True,
        "resident_themes": tracker.get_slot(THEMES) or None,
    }


class ActionSubmitConcern(Action):
    """Sends the consented concern to the API and tells the resident it is saved."""

    def name(self) -> str:
        return "action_submit_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.get_slot(DESCRIPTION):
            say(dispatcher, tracker, "nothing_to_save")
            return []
        try:
            # Delivered now or kept in the outbox until the API is back: saved either way.
            await submit_concern(concern_payload(tracker))
        except ConcernNotSaved:
            say(dispatcher, tracker, "save_failed")
            return []
        say(dispatcher, tracker, "concern_saved")
        return [*reset_concern_slots(), SlotSet("concerns_saved", (tracker.get_slot("concerns_saved") or 0) + 1)]


class ActionDiscardConcern(Action):
    """Drops the concern because the resident did not consent (the rule says so to the resident)."""

    def name(self) -> str:
        return "action_discard_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return reset_concern_slots()
