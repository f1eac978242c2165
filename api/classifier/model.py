"""Load a trained theme classifier and predict themes for residents' texts.

`ThemeClassifier.load(path)` is cached per resolved path, so request handlers can call it freely;
call `ThemeClassifier.clear_cache()` after retraining into the same directory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language

from api.classifier import architectures  # noqa: F401 - registers the custom architecture
from api.classifier.train import META_KEY, Thresholds, decide, predict_scores, textcat_of

ERR_NOT_A_THEME_MODEL = "{path} is not a theme classifier (meta.json has no '{key}')"
EVIDENCE_WORDS = 3  # words shown per theme as "why"
# A word counts as evidence when leaving it out lowers the theme's log-odds at least this much, and at
# least EVIDENCE_SHARE of what the strongest word does. Log-odds, not the score itself: a theme scored
# 0.999 barely moves in score when one of its words goes, however much that word carries.
MIN_EVIDENCE = 0.08
EVIDENCE_SHARE = 0.25
MAX_EXPLAINED_WORDS = 60


@dataclass(frozen=True)
class ThemePrediction:
    """Themes for one text: the chosen codes (best first) and the score of every code."""

    themes: list[str]
    scores: dict[str, float]


class ThemeClassifier:
    """A trained multi-label theme classifier with its decision thresholds."""

    def __init__(self, nlp: Language, meta: dict[str, Any]) -> None:
        self.nlp = nlp
        self.meta = meta
        self.version: str = meta["model_version"]
        self.labels: list[str] = list(textcat_of(nlp).labels)
        self.thresholds = Thresholds(default=float(meta["threshold"]), per_label=dict(meta.get("thresholds") or {}))

    @property
    def threshold(self) -> float:
        """The global threshold (a label may override it, see `thresholds`)."""
        return self.thresholds.default

    @classmethod
    def load(cls, path: str | Path) -> ThemeClassifier:
        """Load the model saved in `path`; repeated calls with the same path reuse it."""
        return _load_cached(str(Path(path).resolve()))

    @classmethod
    def from_disk(cls, path: str | Path) -> ThemeClassifier:
        """Load the model saved in `path` without the cache."""
        nlp = spacy.load(path)
        meta = nlp.meta.get(META_KEY)
        if not isinstance(meta, dict):
            raise ValueError(ERR_NOT_A_THEME_MODEL.format(path=path, key=META_KEY))
        return cls(nlp, meta)

    @staticmethod
    def clear_cache() -> None:
        """Forget models loaded with `load` (e.g. after retraining into the same folder)."""
        _load_cached.cache_clear()

    def predict(self, texts: Sequence[str]) -> list[ThemePrediction]:
        """Predict themes: every code scoring ≥ its threshold, or the top code if none does."""
        if not texts:
            return []
        scores = predict_scores(self.nlp, list(texts), self.labels)
        chosen = decide(scores, self.thresholds.as_array(self.labels))
        predictions = []
        for row in range(len(texts)):
            row_scores = {label: float(scores[row, col]) for col, label in enumerate(self.labels)}
            themes = [self.labels[col] for col in chosen[row].nonzero()[0]]
            themes.sort(key=lambda code: row_scores[code], reverse=True)
            predictions.append(ThemePrediction(themes=themes, scores=row_scores))
        return predictions

    def explain(self, text: str, themes: Sequence[str], top_n: int = EVIDENCE_WORDS) -> dict[str, list[str]]:
        """The words of `text` that most raised the score of each theme in `themes`, strongest first.

        Leave-one-word-out: each (lower-cased) word is dropped in turn and the text rescored; a word's
        weight for a theme is how much the theme's log-odds fall without it. It explains any architecture the
        same way and costs one extra document per distinct word. Words that barely matter are left out, so a theme
        chosen only as the best of weak scores may have no evidence.
        """
        doc = self.nlp.make_doc(text)
        # Each distinct word (all its occurrences) is left out once; only the first MAX_EXPLAINED_WORDS
        # distinct words are tried, so a long text costs a bounded number of extra documents.
        words = list(dict.fromkeys(t.lower_ for t in doc if not (t.is_punct or t.is_space)))[:MAX_EXPLAINED_WORDS]
        if not words or not themes:
            return {code: [] for code in themes}
        variants = [
            "".join(token.text_with_ws for token in doc if token.lower_ != word).strip() or "." for word in words
        ]
        columns = [self.labels.index(code) for code in themes]
        scores = predict_scores(self.nlp, [text, *variants], self.labels)[:, columns].astype("float64")
        clipped = numpy.clip(scores, 1e-6, 1 - 1e-6)
        log_odds = numpy.log(clipped) - numpy.log1p(-clipped)
        drops = log_odds[0][None, :] - log_odds[1:]
        evidence: dict[str, list[str]] = {}
        for col, code in enumerate(themes):
            ranked = sorted(range(len(words)), key=lambda row: float(drops[row, col]), reverse=True)
            floor = max(MIN_EVIDENCE, EVIDENCE_SHARE * float(drops[ranked[0], col]))
            chosen: list[str] = []
            for row in ranked:
                if drops[row, col] < floor or len(chosen) >= top_n:
                    break
                chosen.append(words[row])
            evidence[code] = chosen
        return evidence


@lru_cache(maxsize=4)
def _load_cached(path: str) -> ThemeClassifier:
    return ThemeClassifier.from_disk(path)
