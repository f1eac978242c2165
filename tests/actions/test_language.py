"""The Swedish/English guess behind the `language` slot, and the action that sets it."""

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionDetectLanguage, detect_language
from tests.actions.conftest import make_tracker


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


@pytest.mark.parametrize(
    ("text", "current", "events"),
    [
        ("I feel unsafe at the station at night", "sv", [SlotSet("language", "en")]),
        ("jag känner mig otrygg vid stationen", "en", [SlotSet("language", "sv")]),
        ("jag känner mig otrygg vid stationen", "sv", []),
        ("Stortorget", "en", []),  # says nothing: English stays
        ("/affirm", "en", []),
    ],
)
async def test_action_sets_the_slot_only_when_the_language_changes(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], text: str, current: str, events: list[Any]
) -> None:
    tracker = make_tracker(text=text, slots={"language": current})
    assert await ActionDetectLanguage().run(dispatcher, tracker, domain) == events
    assert dispatcher.messages == []
