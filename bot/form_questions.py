"""The concern form's questions, asked in Rasa's process instead of over HTTP.

Rasa's form asks for its next slot by running `action_ask_<slot>`. As custom actions these cost one round trip to
the action server per question, carrying the whole tracker, for a message that depends on a few slots only (the
language, and for the theme question the classifier's candidates). `bot/rasa_speedups.py` runs the action server's
own question actions (`actions/report_form.py`, messages from `actions/messages.yml`) here, with a rasa_sdk tracker
holding the conversation's slots, and turns what they say into bot messages with Rasa's own code for an action
server's answer: the resident gets exactly what the action server would have sent. Every other custom action still
goes to the action server.
"""

import dataclasses
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.report_form import ASK_ACTIONS, ActionAskConcernThemeChoice

QUESTIONS: dict[str, Action] = {
    action.name(): action for action in (*(cls() for cls in ASK_ACTIONS.values()), ActionAskConcernThemeChoice())
}


def slots_tracker(tracker: DialogueStateTracker) -> Tracker:
    """A rasa_sdk tracker with the conversation's slots: all a question action reads (its tests check that)."""
    return Tracker(
        sender_id=tracker.sender_id,
        slots=tracker.current_slot_values(),
        latest_message={},
        events=[],
        paused=False,
        followup_action=None,
        active_loop=dataclasses.asdict(tracker.active_loop) if tracker.active_loop else {},
        latest_action_name=None,
    )


async def ask(
    action_name: str, tracker: DialogueStateTracker, domain: Domain
) -> tuple[list[dict[str, Any]], list[Event]] | None:
    """What the question action `action_name` says and does (responses and events as the action server would send
    them), or None when `action_name` is not a question this module asks."""
    action = QUESTIONS.get(action_name)
    if action is None:
        return None
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, slots_tracker(tracker), domain.as_dict())
    return dispatcher.messages, deserialise_events(list(events or []))
