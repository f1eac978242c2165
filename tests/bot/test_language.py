"""The Swedish/English guess behind the `language` slot, answered in Rasa's process for action_extract_slots."""

import pytest
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_speedups
from bot.language import ACTION_NAME, detect_language

DOMAIN = Domain.from_yaml(
    """
    version: "3.1"
    slots:
      language:
        type: categorical
        values: [sv, en]
        initial_value: sv
        influence_conversation: false
        mappings:
          - type: custom
            action: action_detect_language
    actions:
      - action_detect_language
    """
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("There are people selling drugs in the park every evening", "en"),
        ("I feel unsafe at the bus stop", "en"),
        ("hello", "en"),
        ("Det langas knark i parken varje kväll", "sv"),
        ("jag känner mig otrygg vid busshållplatsen", "sv"),
        ("hej", "sv"),
        ("Stationsgatan", None),
        ("ok", None),
        ('/inform{"time_of_day": "kvall"}', None),
        ("people sell drugs at Söderäng torg every night", "en"),
        ("there's no light in the tunnel at Västra fälten", "en"),
        ("im scared of the guys at the bus stop", "en"),
        ("yes", None),  # too short to say: the language in use stays
        ("det är jättemörkt vid Söderäng", "sv"),
        ("mopeder på gångvägen", "sv"),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def _tracker(text: str, current: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("resident", [SlotSet("language", current)], DOMAIN.slots)
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}))
    return tracker


@pytest.mark.parametrize(
    ("text", "current", "language"),
    [
        ("I feel unsafe at the station at night", "sv", "en"),
        ("jag känner mig otrygg vid stationen", "en", "sv"),
        ("jag känner mig otrygg vid stationen", "sv", "sv"),
        ("Stortorget", "en", "en"),  # says nothing: English stays
        ("/affirm", "en", "en"),
    ],
)
async def test_action_extract_slots_sets_the_language_without_the_action_server(
    text: str, current: str, language: str
) -> None:
    """Rasa's own action_extract_slots fills the slot with no action endpoint at all: no HTTP call is made."""
    rasa_speedups.install()
    tracker = _tracker(text, current)
    events = await ActionExtractSlots(action_endpoint=None).run(None, None, tracker, DOMAIN)  # type: ignore[arg-type]
    for event in events:
        tracker.update(event)
    assert tracker.get_slot("language") == language
    assert all(not isinstance(event, SlotSet) or event.value != current for event in events)


async def test_other_custom_mapping_actions_still_go_to_the_action_server() -> None:
    rasa_speedups.install()
    calls: list[str] = []

    async def remote(self: RemoteAction, *args: object) -> list[SlotSet]:
        calls.append(self.name())
        return []

    original = rasa_speedups._ORIGINAL_REMOTE_RUN
    rasa_speedups._ORIGINAL_REMOTE_RUN = remote  # type: ignore[assignment]
    try:
        action = ActionExtractSlots(action_endpoint=None)
        tracker = _tracker("hej", "sv")
        await action._run_custom_action("action_fill_something", None, None, tracker, DOMAIN)  # type: ignore[arg-type]
        await action._run_custom_action(ACTION_NAME, None, None, tracker, DOMAIN)  # type: ignore[arg-type]
    finally:
        rasa_speedups._ORIGINAL_REMOTE_RUN = original  # type: ignore[assignment]
    assert calls == ["action_fill_something"]
