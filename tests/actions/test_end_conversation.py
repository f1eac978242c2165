"""Ending the conversation ("Avsluta samtalet") drops the draft with a Restarted event and tells the gateway."""

from typing import Any

from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.end_conversation import CONVERSATION_ENDED, ActionEndConversation
from tests.actions.conftest import make_tracker

# Must match what the chat gateway looks for (api/routes/chat.py, CONVERSATION_ENDED_MARKER).
GATEWAY_MARKER = "conversation_ended"


async def test_ending_mid_form_restarts_and_marks_the_end(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        intent="end_conversation", text="/end_conversation", active_loop="concern_form",
        slots={"concern_description": "Det langas i trappan", "concern_place": "Storgatan"},
    )
    events = await ActionEndConversation().run(dispatcher, tracker, domain)
    assert events == [Restarted()]
    # Only the marker: the confirmation the resident reads is utter_conversation_ended, said by the rule before.
    assert [(message["custom"], message["text"]) for message in dispatcher.messages] == [(CONVERSATION_ENDED, None)]
    assert CONVERSATION_ENDED == {GATEWAY_MARKER: True}


async def test_ending_with_nothing_written_is_the_same_clean_end(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionEndConversation().run(dispatcher, make_tracker(intent="end_conversation"), domain)
    assert events == [Restarted()]
    assert [message["custom"] for message in dispatcher.messages] == [CONVERSATION_ENDED]
