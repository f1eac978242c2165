"""Fixes for two per-turn costs of Rasa 3.6 found by profiling a conversation (py-spy, `make bench`).

1. Checking the action server's answer. Rasa validates every custom action's response with
   `jsonschema.validate(result, schema)`, which first checks the schema itself against the JSON Schema
   meta-schema, on every call: about 60 % of Rasa's time per turn. Here the same validation runs with a validator
   built, and its schema checked, once. Behaviour is unchanged: an invalid answer raises the same
   `ValidationError` (jsonschema's best match) with Rasa's explanatory message.
2. Finding an event's class by its type name. Every stored event read back from the tracker store goes through
   `Event.resolve_by_type`, which walks the whole `Event` class tree (and asks `inspect.isabstract` of each
   class) per event: a third of loading a tracker. Here each type name is resolved by Rasa's own function once
   and remembered; unknown names and defaults still go through Rasa's function every time, so they behave as
   before. (A class imported after a name was first resolved cannot take that name over; Rasa's events are all
   imported before the first conversation.)
3. Guessing the resident's language. The `language` slot's custom mapping names `action_detect_language`, which
   `action_extract_slots` would send to the action server after every message: one HTTP round trip with the whole
   tracker per turn, for a word count. Here that one name is answered in Rasa's process by `bot.language`; every
   other custom mapping action still goes to the action server.
"""

from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

from bot import language

_ORIGINAL = RemoteAction._validate_action_result
_ORIGINAL_RESOLVE = Event.resolve_by_type
_ORIGINAL_CUSTOM_ACTION = ActionExtractSlots._run_custom_action
_EVENT_CLASSES: dict[str, type[Event]] = {}


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
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


async def _run_custom_action(
    self: ActionExtractSlots, custom_action: str, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Event]:
    if custom_action == language.ACTION_NAME:
        return list(language.language_events(tracker))
    return await _ORIGINAL_CUSTOM_ACTION(self, custom_action, output_channel, nlg, tracker, domain)


def install() -> None:
    """Replace RemoteAction's validation, Event's class lookup and the language mapping's action (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_event_type)  # type: ignore[method-assign,assignment]
    ActionExtractSlots._run_custom_action = _run_custom_action  # type: ignore[method-assign]
