"""Starting, summarising, changing and cancelling a concern around the form."""

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.api_client import classify_text
from actions.concern_slots import (
    CODES,
    DESCRIPTION,
    ENTITY_SLOTS,
    FELT_SAFETY,
    FORM_SLOTS,
    FREQUENCY,
    LABEL_GROUPS,
    PLACE,
    SKIPPED,
    SUGGESTION,
    THEME_CANDIDATES,
    THEME_CHANGE,
    THEME_CHOICE,
    THEME_SLOTS,
    THEMES,
    TIME_OF_DAY,
    WEEKDAY,
)
from actions.messages import labels, say
from actions.themes import NO_THEME, active_themes, candidate_themes, theme_from_text
from api.privacy.redact import redact  # stdlib-only module shared with the API

DESCRIBING_INTENTS = {"describe_concern"}
# A first message that says what would help ("mer belysning") is kept as the suggestion.
SUGGESTING_INTENTS = {"suggest"}
# A first message classified as an answer ("knark bakom pizzerian på Storgatan") is still a description when it
# says more than its place and time words.
MIN_DESCRIPTION_WORDS_BEYOND_ENTITIES = 3


def describes_more_than_its_entities(tracker: Tracker) -> bool:
    message = tracker.latest_message
    text = message.get("text") or ""
    if text.startswith("/"):
        return False
    covered: set[int] = set()  # character positions inside place/time/… entities (extractors may overlap)
    for entity in message.get("entities") or []:
        if entity.get("entity") in ENTITY_SLOTS and "start" in entity and "end" in entity:
            covered.update(range(entity["start"], entity["end"]))
    free_words = [word for word in re.finditer(r"\S+", text) if word.start() not in covered]
    return len(free_words) >= MIN_DESCRIPTION_WORDS_BEYOND_ENTITIES


def reset_concern_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, *THEME_SLOTS)]


def slots_from_entities(tracker: Tracker) -> list[EventType]:
    """Slot values the latest message already gave (so the form will not ask for them again)."""
    values: dict[str, Any] = {}
    entities = tracker.latest_message.get("entities") or []
    # A district ("Norrby") is only the place when no more precise place was named.
    for entity in sorted(entities, key=lambda entity: entity.get("entity") != "district"):
        slot = ENTITY_SLOTS.get(entity.get("entity"))
        value = entity.get("value")
        # Coded answers only when the model produced a known code ("varje" alone is not a frequency).
        if slot and (slot not in CODES or value in CODES[slot]):
            values[slot] = value
    return [SlotSet(slot, value) for slot, value in values.items()]


WHEN_SLOTS = {"time_of_day": TIME_OF_DAY, "weekday": WEEKDAY, "frequency": FREQUENCY}


def slots_said_in_words(text: str, already: set[str]) -> list[EventType]:
    """When the description says "varje kväll" or "på helgerna" and the model tagged no entity for it."""
    found = answers.when_in_description(text)
    return [SlotSet(slot, found[kind]) for kind, slot in WHEN_SLOTS.items() if kind in found and slot not in already]


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
            # A greeting got the full introduction from its rule; anyone else hears the short one once.
            if intent != "greet":
                say(dispatcher, tracker, "intro_short")
            events.append(SlotSet("intro_shown", True))
        if intent in DESCRIBING_INTENTS or (intent == "inform" and describes_more_than_its_entities(tracker)):
            text = (tracker.latest_message.get("text") or "").strip()
            if text:
                events.append(SlotSet(DESCRIPTION, text))
            events.extend(slots_from_entities(tracker))
            events.extend(slots_said_in_words(text, {event["name"] for event in events if event.get("value")}))
        elif intent in SUGGESTING_INTENTS:
            text = (tracker.latest_message.get("text") or "").strip()
            if text:
                events.append(SlotSet(SUGGESTION, text))
        return events


def summary_values(tracker: Tracker) -> dict[str, str]:
    """The concern's answers in plain words, in the resident's language."""
    said = labels(tracker)

    def label(slot: str) -> str | None:
        code = tracker.get_slot(slot)
        if code in (None, SKIPPED, answers.DONT_KNOW):
            return None
        return str(said[LABEL_GROUPS[slot]].get(code, code))

    place = tracker.get_slot(PLACE)
    when = [text for text in (label(TIME_OF_DAY), label(WEEKDAY)) if text]
    felt = tracker.get_slot(FELT_SAFETY)
    suggestion = tracker.get_slot(SUGGESTION)
    return {
        "what": tracker.get_slot(DESCRIPTION) or "",
        "where": place if place and place != answers.DONT_KNOW else said["unknown_place"],
        "when": ", ".join(when) if when else said["unknown_time"],
        "how_often": label(FREQUENCY) or said["unknown_frequency"],
        "felt_safety": said["felt_safety"].format(level=felt) if felt and felt != SKIPPED else said["not_given"],
        "suggestion": suggestion if suggestion and suggestion != SKIPPED else said["no_suggestion"],
    }


def spoken_list(items: list[str], and_word: str) -> str:
    """"a", "a och b", "a, b och c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {and_word} {items[-1]}"


MAX_PROPOSED_THEMES = 3
# Buttons offered when the resident corrects the themes (plus "none of them"): fits a phone screen.
MAX_THEME_CHOICES = 5


def theme_names(tracker: Tracker, codes: list[str], api_labels: dict[str, str] | None = None) -> list[str]:
    """How the themes are said back: English names for an English resident, else the API's (or the taxonomy's)
    labels."""
    english = labels(tracker).get("themes", {})
    swedish = {**active_themes(), **(api_labels or {})}
    return [str(english.get(code) or swedish.get(code, code)).lower() for code in codes]


class ActionSummarizeConcern(Action):
    """Says the concern back in plain words, with the themes it seems to be about, and asks whether it is right.

    Confirming the summary confirms the proposed themes too: they are stored with source "resident". A theme the
    resident chose ("ändra ämnet") replaces the classifier's proposal.
    """

    def name(self) -> str:
        return "action_summarize_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        said = labels(tracker)
        events: list[EventType] = [SlotSet(THEME_CHANGE, None)]
        chosen = tracker.get_slot(THEME_CHOICE)
        api_labels: dict[str, str] = {}
        if chosen:
            themes = [] if chosen == NO_THEME else [str(chosen)]
        else:
            description = redact(tracker.get_slot(DESCRIPTION) or "").text
            result = await classify_text(description) if description else None
            themes = (result or {}).get("themes", [])[:MAX_PROPOSED_THEMES]
            api_labels = (result or {}).get("labels") or {}
            scores = (result or {}).get("scores") or {code: 1.0 for code in themes}
            events.append(SlotSet(THEME_CANDIDATES, candidate_themes(scores, MAX_THEME_CHOICES) if scores else None))
        names = theme_names(tracker, themes, api_labels)
        themes_line = said["themes_line"].format(themes=spoken_list(names, said["and"])) if names else ""
        say(dispatcher, tracker, "concern_summary", **summary_values(tracker), themes_line=themes_line)
        return [*events, SlotSet(THEMES, themes or None)]


NEGATION = re.compile(r"\b(?:inte|int|ej|aldrig|not|isn't|isnt)\b", re.IGNORECASE)


def named_theme(text: str | None) -> str | None:
    """The theme a correction names ("nej, det handlar om trafik"), unless it says what the concern is NOT about."""
    if not text or text.startswith("/") or NEGATION.search(text):
        return None
    code = theme_from_text(text)
    return None if code == NO_THEME else code


class ActionChangeAnswer(Action):
    """Clears the answer the resident wants to change, so the form asks it again."""

    def name(self) -> str:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = next(tracker.get_latest_entity_values("change_slot"), None)
        theme = named_theme(tracker.latest_message.get("text"))
        # The model sometimes marks the whole "det handlar om trafiken" as the slot to change, a value that names no
        # slot: a message that names a theme is still a theme correction.
        if slot == THEMES or (slot not in FORM_SLOTS and theme):
            # "det handlar om trafik" names the theme: taken at once. Otherwise ("temat är fel", "det handlar inte
            # om narkotika") the form asks the theme question next (ValidateConcernForm.required_slots).
            return [SlotSet(THEME_CHANGE, True), SlotSet(THEME_CHOICE, theme)]
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
            say(dispatcher, tracker, "cannot_go_back")
            return []
        return [SlotSet(previous[-1], None), SlotSet("requested_slot", None)]


class ActionCancelConcern(Action):
    """Drops the concern being written: nothing is stored (the rule has already said so)."""

    def name(self) -> str:
        return "action_cancel_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return reset_concern_slots()


