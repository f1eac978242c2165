"""Starting, summarising, changing and cancelling a concern around the form."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.concern_slots import (
    CODE_LABELS,
    DESCRIPTION,
    ENTITY_SLOTS,
    FELT_SAFETY,
    FORM_SLOTS,
    FREQUENCY,
    PLACE,
    SKIPPED,
    SUGGESTION,
    TIME_OF_DAY,
    WEEKDAY,
)

DESCRIBING_INTENTS = {"describe_concern"}


def reset_concern_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


def slots_from_entities(tracker: Tracker) -> list[EventType]:
    """Slot values the latest message already gave (so the form will not ask for them again)."""
    values: dict[str, Any] = {}
    entities = tracker.latest_message.get("entities") or []
    # A district ("Norrby") is only the place when no more precise place was named.
    for entity in sorted(entities, key=lambda entity: entity.get("entity") != "district"):
        slot = ENTITY_SLOTS.get(entity.get("entity"))
        if slot:
            values[slot] = entity.get("value")
    return [SlotSet(slot, value) for slot, value in values.items()]


class ActionStartConcern(Action):
    """Begins a new concern, keeping what the resident's first message already said."""

    def name(self) -> str:
        return "action_start_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = reset_concern_slots()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not tracker.get_slot("intro_shown"):
            dispatcher.utter_message(response="utter_greet" if intent == "greet" else "utter_intro_short")
            events.append(SlotSet("intro_shown", True))
        if intent in DESCRIBING_INTENTS:
            text = (tracker.latest_message.get("text") or "").strip()
            if text:
                events.append(SlotSet(DESCRIPTION, text))
            events.extend(slots_from_entities(tracker))
        return events


def describe_when(tracker: Tracker) -> str:
    parts = []
    for slot in (TIME_OF_DAY, WEEKDAY):
        code = tracker.get_slot(slot)
        if code and code not in (SKIPPED, answers.DONT_KNOW):
            parts.append(CODE_LABELS[slot].get(code, str(code)))
    return ", ".join(parts) if parts else "okänd tid"


def summary_values(tracker: Tracker) -> dict[str, str]:
    place = tracker.get_slot(PLACE)
    frequency = tracker.get_slot(FREQUENCY)
    felt = tracker.get_slot(FELT_SAFETY)
    suggestion = tracker.get_slot(SUGGESTION)
    return {
        "what": tracker.get_slot(DESCRIPTION) or "",
        "where": place if place and place != answers.DONT_KNOW else "okänd plats",
        "when": describe_when(tracker),
        "how_often": answers.FREQUENCY_LABELS.get(frequency or "", "okänt hur ofta"),
        "felt_safety": f"{felt} av 5" if felt and felt != SKIPPED else "inte angivet",
        "suggestion": suggestion if suggestion and suggestion != SKIPPED else "inget",
    }


class ActionSummarizeConcern(Action):
    """Says the concern back in plain words and asks whether it is right."""

    def name(self) -> str:
        return "action_summarize_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_concern_summary", **summary_values(tracker))
        return []


class ActionChangeAnswer(Action):
    """Clears the answer the resident wants to change, so the form asks it again."""

    def name(self) -> str:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = next(tracker.get_latest_entity_values("change_slot"), None)
        if slot not in FORM_SLOTS:
            dispatcher.utter_message(response="utter_ask_what_to_change")
            return []
        return [SlotSet(slot, None)]


class ActionGoBack(Action):
    """Goes back one question in the form by clearing the previous answer."""

    def name(self) -> str:
        return "action_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        if requested not in FORM_SLOTS:
            return []
        index = FORM_SLOTS.index(requested)
        previous = [slot for slot in FORM_SLOTS[:index] if tracker.get_slot(slot) is not None]
        if not previous:
            dispatcher.utter_message(response="utter_cannot_go_back")
            return []
        return [SlotSet(previous[-1], None), SlotSet("requested_slot", None)]


class ActionCancelConcern(Action):
    """Drops the concern being written: nothing is stored."""

    def name(self) -> str:
        return "action_cancel_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_cancelled")
        return reset_concern_slots()


