"""The concern form's questions asked in Rasa's process say exactly what the action server would say."""

from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.concern_slots import FORM_SLOTS, THEME_CANDIDATES, THEME_CHOICE
from actions.messages import catalog
from bot import form_questions, rasa_speedups

DOMAIN = Domain.load("bot/domain")
QUESTION_ACTIONS = [f"action_ask_{slot}" for slot in (*FORM_SLOTS, THEME_CHOICE)]


def _tracker(language: str, candidates: list[str] | None) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("resident", [
        ActionExecuted("action_listen"),
        UserUttered("det är mörkt i gångtunneln", {"name": "report_concern", "confidence": 1.0}),
        SlotSet("language", language),
        SlotSet(THEME_CANDIDATES, candidates),
        SlotSet("concern_description", "det är mörkt i gångtunneln"),
    ], DOMAIN.slots)


async def _action_server_answer(name: str, tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """What the action server's action says, given the whole tracker as Rasa sends it."""
    dispatcher = CollectingDispatcher()
    full = Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))
    assert await form_questions.QUESTIONS[name].run(dispatcher, full, DOMAIN.as_dict()) == []
    return dispatcher.messages


async def _asked_in_rasa(name: str, tracker: DialogueStateTracker) -> list[Any]:
    """The events of `name` run as Rasa runs a custom action (RemoteAction.run, as installed), with no endpoint."""
    channel, nlg = CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return await rasa_speedups._run_remote_action(RemoteAction(name, None), channel, nlg, tracker, DOMAIN)


def test_every_question_of_the_domain_is_asked_here() -> None:
    asked_in_domain = {name for name in DOMAIN.user_actions if name.startswith("action_ask_concern_")}
    assert set(QUESTION_ACTIONS) == asked_in_domain == set(form_questions.QUESTIONS)


@pytest.mark.parametrize("name", QUESTION_ACTIONS)
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("candidates", [None, ["trafik", "fysisk_miljo"]])
async def test_a_question_says_what_the_action_server_says(
    name: str, language: str, candidates: list[str] | None
) -> None:
    tracker = _tracker(language, candidates)
    expected = await _action_server_answer(name, tracker)
    asked = await form_questions.ask(name, tracker, DOMAIN)
    assert asked == (expected, [])
    channel, nlg = CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    events = await _asked_in_rasa(name, tracker)
    assert events == await RemoteAction._utter_responses(expected, channel, nlg, tracker)
    assert all(isinstance(event, BotUttered) and event.text for event in events)


async def test_the_questions_are_in_the_residents_language() -> None:
    for language in ("sv", "en"):
        events = await _asked_in_rasa("action_ask_concern_place", _tracker(language, None))
        message = catalog()["ask_concern_place"][language]
        assert [(event.text, event.data.get("buttons")) for event in events] == [
            (message["text"], message.get("buttons"))]


async def test_theme_question_offers_the_classifiers_candidates() -> None:
    [event] = await _asked_in_rasa(f"action_ask_{THEME_CHOICE}", _tracker("sv", ["trafik", "alkohol"]))
    assert [button["title"] for button in event.data["buttons"]][:2] == ["Trafik", "Alkohol och berusning"]


async def test_other_actions_still_go_to_the_action_server() -> None:
    assert await form_questions.ask("action_submit_concern", _tracker("sv", None), DOMAIN) is None
    with pytest.raises(RasaException, match="no endpoint is configured"):
        await _asked_in_rasa("action_submit_concern", _tracker("sv", None))
