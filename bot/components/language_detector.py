"""DEPRECATED, not in config.yml any more: kept only so that models trained before the `language` slot moved to
`action_detect_language` (actions/language.py) still load. Delete once models/bot.tar.gz has been retrained.

A tiny Swedish/English detector: adds a `language` entity to messages that are clearly one or the other.

The bot speaks Swedish and some simple English; the `language` slot (filled from this entity) picks the English
variation of a response. Short or mixed messages ("ok", "Stationsgatan") add nothing, so the language in use stays.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

# Common words that are (almost) never the other language. Words shared by both ("i", "man", "is") are left out.
ENGLISH_WORDS = frozenset(
    """the a an is are was were be been am it its this that there they them their you your he she we our my me
    what where when why how who which do does did don't doesn't not no yes hello hi hey please thanks thank
    have has had can could would should will of to in on at from with and or but for about feel feels unsafe
    safe scared afraid people street park night evening every always sometimes happen happens happening help
    police someone somebody anyone here near outside inside home speak english""".split()
)
SWEDISH_WORDS = frozenset(
    """och är det jag du inte att en ett på som har vi de den där här med för om så kan vill ska var när hur
    vad vem hej ja nej tack och mig dig oss sig från till efter under över vid eller men också bara alltid
    ofta ibland aldrig känner otrygg trygg folk gatan parken kvällen natten händer hjälp polisen någon""".split()
)
SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")


def detect_language(text: str) -> str | None:
    """'en', 'sv' or None when the message does not say clearly."""
    if text.startswith("/"):
        return None  # a button payload
    words = re.findall(r"[\w']+", text.casefold())
    english = sum(word in ENGLISH_WORDS for word in words)
    swedish = sum(word in SWEDISH_WORDS for word in words) + (2 if SWEDISH_LETTERS.search(text) else 0)
    if english >= 2 and english > 2 * swedish:
        return "en"
    if len(words) == 1 and words[0] in {"hello", "hi", "hey", "thanks", "help", "english"}:
        return "en"
    if swedish >= 1 and swedish >= english:
        return "sv"
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds the `language` entity (sv/en) to each message that is clearly in one language."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = detect_language(text)
            if language is None:
                continue
            # An empty span at the end of the text, so it never overlaps an entity the resident wrote
            # (Rasa's evaluation refuses entities that start together but end apart).
            entity = {
                "entity": "language",
                "value": language,
                "start": len(text),
                "end": len(text),
                "extractor": "LanguageDetector",
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
