"""The theme classifier as the API uses it: loaded once per process from THEME_MODEL_DIR, if it has been built.

A missing model never blocks storing a concern: the concern is kept unclassified and `trygg classify-pending`
classifies it once the model exists (make setup builds it before the API starts).
"""

import logging
from functools import lru_cache
from pathlib import Path

from api.classifier.model import ThemeClassifier, ThemePrediction

logger = logging.getLogger(__name__)


class ClassifierUnavailable(Exception):
    """No trained theme model in THEME_MODEL_DIR."""


@lru_cache
def load_classifier(model_dir: str) -> ThemeClassifier | None:
    if not (Path(model_dir) / "meta.json").exists():
        logger.warning("no theme model in %s: concerns are stored unclassified", model_dir)
        return None
    return ThemeClassifier.load(model_dir)


# The bot asks for the themes of a description when it reads the concern back, and the API classifies the same
# (scrubbed) text again when the concern is stored a turn or two later: one text is predicted once. Small, and
# keyed by model version, so a retrained model never answers from the old one's scores. It holds scrubbed text only,
# in memory.
RECENT_PREDICTIONS = 128


def classify(model_dir: str, texts: list[str]) -> tuple[list[ThemePrediction], str]:
    """Predictions and the model version; raises ClassifierUnavailable without a model."""
    classifier = load_classifier(model_dir)
    if classifier is None:
        raise ClassifierUnavailable(model_dir)
    if len(texts) == 1:
        themes, scores = _predict_one(model_dir, classifier.version, texts[0])
        return [ThemePrediction(themes=list(themes), scores=dict(scores))], classifier.version
    return classifier.predict(texts), classifier.version


@lru_cache(maxsize=RECENT_PREDICTIONS)
def _predict_one(model_dir: str, version: str, text: str) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...]]:
    """One text's prediction as immutable values (the cache hands out copies)."""
    classifier = load_classifier(model_dir)
    if classifier is None or classifier.version != version:  # swapped for a retrained model meanwhile
        raise ClassifierUnavailable(model_dir)
    [prediction] = classifier.predict([text])
    return tuple(prediction.themes), tuple(prediction.scores.items())


def explain(model_dir: str, text: str, themes: list[str]) -> dict[str, list[str]]:
    """Words of `text` behind each of `themes` (see ThemeClassifier.explain); empty without a model."""
    classifier = load_classifier(model_dir)
    return classifier.explain(text, themes) if classifier is not None else {}
