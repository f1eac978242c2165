"""RuleFirstTEDPolicy skips TED only where TED cannot change the next action.

On the real trained model (models/bot.tar.gz, built by `make setup`): at every step of every test story the
ensemble picks the same action, by the same policy, with the skip as without it, and the skip really happens.
"""

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.test import _create_data_generator
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import policies

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "bot.tar.gz"
STORIES = ROOT / "tests" / "bot" / "test_stories.yml"


@pytest.fixture(scope="module")
def agent() -> Agent:
    assert MODEL.exists(), "no trained bot: run `make models/bot.tar.gz` (make test does)"
    return Agent.load(str(MODEL))


def _story_states(agent: Agent) -> Iterator[tuple[str, list[Event]]]:
    """Every point in the test stories where Rasa predicts an action: the events before it."""
    generator = _create_data_generator(str(STORIES), agent, use_conversation_test_files=True)
    for story in generator.generate_story_trackers():
        events = list(story.events)
        for index, event in enumerate(events):
            if index > 0 and isinstance(event, ActionExecuted):
                yield story.sender_id, events[:index]


def _winner(agent: Agent, sender: str, events: list[Event]) -> tuple[str, str | None]:
    tracker = DialogueStateTracker.from_events(sender, events, slots=agent.domain.slots)
    prediction: PolicyPrediction = agent.processor._predict_next_with_tracker(tracker)
    return agent.domain.action_names_or_texts[prediction.max_confidence_index], prediction.policy_name


def test_every_story_step_predicts_the_same_with_and_without_the_skip(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    decided = policies.rules_decided
    skipped = 0

    def counting(tracker: DialogueStateTracker) -> bool:
        nonlocal skipped
        result = decided(tracker)
        skipped += result
        return result

    states = list(_story_states(agent))
    assert len(states) > 500
    monkeypatch.setattr(policies, "rules_decided", counting)
    with_skip = [_winner(agent, sender, events) for sender, events in states]
    monkeypatch.setattr(policies, "rules_decided", lambda tracker: False)
    without_skip = [_winner(agent, sender, events) for sender, events in states]

    steps = zip(states, with_skip, without_skip, strict=True)
    differences = [(events[-3:], ours, rasa) for (_, events), ours, rasa in steps if ours != rasa]
    assert not differences, differences[:5]
    # Most steps of a conversation here are a rule's: the skip must carry them, or it saves nothing.
    assert skipped > len(states) / 2, f"TED skipped at {skipped} of {len(states)} steps"
    # Here every step is a rule's: the stories follow the rules, and the forms' questions are rules too.
    assert Counter(policy for _, policy in without_skip) == {"RecordingRulePolicy": len(states)}


def test_a_record_from_another_tracker_state_is_not_used(agent: Agent) -> None:
    events: list[Event] = [ActionExecuted("action_listen"), UserUttered("hej", {"name": "greet", "confidence": 1.0})]
    tracker = DialogueStateTracker.from_events("a", events, slots=agent.domain.slots)
    agent.processor._predict_next_with_tracker(tracker)
    assert policies.rules_decided(tracker)  # the rules answer a greeting
    tracker.update(ActionExecuted("utter_greet"))
    assert not policies.rules_decided(tracker)  # one event later it is another state
    other = DialogueStateTracker.from_events("b", events, slots=agent.domain.slots)
    assert not policies.rules_decided(other)


def test_after_a_rejected_action_ted_runs(agent: Agent) -> None:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        UserUttered("hej", {"name": "greet", "confidence": 1.0}),
        ActionExecutionRejected("concern_form"),
    ]
    tracker = DialogueStateTracker.from_events("c", events, slots=agent.domain.slots)
    agent.processor._predict_next_with_tracker(tracker)
    assert not policies.rules_decided(tracker)


def test_when_no_rule_applies_ted_runs(agent: Agent) -> None:
    # RulePolicy's answer when no rule applies: the fallback at core_fallback_threshold (0.3), which TED may beat.
    events: list[Event] = [ActionExecuted("action_listen"), UserUttered("hm", {"name": "chitchat", "confidence": 1.0})]
    tracker = DialogueStateTracker.from_events("d", events, slots=agent.domain.slots)
    probabilities = [0.0] * len(agent.domain.action_names_or_texts)
    probabilities[agent.domain.index_for_action("action_default_fallback")] = 0.3
    policies._last_rule_prediction = (policies._state_key(tracker), PolicyPrediction(probabilities, "rules", 6))
    assert not policies.rules_decided(tracker)
    probabilities[agent.domain.index_for_action("action_default_fallback")] = 1.0
    assert policies.rules_decided(tracker)
