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


def classify(model_dir: str, texts: list[str]) -> tuple[list[ThemePrediction], str]:
    """Predictions and the model version; raises ClassifierUnavailable without a model."""
    classifier = load_classifier(model_dir)
    if classifier is None:
        raise ClassifierUnavailable(model_dir)
    return classifier.predict(texts), classifier.version


def explain(model_dir: str, text: str, themes: list[str]) -> dict[str, list[str]]:
    """Words of `text` behind each of `themes` (see ThemeClassifier.explain); empty without a model."""
    classifier = load_classifier(model_dir)
    return classifier.explain(text, themes) if classifier is not None else {}
