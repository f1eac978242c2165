"""SafetyNetClassifier: a Rasa 3.6 NLU component that lets the deterministic safety rules overrule the model.

It runs after DIETClassifier and FallbackClassifier. When the rules in ``safety_rules`` put a message
in a safety category (emergency, crisis, child_in_need, domestic_violence, report_crime), that
category becomes the intent with confidence 1.0 and goes first in the intent ranking; the model's
ranking is kept below it. When the rules see nothing, the model's prediction is left alone, so the
model alone can still say "emergency". Every message gets a ``safety_net`` entry in its parse data
saying whether and why the rules fired.

When the rules see nothing but the model says "emergency" for a message that is clearly about the past or about
something recurring ("i somras brann det i en bil", no "nu" anywhere), the intent becomes `describe_concern`: past
events are concerns, and a false 112 alarm would also stop the resident's form. Likewise a model emergency in a
general question or a figure of speech ("vad gör man om det börjar brinna", "brinner ni för det här") becomes the
model's next intent that is not a safety category.

One exception keeps "never miss an emergency" true in both directions: the rules never replace a
model prediction of a MORE urgent safety category (the model says emergency, the rules only see a
report_crime phrase); then the model's intent stays and ``safety_net`` records the rule match.

The patterns file is read when the model is loaded, so editing it needs a restart, not a retrain.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.components.safety_rules import DEFAULT_PATTERNS_FILE, SafetyMatch, SafetyRules

logger = logging.getLogger(__name__)

PATTERNS_FILE_KEY = "patterns_file"
DEFAULT_PATTERNS_SETTING = "nlu_data/safety/patterns.yml"
SAFETY_NET_KEY = "safety_net"
EMERGENCY_INTENT = "emergency"
PAST_EVENT_INTENT = "describe_concern"
FALLBACK_FOR_NO_EVENT = "out_of_scope"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNetClassifier(GraphComponent, IntentClassifier):
    """Sets the intent to a safety category when the deterministic safety rules match."""

    @classmethod
    def required_components(cls) -> list[type]:
        """It post-processes another intent classifier's prediction, like FallbackClassifier."""
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`patterns_file`: path of the patterns YAML, relative to the working directory or the repository."""
        return {PATTERNS_FILE_KEY: DEFAULT_PATTERNS_SETTING}

    def __init__(self, config: dict[str, Any], rules: SafetyRules) -> None:
        self.component_config = config
        self.rules = rules

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyNetClassifier:
        """Loads and compiles the patterns file named in the config."""
        path = resolve_patterns_file(config.get(PATTERNS_FILE_KEY) or DEFAULT_PATTERNS_SETTING)
        return cls(config, SafetyRules.from_file(path))

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides the intent of messages the safety rules recognise; leaves the rest as predicted."""
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):  # button payloads such as "/affirm" name their intent
                continue
            match = self.rules.classify(text)
            if match is None:
                info: dict[str, Any] = {"fired": False}
                if _intent_of(message) == EMERGENCY_INTENT and self.rules.tells_of_the_past(text):
                    _set_intent(message, PAST_EVENT_INTENT)
                    info["downgraded_past_event"] = True
                elif _intent_of(message) == EMERGENCY_INTENT and self.rules.tells_of_no_event(text):
                    _set_intent(message, _next_ordinary_intent(message, self.rules.priority))
                    info["downgraded_no_event"] = True
                message.set(SAFETY_NET_KEY, info, add_to_output=True)
                continue
            overrides = not self._model_is_more_urgent(message, match, text)
            if overrides:
                _set_intent(message, match.category)
            info = {"fired": True, "overrode_model": overrides, **match.as_dict()}
            info.pop("pattern")  # stored with every event: the rule id is enough, the pattern is in the file
            message.set(SAFETY_NET_KEY, info, add_to_output=True)
            logger.debug("Safety net: %s by %s (%s)", match.category, match.rule, match.tense)
        return messages

    def _model_is_more_urgent(self, message: Message, match: SafetyMatch, text: str) -> bool:
        predicted = _intent_of(message)
        priority = self.rules.priority
        if predicted == EMERGENCY_INTENT and self.rules.tells_of_the_past(text):
            # "barnen lämnas ensamma hela nätterna": the rules' support line fits a recurring situation better
            return False
        return predicted in priority and priority.index(predicted) < priority.index(match.category)


def _next_ordinary_intent(message: Message, safety_categories: list[str]) -> str:
    """The model's best intent that is not a safety category (`out_of_scope` when it ranked none)."""
    ranking = message.get(INTENT_RANKING_KEY) or []
    names = (entry.get(INTENT_NAME_KEY) for entry in ranking)
    return next((name for name in names if name and name not in safety_categories), FALLBACK_FOR_NO_EVENT)


def _intent_of(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


def resolve_patterns_file(setting: str | Path) -> Path:
    """An absolute path as is; a relative one from the working directory, else from the repository root."""
    path = Path(setting)
    if path.is_absolute() or path.exists():
        return path
    from_repo = DEFAULT_PATTERNS_FILE.parents[2] / path
    return from_repo if from_repo.exists() else path


def _set_intent(message: Message, category: str) -> None:
    intent = {INTENT_NAME_KEY: category, PREDICTED_CONFIDENCE_KEY: 1.0}
    model_ranking = message.get(INTENT_RANKING_KEY) or []
    ranking = [entry for entry in model_ranking if entry.get(INTENT_NAME_KEY) != category]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
