"""Fixes for two per-turn costs of Rasa 3.6 found by profiling a conversation (py-spy, `make bench`).

1. Checking the action server's answer. Rasa validates every custom action's response with
   `jsonschema.validate(result, schema)`, which first checks the schema itself against the JSON Schema
   meta-schema, on every call: about 60 % of Rasa's time per turn. Here validators are built, and their schemas
   checked, once. And where Rasa's schema says each event must match exactly one of 23 event schemas (`oneOf`),
   so that every event is checked against all 23, an answer is first checked against the one schema its
   `event` names: the branches differ in that `const`, so an event can match no other branch, and "valid against
   its own branch" is "valid against exactly one". That was another 7 % of Rasa's time per turn. Behaviour is
   unchanged: an answer that fails the quick check goes through the full schema, and an invalid answer raises
   the same `ValidationError` (jsonschema's best match) with Rasa's explanatory message.
2. Finding an event's class by its type name. Every stored event read back from the tracker store goes through
   `Event.resolve_by_type`, which walks the whole `Event` class tree (and asks `inspect.isabstract` of each
   class) per event: a third of loading a tracker. Here each type name is resolved by Rasa's own function once
   and remembered; unknown names and defaults still go through Rasa's function every time, so they behave as
   before. (A class imported after a name was first resolved cannot take that name over; Rasa's events are all
   imported before the first conversation.)
3. Custom actions answered in Rasa's process. Two kinds of custom action cost an HTTP round trip with the whole
   tracker for very little: the `language` slot's custom mapping names `action_detect_language`, which
   `action_extract_slots` runs after every message for a word count, and the concern form runs
   `action_ask_<slot>` for its next question on most turns of a concern. `RemoteAction.run`, which both go
   through, answers the first with `bot.language` and the questions with `bot.form_questions` (the action
   server's own question actions, run here); every other custom action still goes to the action server.
"""

import copy
from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

from bot import form_questions, language

_ORIGINAL = RemoteAction._validate_action_result
_ORIGINAL_RESOLVE = Event.resolve_by_type
_ORIGINAL_REMOTE_RUN = RemoteAction.run
_EVENT_CLASSES: dict[str, type[Event]] = {}


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def _quick_validators() -> tuple[Any, dict[str, Any]]:
    """The response schema without the events' `oneOf`, and a validator for each event type's branch of it."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    branches = schema["properties"]["events"]["items"].pop("oneOf")
    validator_class = validators.validator_for(schema)
    by_type: dict[str, Any] = {}
    for branch in branches:
        name = branch["properties"]["event"]["const"]
        if name in by_type:  # two branches for one type: the dispatch would not be equivalent to `oneOf`
            raise ValueError(f"Rasa's response schema has two branches for the event type {name!r}")
        validator_class.check_schema(branch)
        by_type[name] = validator_class(branch)
    validator_class.check_schema(schema)
    return validator_class(schema), by_type


def _quickly_valid(result: Any) -> bool:
    """True only if `result` is valid against Rasa's response schema (False may still be valid)."""
    outline, by_type = _quick_validators()
    if not outline.is_valid(result):
        return False
    for event in result.get("events") or ():  # the outline checked it is a list of objects
        branch = by_type.get(event["event"]) if isinstance(event.get("event"), str) else None
        if branch is None or not branch.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if _quickly_valid(result):
        return True
    error = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def _resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    known = _EVENT_CLASSES.get(type_name)
    if known is not None:
        return known
    found = _ORIGINAL_RESOLVE(type_name, default)  # Rasa's own answer: a class, None, the default or ValueError
    if found is not None and found is not default:
        _EVENT_CLASSES[type_name] = found
    return found


async def _run_remote_action(
    self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Event]:
    if self.name() == language.ACTION_NAME:
        return list(language.language_events(tracker))
    asked = await form_questions.ask(self.name(), tracker, domain)
    if asked is None:
        return await _ORIGINAL_REMOTE_RUN(self, output_channel, nlg, tracker, domain)
    responses, events = asked
    bot_messages = await self._utter_responses(responses, output_channel, nlg, tracker)  # Rasa's own conversion
    return [*bot_messages, *events]


def install() -> None:
    """Replace RemoteAction's validation and its run (for the language guess and the form's questions) and Event's
    class lookup (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_event_type)  # type: ignore[method-assign,assignment]
    RemoteAction.run = _run_remote_action  # type: ignore[method-assign]
