"""`concern_form`: validating each answer, and asking each question in the resident's language."""

import json
from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.concern_slots import (
    CODES,
    DESCRIPTION,
    FELT_SAFETY,
    FORM_SLOTS,
    FREQUENCY,
    OPTIONAL_SLOTS,
    PLACE,
    SKIPPED,
    SUGGESTION,
    THEME_CANDIDATES,
    THEME_CHANGE,
    THEME_CHOICE,
    TIME_OF_DAY,
    WEEKDAY,
)
from actions.messages import labels, say
from actions.themes import NO_THEME, active_themes, candidate_themes, theme_from_text

NO_ANSWER_INTENTS = {"dont_know", "skip", "deny"}
MAX_FREE_TEXT = 2000
# Theme buttons when the classifier proposed none (it was unavailable); the resident may also type a theme.
MAX_THEME_BUTTONS = 5


def theme_payload(code: str) -> str:
    """The button payload choosing one theme: `/inform{"theme": "<code>"}`."""
    return "/inform" + json.dumps({"theme": code})


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _skipped(tracker: Tracker) -> bool:
    return _intent(tracker) in NO_ANSWER_INTENTS


class ValidateConcernForm(FormValidationAction):
    """Checks and normalises each answer of the concern form.

    Slots cleared on purpose (a new concern, "ändra platsen") are validated too and arrive as None: they stay
    unanswered, silently.
    """

    def name(self) -> str:
        return "validate_concern_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The domain's questions; the theme question only after the resident asked to change the themes."""
        if tracker.get_slot(THEME_CHANGE):
            return domain_slots
        return [slot for slot in domain_slots if slot != THEME_CHOICE]

    def validate_concern_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {DESCRIPTION: None}
        text = str(value).strip()
        if _skipped(tracker) or len(answers.fold(text)) < 3:
            say(dispatcher, tracker, "need_description")
            return {DESCRIPTION: None}
        if len(text) > MAX_FREE_TEXT:
            say(dispatcher, tracker, "text_shortened", limit=MAX_FREE_TEXT)
            text = text[:MAX_FREE_TEXT]
        return {DESCRIPTION: text}

    def validate_concern_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {PLACE: None}
        text = str(value).strip()
        if _skipped(tracker) or answers.is_dont_know(text):
            return {PLACE: answers.DONT_KNOW}
        return {PLACE: text[:200]}

    def _code(
        self,
        slot: str,
        value: Any,
        parse: Callable[[str], str | None],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        if value is None:
            return {slot: None}
        if value == SKIPPED:  # re-validated when the form starts again ("ändra platsen"): stays skipped
            return {slot: SKIPPED}
        code = answers.normalise_code(value, CODES[slot], parse)
        if code is None and _skipped(tracker):
            code = SKIPPED if slot in OPTIONAL_SLOTS else answers.DONT_KNOW
        if code is None and tracker.get_slot("requested_slot") == slot:
            say(dispatcher, tracker, f"not_understood_{slot}")
        # A word picked up while another question was asked ("varje" in a description) is simply dropped.
        return {slot: code}

    def validate_concern_time_of_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._code(TIME_OF_DAY, value, answers.time_of_day_from_text, dispatcher, tracker)

    def validate_concern_weekday(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._code(WEEKDAY, value, answers.weekday_from_text, dispatcher, tracker)

    def validate_concern_frequency(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._code(FREQUENCY, value, answers.frequency_from_text, dispatcher, tracker)

    def validate_concern_felt_safety(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {FELT_SAFETY: None}
        if str(value) == SKIPPED or _skipped(tracker):
            return {FELT_SAFETY: SKIPPED}
        level = answers.felt_safety_from_text(str(value))
        if level is None:
            if tracker.get_slot("requested_slot") == FELT_SAFETY:
                say(dispatcher, tracker, "not_understood_concern_felt_safety")
            return {FELT_SAFETY: None}
        return {FELT_SAFETY: str(level)}

    def validate_concern_suggestion(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {SUGGESTION: None}
        text = str(value).strip()
        if _skipped(tracker) or answers.is_dont_know(text) or not text:
            return {SUGGESTION: SKIPPED}
        return {SUGGESTION: text[:MAX_FREE_TEXT]}

    def validate_concern_theme_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {THEME_CHOICE: None}
        if _skipped(tracker):
            return {THEME_CHOICE: NO_THEME}
        code = theme_from_text(str(value).strip())
        if code is None and tracker.get_slot("requested_slot") == THEME_CHOICE:
            say(dispatcher, tracker, "not_understood_concern_theme_choice")
        return {THEME_CHOICE: code}


class AskForSlot(Action, metaclass=ABCMeta):
    """Asks the form's question for one slot (Rasa's form calls `action_ask_<slot>` when it exists).

    Rasa runs the question actions in its own process (bot/form_questions.py), so they read slots only.
    """

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, tracker, f"ask_{self.slot}")
        return []


class ActionAskConcernThemeChoice(Action):
    """Asks which theme fits, with the classifier's best themes as buttons and "none of them" (run in Rasa's
    process like the other questions, so it reads slots only)."""

    def name(self) -> str:
        return f"action_ask_{THEME_CHOICE}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        said = labels(tracker)
        names = {**active_themes(), **said.get("themes", {})}
        codes = tracker.get_slot(THEME_CANDIDATES) or candidate_themes({}, MAX_THEME_BUTTONS)
        buttons = [{"title": names[code], "payload": theme_payload(code)} for code in codes if code in names]
        buttons.append({"title": said["no_theme_fits"], "payload": theme_payload(NO_THEME)})
        say(dispatcher, tracker, f"ask_{THEME_CHOICE}", buttons=buttons)
        return []


# One small action per question; rasa_sdk registers every concrete Action subclass it finds.
ASK_ACTIONS = {
    slot: ABCMeta(f"ActionAsk_{slot}", (AskForSlot,), {"slot": slot}) for slot in FORM_SLOTS
}
