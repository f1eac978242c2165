"""Validation of `concern_form`: what happens, where, when, which days, how often, felt safety, a wish."""

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers
from actions.concern_slots import DESCRIPTION, OPTIONAL_SLOTS, SKIPPED

NO_ANSWER_INTENTS = {"dont_know", "skip", "deny"}
MAX_FREE_TEXT = 2000


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _skipped(tracker: Tracker) -> bool:
    return _intent(tracker) in NO_ANSWER_INTENTS


class ValidateConcernForm(FormValidationAction):
    """Checks and normalises each answer of the concern form."""

    def name(self) -> str:
        return "validate_concern_form"

    def validate_concern_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {DESCRIPTION: None}
        text = str(value or "").strip()
        if _skipped(tracker) or len(answers.fold(text)) < 3:
            dispatcher.utter_message(response="utter_need_description")
            return {DESCRIPTION: None}
        if len(text) > MAX_FREE_TEXT:
            dispatcher.utter_message(response="utter_text_shortened")
            text = text[:MAX_FREE_TEXT]
        return {DESCRIPTION: text}

    def validate_concern_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"concern_place": None}
        text = str(value).strip()
        if _skipped(tracker) or answers.is_dont_know(text):
            return {"concern_place": answers.DONT_KNOW}
        return {"concern_place": text[:200]}

    def _code(
        self,
        slot: str,
        value: Any,
        labels: dict[str, str],
        parse: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        if value is None:
            return {slot: None}
        code = answers.normalise_code(value, labels, parse)
        if code is None and _skipped(tracker):
            code = SKIPPED if slot in OPTIONAL_SLOTS else answers.DONT_KNOW
        if code is None:
            dispatcher.utter_message(response=f"utter_not_understood_{slot}")
        return {slot: code}

    def validate_concern_time_of_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._code(
            "concern_time_of_day", value, answers.TIME_OF_DAY_LABELS, answers.time_of_day_from_text,
            dispatcher, tracker,
        )

    def validate_concern_weekday(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._code(
            "concern_weekday", value, answers.WEEKDAY_LABELS, answers.weekday_from_text, dispatcher, tracker
        )

    def validate_concern_frequency(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._code(
            "concern_frequency", value, answers.FREQUENCY_LABELS, answers.frequency_from_text,
            dispatcher, tracker,
        )

    def validate_concern_felt_safety(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"concern_felt_safety": None}
        if str(value) == SKIPPED or _skipped(tracker):
            return {"concern_felt_safety": SKIPPED}
        level = answers.felt_safety_from_text(str(value or ""))
        if level is None:
            dispatcher.utter_message(response="utter_not_understood_concern_felt_safety")
            return {"concern_felt_safety": None}
        return {"concern_felt_safety": str(level)}

    def validate_concern_suggestion(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"concern_suggestion": None}
        text = str(value).strip()
        if _skipped(tracker) or answers.is_dont_know(text) or not text:
            return {"concern_suggestion": SKIPPED}
        return {"concern_suggestion": text[:MAX_FREE_TEXT]}
