"""The cached validation of action server answers accepts and refuses exactly what Rasa's own does."""

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "concern_place", "value": "Stationsgatan"}],
     "responses": [{"text": "Tack!", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]},
    {"events": [{"event": "restart"}, {"event": "active_loop", "name": None}]},
]
ACTION = RemoteAction("action_submit_concern", None)
INVALID: list[dict[str, Any]] = [
    {"events": [{"name": "concern_place"}]},  # an event without its type
    {"events": "slot"},
    {"responses": ["Tack!"]},
]


@pytest.mark.parametrize("result", VALID)
def test_valid_answers_pass_as_before(result: dict[str, Any]) -> None:
    assert rasa_speedups._ORIGINAL(ACTION, result) is True
    assert rasa_speedups._validate_action_result(ACTION, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_answers_fail_with_the_same_error(result: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as original:
        rasa_speedups._ORIGINAL(ACTION, result)
    with pytest.raises(ValidationError) as ours:
        rasa_speedups._validate_action_result(ACTION, result)
    assert ours.value.message == original.value.message
    assert "Failed to validate Action server response" in ours.value.message


def _answers_with_one_event() -> list[dict[str, Any]]:
    """An answer for every event Rasa has (as Rasa writes it), and mutants of each: every property of the event's
    schema given values of each JSON type, the type name changed, parts left out."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    values: list[Any] = [None, True, 0, 1.5, "text", [], ["a"], {}, {"key": "value"}]
    events: list[dict[str, Any]] = []
    for cls in all_subclasses(Event):
        try:
            events.append(cls(**({"name": "concern_place", "value": "Kajen"} if cls.type_name == "slot" else {}))
                          .as_dict())
        except (TypeError, ValueError):  # an event that needs arguments; its schema's mutants below still cover it
            pass
    branches = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]
    for branch in branches:
        base = {"event": branch["properties"]["event"]["const"]}
        events.append(base)
        for prop in branch["properties"]:
            events += [{**base, prop: value} for value in values if prop != "event"]
        events += [{**base, "event": value} for value in values]
    events += [{"timestamp": 1.0}, {"event": "no_such_event"}]
    answers = [{"events": [event]} for event in events]
    answers += [{"events": [event], "responses": response} for event in events[:30] for response in (
        [], [{"text": "Tack!"}], ["Tack!"], None)]
    not_objects = [value for value in values if not isinstance(value, dict)]
    return answers + [{"events": value} for value in values] + not_objects


def test_the_quick_check_accepts_only_what_the_full_schema_accepts() -> None:
    full = rasa_speedups._response_validator()
    answers = _answers_with_one_event()
    quick = [rasa_speedups._quickly_valid(answer) for answer in answers]
    assert quick == [full.is_valid(answer) for answer in answers]
    assert sum(quick) > 50 and len(quick) - sum(quick) > 300  # both sides are exercised
    assert rasa_speedups._quickly_valid({"events": [{"event": "slot", "name": "x", "value": 1}] * 5
                                        + [{"event": "bot", "text": "Hej"}], "responses": [{"text": "Hej"}]})


def test_the_tracker_store_module_installs_it() -> None:
    import bot.tracker_store  # noqa: F401 - Rasa imports it through endpoints.yml

    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result
    assert RemoteAction.run is rasa_speedups._run_remote_action


def test_event_classes_resolve_as_rasa_resolves_them() -> None:
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    rasa_speedups.install()
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasa_speedups._ORIGINAL_RESOLVE(cls.type_name)
    assert Event.resolve_by_type("user") is UserUttered and Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("no_such_event", ActionExecuted) is ActionExecuted
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.from_parameters({"event": "slot", "name": "concern_place", "value": "Kajen"}) == SlotSet(
        "concern_place", "Kajen")
