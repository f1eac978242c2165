"""Ending the conversation ("Avsluta samtalet"): whatever the resident has not consented to is dropped.

The rule has already confirmed it to the resident. A concern that was consented to is already with the API (or in
the outbox); everything else (the draft in the form's slots, the summary, the language) goes with the restart.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# Tells the chat gateway that this conversation is over (api/routes/chat.py, CONVERSATION_ENDED_MARKER): the widget
# then forgets it too, and anything more starts a new conversation.
CONVERSATION_ENDED: dict[str, Any] = {"conversation_ended": True}


class ActionEndConversation(Action):
    """Ends the conversation with a Restarted event."""

    def name(self) -> str:
        return "action_end_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(json_message=CONVERSATION_ENDED)
        # Restarted (not a session start) is the clear end: Rasa resets slots and the active form, and the tracker
        # store (bot/tracker_store.py) blanks the text of every event before it.
        return [Restarted()]
