"""Multi-label theme classifier for residents' safety concerns (spaCy, Swedish).

Public API:
- `load_examples()`, `load_theme_codes()`, `load_taxonomy()`: training data and taxonomy.
- `TrainConfig`, `train_and_save()`: train a model into a folder (also `python -m api.classifier.train`).
- `ThemeClassifier.load(path).predict(texts) -> list[ThemePrediction]`: use a saved model.
"""

from api.classifier.data import Example, Theme, ThemeDataError, load_examples, load_taxonomy, load_theme_codes
from api.classifier.model import ThemeClassifier, ThemePrediction
from api.classifier.train import TrainConfig, train_and_save

__all__ = [
    "Example",
    "Theme",
    "ThemeClassifier",
    "ThemeDataError",
    "ThemePrediction",
    "TrainConfig",
    "load_examples",
    "load_taxonomy",
    "load_theme_codes",
    "train_and_save",
]
