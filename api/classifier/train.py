"""Train the multi-label theme classifier and save it with its version and threshold.

Pipeline: `spacy.blank("sv")` → lookup `lemmatizer` → `textcat_multilabel`. The lemmatizer's
`lemma_lookup` table comes from spacy-lookups-data, is read once per process and is saved with
the model, so loading a model needs nothing else. Four architectures can be trained;
`scripts/eval_themes.py` compares them with cross-validation and `DEFAULT_ARCHITECTURE` is the
one that measured best (see `reports/themes.md`):

- `ensemble`: spaCy's default multi-label textcat (tok2vec CNN + token bag-of-words).
- `bow`: spaCy's bag-of-words over token unigrams and bigrams.
- `charbow`: our `trygghet.TextCatCharNgramBOW.v1` (lemmas + character n-grams + the theme lexicon
  of `nlu_data/themes/lexicon/`, see architectures.py and lexicon.py).
- `ensemble_charbow`: spaCy's ensemble with `charbow` as its linear part.

Everything random is seeded (`spacy.util.fix_random_seed` plus a seeded shuffler), so the same
data and config give the same model. The threshold is tuned on out-of-fold scores of the
training data, never on data the model is scored on.

Usage: python -m api.classifier.train --out models/themes
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
from spacy.about import __version__ as spacy_version
from spacy.language import Language
from spacy.lookups import Lookups, load_lookups
from spacy.pipeline import Lemmatizer, TextCategorizer
from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch  # type: ignore[attr-defined]
from thinc.api import Adam, Model, Optimizer, compounding

from api.classifier import architectures
from api.classifier.data import THEME_DATA_DIR, THEMES_JSON, Example, load_examples, load_theme_codes
from api.classifier.lexicon import LEXICON_FILE, load_lexicon

ARCHITECTURES = ("ensemble", "bow", "charbow", "ensemble_charbow")
DEFAULT_ARCHITECTURE = "charbow"
THRESHOLD_GRID = tuple(round(0.05 * step, 2) for step in range(2, 19))  # 0.10 … 0.90
META_KEY = "theme_classifier"
TEXTCAT = "textcat_multilabel"
LEMMATIZER = "lemmatizer"


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run (all of it goes into the model version).

    The defaults are the ones that measured best for `charbow` in cross-validation; use
    `config_for()` to get settings suited to the other architectures.
    """

    architecture: str = DEFAULT_ARCHITECTURE
    epochs: int = 30
    batch_start: float = 32.0
    batch_stop: float = 32.0
    batch_compound: float = 1.001
    dropout: float = 0.0
    learn_rate: float = 0.01
    # Plain L2 penalty added to the gradient (not decoupled weight decay): it is what keeps
    # the sparse linear model from memorising the small training set.
    l2: float = 1e-3
    l2_is_weight_decay: bool = False
    use_averages: bool = True
    seed: int = 0
    # charbow features
    word_ngram_size: int = 2
    char_ngram_min: int = 3
    char_ngram_max: int = 5
    length: int = 131072
    idf: bool = True
    cross_entropy_gradient: bool = True
    # Weight of the theme-lexicon block (0: no lexicon features).
    lexicon_weight: float = 0.5
    # tok2vec width of the ensemble architectures
    width: int = 64
    # None: tune on out-of-fold scores of the training data (see tune_threshold)
    threshold: float | None = None
    per_label_thresholds: bool = False
    tune_folds: int = 3


# Settings that trained each architecture best in a short search on one fold.
_ARCH_OVERRIDES: dict[str, dict[str, Any]] = {
    "charbow": {},
    "bow": {"l2": 1e-4},
    "ensemble": {"learn_rate": 0.005, "l2": 1e-4, "dropout": 0.1, "epochs": 20},
    "ensemble_charbow": {"learn_rate": 0.005, "l2": 1e-4, "dropout": 0.1, "epochs": 20},
}


def config_for(architecture: str, **changes: Any) -> TrainConfig:
    """Default training config for `architecture`, with `changes` applied on top."""
    if architecture not in _ARCH_OVERRIDES:
        raise ValueError(f"unknown architecture {architecture!r}; choose one of {ARCHITECTURES}")
    return replace(TrainConfig(), architecture=architecture, **{**_ARCH_OVERRIDES[architecture], **changes})


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds: one global value, optionally overridden per label."""

    default: float
    per_label: dict[str, float] = field(default_factory=dict)

    def for_label(self, label: str) -> float:
        """Threshold that applies to `label`."""
        return self.per_label.get(label, self.default)

    def as_array(self, labels: Sequence[str]) -> numpy.ndarray:
        """Thresholds in label order, for vectorised comparisons."""
        return numpy.asarray([self.for_label(label) for label in labels], dtype="float32")


def _model_config(config: TrainConfig) -> dict[str, Any]:
    charbow = {
        "@architectures": architectures.ARCHITECTURE_NAME,
        "exclusive_classes": False,
        "word_ngram_size": config.word_ngram_size,
        "char_ngram_min": config.char_ngram_min,
        "char_ngram_max": config.char_ngram_max,
        "length": config.length,
        "no_output_layer": False,
        "cross_entropy_gradient": config.cross_entropy_gradient,
        "lexicon_weight": config.lexicon_weight,
    }
    tok2vec = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": config.width,
            "rows": [2000, 2000, 500, 1000, 500],
            "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE"],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": config.width,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    }
    bow = {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 262144,
    }
    if config.architecture == "charbow":
        return charbow
    if config.architecture == "bow":
        return bow
    if config.architecture == "ensemble":
        return {
            "@architectures": "spacy.TextCatEnsemble.v2",
            "tok2vec": tok2vec,
            "linear_model": {**bow, "ngram_size": 1},
        }
    if config.architecture == "ensemble_charbow":
        return {"@architectures": "spacy.TextCatEnsemble.v2", "tok2vec": tok2vec, "linear_model": charbow}
    raise ValueError(f"unknown architecture {config.architecture!r}; choose one of {ARCHITECTURES}")


def build_nlp(labels: Sequence[str], config: TrainConfig) -> Language:
    """Blank Swedish pipeline with lookup lemmatizer and an untrained multi-label textcat."""
    nlp = spacy.blank("sv")
    nlp.add_pipe(LEMMATIZER, config={"mode": "lookup"})
    textcat = cast(TextCategorizer, nlp.add_pipe(TEXTCAT, config={"model": _model_config(config), "threshold": 0.5}))
    for label in labels:
        textcat.add_label(label)
    return nlp


@lru_cache(maxsize=1)
def _lemma_lookups() -> Lookups:
    # Reading the Swedish lookup table from spacy-lookups-data takes about two seconds; load it
    # once per process (cross-validation trains many models). The lemmatizer only reads it.
    return load_lookups("sv", ["lemma_lookup"])


def _cats(themes: frozenset[str], labels: Sequence[str]) -> dict[str, float]:
    return {label: 1.0 if label in themes else 0.0 for label in labels}


def _preprocess(nlp: Language, texts: Sequence[str]) -> list[Any]:
    # Run the non-trainable components (the lemmatizer) so training docs carry lemmas like
    # prediction docs do; nlp.update() does not run them.
    with nlp.select_pipes(disable=[TEXTCAT]):
        return list(nlp.pipe(texts, batch_size=256))


@lru_cache(maxsize=1)
def default_lexicon() -> dict[str, list[str]]:
    """The theme lexicon of `nlu_data/themes/lexicon/` (read once per process)."""
    return load_lexicon(LEXICON_FILE, load_theme_codes(THEMES_JSON))


def train_pipeline(
    examples: Sequence[Example],
    labels: Sequence[str],
    config: TrainConfig,
    lexicon: dict[str, list[str]] | None = None,
) -> Language:
    """Train and return an in-memory pipeline (no threshold handling here).

    `lexicon` (code → word patterns) defaults to the project's theme lexicon; it is only used when
    `config.lexicon_weight` is above 0.
    """
    fix_random_seed(config.seed)
    nlp = build_nlp(labels, config)
    if config.lexicon_weight > 0:
        architectures.set_lexicon(textcat_of(nlp).model, default_lexicon() if lexicon is None else lexicon)
    init_examples = [
        SpacyExample.from_dict(nlp.make_doc(example.text), {"cats": _cats(example.themes, labels)})
        for example in examples
    ]
    optimizer = Adam(config.learn_rate, L2=config.l2, L2_is_weight_decay=config.l2_is_weight_decay)
    with nlp.select_pipes(disable=[LEMMATIZER]):
        nlp.initialize(lambda: init_examples, sgd=optimizer)
    cast(Lemmatizer, nlp.get_pipe(LEMMATIZER)).initialize(lookups=_lemma_lookups())
    docs = _preprocess(nlp, [example.text for example in examples])
    if config.idf:
        architectures.fit_idf(textcat_of(nlp).model, docs)
    train_examples = [
        SpacyExample.from_dict(doc, {"cats": _cats(example.themes, labels)})
        for doc, example in zip(docs, examples, strict=True)
    ]
    shuffler = random.Random(config.seed)  # noqa: S311 - reproducible shuffling, not security
    for _epoch in range(config.epochs):
        shuffler.shuffle(train_examples)
        sizes = compounding(config.batch_start, config.batch_stop, config.batch_compound)
        for batch in minibatch(train_examples, size=sizes):  # type: ignore[no-untyped-call]
            nlp.update(batch, drop=config.dropout, sgd=optimizer, losses={})
    if config.use_averages:
        _apply_averages(nlp, optimizer)
    return nlp


def _apply_averages(nlp: Language, optimizer: Optimizer) -> None:
    # thinc's Adam keeps running averages of the weights; like `spacy train`, use them for the
    # final model (spaCy does it with `nlp.use_params`, which only lasts for a `with` block).
    averages = optimizer.averages or {}
    for _name, component in nlp.components:
        model = getattr(component, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            for param in node.param_names:
                key = (node.id, param)
                if key in averages and node.has_param(param):
                    node.set_param(param, averages[key].copy())


def predict_scores(nlp: Language, texts: Sequence[str], labels: Sequence[str]) -> numpy.ndarray:
    """Scores as an (n_texts, n_labels) array in `labels` order."""
    scores = numpy.zeros((len(texts), len(labels)), dtype="float32")
    for row, doc in enumerate(nlp.pipe(texts, batch_size=256)):
        for col, label in enumerate(labels):
            scores[row, col] = doc.cats.get(label, 0.0)
    return scores


def textcat_of(nlp: Language) -> TextCategorizer:
    """The pipeline's multi-label text categorizer."""
    return cast(TextCategorizer, nlp.get_pipe(TEXTCAT))


def decide(scores: numpy.ndarray, thresholds: numpy.ndarray) -> numpy.ndarray:
    """Boolean decisions: score ≥ threshold, and the top label when nothing passes."""
    chosen = scores >= thresholds[None, :]
    empty = ~chosen.any(axis=1)
    if empty.any():
        chosen[numpy.flatnonzero(empty), scores[empty].argmax(axis=1)] = True
    return chosen


def f1_per_label(truth: numpy.ndarray, predicted: numpy.ndarray) -> numpy.ndarray:
    """F1 of each column (0 where a label has neither true nor predicted positives)."""
    tp = (truth & predicted).sum(axis=0).astype(float)
    fp = (~truth & predicted).sum(axis=0).astype(float)
    fn = (truth & ~predicted).sum(axis=0).astype(float)
    denominator = 2 * tp + fp + fn
    f1: numpy.ndarray = numpy.divide(2 * tp, denominator, out=numpy.zeros_like(tp), where=denominator > 0)
    return f1


def choose_thresholds(
    truth: numpy.ndarray, scores: numpy.ndarray, labels: Sequence[str], per_label: bool
) -> Thresholds:
    """Pick the grid threshold with the best macro-F1 (then, optionally, refine per label)."""
    best_default, best_f1 = 0.5, -1.0
    for candidate in THRESHOLD_GRID:
        macro = float(f1_per_label(truth, decide(scores, numpy.full(len(labels), candidate))).mean())
        if macro > best_f1 + 1e-9:
            best_default, best_f1 = candidate, macro
    if not per_label:
        return Thresholds(default=best_default)
    per: dict[str, float] = {}
    for col, label in enumerate(labels):
        column_truth = truth[:, col : col + 1]
        options = [(float(f1_per_label(column_truth, scores[:, col : col + 1] >= t)[0]), t) for t in THRESHOLD_GRID]
        # Best F1; on ties prefer the value closest to the global threshold.
        top = max(f1 for f1, _ in options)
        per[label] = min((t for f1, t in options if f1 >= top - 1e-9), key=lambda t: abs(t - best_default))
    return Thresholds(default=best_default, per_label=per)


def label_matrix(examples: Sequence[Example], labels: Sequence[str]) -> numpy.ndarray:
    """Boolean (n_examples, n_labels) truth matrix."""
    return numpy.asarray([[label in example.themes for label in labels] for example in examples], dtype=bool)


def kfold_indices(n_items: int, folds: int, seed: int) -> list[numpy.ndarray]:
    """Shuffled k-fold split (used for threshold tuning inside a training set)."""
    order = numpy.random.RandomState(seed).permutation(n_items)
    return [order[fold::folds] for fold in range(folds)]


def out_of_fold_scores(examples: Sequence[Example], labels: Sequence[str], config: TrainConfig) -> numpy.ndarray:
    """Scores for every example from a model that did not see it (config.tune_folds folds)."""
    scores = numpy.zeros((len(examples), len(labels)), dtype="float32")
    for held_out in kfold_indices(len(examples), config.tune_folds, config.seed):
        held = set(held_out.tolist())
        train = [example for index, example in enumerate(examples) if index not in held]
        nlp = train_pipeline(train, labels, config)
        scores[held_out] = predict_scores(nlp, [examples[index].text for index in held_out], labels)
    return scores


def tune_threshold(examples: Sequence[Example], labels: Sequence[str], config: TrainConfig) -> Thresholds:
    """Thresholds from out-of-fold scores on `examples`, or the fixed config.threshold."""
    if config.threshold is not None:
        return Thresholds(default=config.threshold)
    scores = out_of_fold_scores(examples, labels, config)
    return choose_thresholds(label_matrix(examples, labels), scores, labels, config.per_label_thresholds)


def model_version(examples: Sequence[Example], labels: Sequence[str], config: TrainConfig) -> str:
    """Stable id of a model: hash of the training data, lexicon, labels, config and spaCy version."""
    payload = {
        "data": sorted([example.text, sorted(example.themes)] for example in examples),
        "lexicon": default_lexicon() if config.lexicon_weight > 0 else {},
        "labels": list(labels),
        "config": asdict(config),
        "spacy": spacy_version,
    }
    digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return "themes-" + digest.hexdigest()[:12]


def train_and_save(
    examples: Sequence[Example], labels: Sequence[str], output_dir: Path, config: TrainConfig
) -> dict[str, Any]:
    """Tune the threshold, train on all examples, save to `output_dir`; return the meta written."""
    started = time.perf_counter()
    thresholds = tune_threshold(examples, labels, config)
    nlp = train_pipeline(examples, labels, config)
    textcat_of(nlp).cfg["threshold"] = thresholds.default
    meta = {
        "model_version": model_version(examples, labels, config),
        "threshold": thresholds.default,
        "thresholds": thresholds.per_label,
        "labels": list(labels),
        "architecture": config.architecture,
        "train_config": asdict(config),
        "n_examples": len(examples),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    nlp.meta["name"] = "trygghet_themes"
    nlp.meta["description"] = "Multi-label theme classifier for Trygghetsdialog (Swedish)."
    nlp.meta[META_KEY] = meta
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return meta


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="directory to write the model to")
    parser.add_argument("--data", type=Path, default=THEME_DATA_DIR, help="folder of theme *.yml files")
    parser.add_argument("--themes", type=Path, default=THEMES_JSON, help="taxonomy json")
    parser.add_argument("--architecture", choices=ARCHITECTURES, default=DEFAULT_ARCHITECTURE)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--threshold", type=float, default=None, help="fixed threshold (default: tune)")
    parser.add_argument("--per-label-thresholds", action="store_true")
    args = parser.parse_args(argv)
    labels = load_theme_codes(args.themes)
    examples = load_examples(args.data, args.themes)
    config = config_for(
        args.architecture,
        seed=args.seed,
        threshold=args.threshold,
        per_label_thresholds=args.per_label_thresholds,
    )
    meta = train_and_save(examples, labels, args.out, config)
    print(json.dumps(meta, ensure_ascii=False, indent=2))  # noqa: T201 - CLI output


if __name__ == "__main__":
    main()
