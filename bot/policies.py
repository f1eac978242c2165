"""Dialogue policies: TED runs only when the rules have not already decided the next action.

Profiling whole conversations (py-spy, `make bench`) put TED's TensorFlow inference at about a quarter of Rasa's
time per turn, yet most turns here are decided by a rule: the form's next question, an FAQ answer, a safety reply.
Rasa's ensemble (`DefaultPolicyPredictionEnsemble`) takes the most confident prediction and, at equal confidence,
the policy of higher priority. A rule's prediction is certain (confidence 1.0) and RulePolicy's priority (6) is
above TED's (1), so whatever TED says then cannot win, unless

- the last action was rejected: the ensemble then sets that action's confidence to 0 in every prediction, so the
  rule's certainty may be gone (TED runs);
- TED was trained end to end (on user text): such a prediction outranks the rules' (TED runs; ours is not).

`RecordingRulePolicy` remembers its last prediction for the tracker state it saw; `RuleFirstTEDPolicy` looks there
first and returns an empty prediction (no action, confidence 0) when a rule decided. Both run in one synchronous
graph run per prediction (Rasa's `DaskGraphRunner` with dask's synchronous scheduler, which runs RulePolicy before
TED), so the record cannot belong to another conversation; when TED happens to run first it finds no record and
predicts as usual. Training is TED's own, unchanged. `tests/bot/test_policies.py` checks, on the real model, that
every test story's prediction is the same as with Rasa's own TEDPolicy.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

CERTAIN = 1.0

# (tracker identity, sender, number of events) -> the rules' prediction for that state. One entry: the graph run
# that wrote it is the one that reads it.
_last_rule_prediction: tuple[tuple[int, str, int], PolicyPrediction] | None = None


def _state_key(tracker: DialogueStateTracker) -> tuple[int, str, int]:
    return id(tracker), tracker.sender_id, len(tracker.events)


def _last_action_was_rejected(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def rules_decided(tracker: DialogueStateTracker) -> bool:
    """Whether the rules' prediction for this very tracker state is certain, so TED's cannot win."""
    if _last_rule_prediction is None:
        return False
    key, prediction = _last_rule_prediction
    return (
        key == _state_key(tracker)
        and prediction.max_confidence >= CERTAIN
        and not _last_action_was_rejected(tracker)
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecordingRulePolicy(RulePolicy):
    """Rasa's RulePolicy, which also remembers its prediction for `RuleFirstTEDPolicy`."""

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        global _last_rule_prediction
        prediction = super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        _last_rule_prediction = (_state_key(tracker), prediction)
        return prediction


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True)
class RuleFirstTEDPolicy(TEDPolicy):
    """Rasa's TEDPolicy, which skips its inference when a rule has already decided the next action."""

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        precomputations: Any = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if TEXT not in self.fake_features and rules_decided(tracker):
            return self._prediction(self._default_predictions(domain))
        return super().predict_action_probabilities(tracker, domain, rule_only_data, precomputations, **kwargs)
