"""The cached validation of action server answers accepts and refuses exactly what Rasa's own does."""

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExtractSlots, RemoteAction

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


def test_the_tracker_store_module_installs_it() -> None:
    import bot.tracker_store  # noqa: F401 - Rasa imports it through endpoints.yml

    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result
    assert ActionExtractSlots._run_custom_action is rasa_speedups._run_custom_action


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
