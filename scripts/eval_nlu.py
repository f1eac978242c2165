"""Evaluate the Rasa NLU pipeline: seeded cross-validation, the held-out test set and emergency detection.

Usage (from the repository root, Rasa environment):
    PYTHONPATH=. .venv-rasa/bin/python scripts/eval_nlu.py                 # everything, writes reports/nlu.md
    PYTHONPATH=. .venv-rasa/bin/python scripts/eval_nlu.py --skip-cv       # held-out and emergency only (~1 model)
    PYTHONPATH=. .venv-rasa/bin/python scripts/eval_nlu.py --folds 2       # a quicker cross-validation
    PYTHONPATH=. .venv-rasa/bin/python scripts/eval_nlu.py --model models/bot.tar.gz --skip-cv   # no training

Three stages, each timed in the report:

1. Cross-validation on the training data (nlu_data/*.yml and nlu_data/lookups/). `rasa test nlu --cross-validation`
   shuffles without a seed, so its folds change from run to run; here the folds come from
   ``StratifiedKFold(shuffle=True, random_state=seed)`` and one NLU-only model is trained per fold. Synonyms,
   lookups and regexes go to every fold; the synonyms written inline in an example ([kvällarna]{"value": "kvall"})
   only go with that example, so a test example never teaches its own synonym.
2. One model trained on all training data, tested on tests/bot/test_nlu.yml, test_nlu_2.yml and test_nlu_3.yml (never
   trained on): intents, and entities compared as (type, value) pairs after synonym mapping (only
   test_nlu.yml has them).
3. The same model on tests/bot/emergency_heldout*.yml: the full pipeline (NLU + safety net) against the NLU alone
   and the safety rules alone.

The intent that counts is the final one, after FallbackClassifier and the safety net, exactly as the bot sees it;
an `nlu_fallback` prediction is an error. To report "the NLU alone", the script wraps
``SafetyNetClassifier.process`` while it runs and records the intent the component received from the model.

Cost: each trained model also takes 1-2 minutes to load (Rasa traces DIET's TensorFlow graph), so the default run is
six trainings plus six loads; Rasa's training cache is switched off and kept in the temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import functools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Before anything from Rasa is imported: no telemetry, no TensorFlow or deprecation chatter.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
warnings.filterwarnings("ignore", category=DeprecationWarning)  # the Rasa 3.6 stack is full of them

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.components.safety_rules import load_rules  # noqa: E402
from scripts.eval_emergency import evaluate, load_examples, rules_predict  # noqa: E402

if TYPE_CHECKING:
    from rasa.core.agent import Agent

DEFAULT_CONFIG = ROOT / "config.yml"
DEFAULT_OUTPUT = ROOT / "reports" / "nlu.md"
# Held-out intent files: test_nlu.yml has served error analysis over several rounds (it flatters the model);
# test_nlu_2.yml and test_nlu_3.yml were each written blind by a writer who saw only the place lookups.
HELDOUT_NLU_FILES = tuple(
    ROOT / "tests" / "bot" / name for name in ("test_nlu.yml", "test_nlu_2.yml", "test_nlu_3.yml")
)
# Triage sets, each written blind by an independent writer and measured before the round of rule changes that
# followed it (README, Evaluation); after its round a file is development data, so the newest file is the blind one.
EMERGENCY_FILES = tuple(
    ROOT / "tests" / "bot" / f"emergency_heldout{suffix}.yml"
    for suffix in ("", "_2", "_3", "_4", "_5", "_6", "_7", "_8", "_9", "_10", "_11", "_12", "_13")
)
# nlu_data/themes (theme classifier) and nlu_data/safety (safety-net patterns) are not Rasa training data.
TRAINING_GLOBS = ("nlu_data/*.yml", "nlu_data/lookups/*.yml")
SEED = 42
DEFAULT_FOLDS = 5

FALLBACK_INTENT = "nlu_fallback"
EMERGENCY_INTENT = "emergency"
# Intents that get a safety response; a held-out example's `triage` names one of them or `none`.
TRIAGE_INTENTS = ("emergency", "crisis", "child_in_need", "domestic_violence", "report_crime")
NO_TRIAGE = "none"
MODEL_INTENT_KEY = "model_intent"  # added to parse data while evaluating: the intent before the safety net
SAFETY_NET_KEY = "safety_net"
# The actions read a `district` entity as the place (actions/concern_slots.py), so it is scored as one.
ENTITY_TYPE_ALIASES = {"district": "place"}

TARGET_MACRO_F1 = 0.90
TARGET_EMERGENCY_RECALL = 1.0
TARGET_FALSE_ALARM_RATE = 0.05  # strictly below

TOP_CONFUSIONS = 12
EXAMPLES_PER_CONFUSION = 2
MAX_ENTITY_ERRORS = 20

logger = logging.getLogger("eval_nlu")


# ---------------------------------------------------------------------------------------------------- data


@dataclass
class Fold:
    """One cross-validation split: what the model trains on and the examples it is tested on."""

    number: int
    train: TrainingData
    test: list[Message]


def training_files(root: Path = ROOT) -> list[Path]:
    """The Rasa NLU training files, in a stable order."""
    return [path for pattern in TRAINING_GLOBS for path in sorted(root.glob(pattern))]


def load_training_data(files: Sequence[Path]) -> TrainingData:
    """All files merged into one TrainingData (examples, synonyms, lookups, regexes)."""
    return TrainingData().merge(*(load_data(str(path)) for path in files))


def explicit_synonyms(files: Sequence[Path]) -> dict[str, str]:
    """Synonyms from `- synonym:` blocks only, without the ones written inline in examples."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    synonyms: dict[str, str] = {}
    for path in files:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        blocks = [item for item in document.get("nlu") or [] if isinstance(item, dict) and "synonym" in item]
        if blocks:
            text = yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False)
            synonyms.update(RasaYAMLReader().reads(text).entity_synonyms)
    return synonyms


def build_folds(data: TrainingData, n_folds: int, seed: int, synonyms: dict[str, str]) -> list[Fold]:
    """Stratified folds over the intent examples; resources (synonyms, lookups, regexes) go to every fold."""
    from sklearn.model_selection import StratifiedKFold

    examples = list(data.intent_examples)
    labels = [example.get_full_intent() for example in examples]
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    folds = []
    for number, (train_index, test_index) in enumerate(splitter.split(labels, labels), start=1):
        train = TrainingData(
            training_examples=[examples[i] for i in train_index],
            entity_synonyms=dict(synonyms),
            lookup_tables=data.lookup_tables,
            regex_features=data.regex_features,
        )
        folds.append(Fold(number, train, [examples[i] for i in test_index]))
    return folds


def gold_entities(message: Message) -> set[tuple[str, str]]:
    """The (type, value) pairs annotated on a test message."""
    return {_entity_key(entity) for entity in message.get(ENTITIES) or []}


def predicted_entities(parse: dict[str, Any]) -> set[tuple[str, str]]:
    """The (type, value) pairs in a parse result; two extractors finding the same pair count once."""
    return {_entity_key(entity) for entity in parse.get(ENTITIES) or []}


def _entity_key(entity: dict[str, Any]) -> tuple[str, str]:
    kind = ENTITY_TYPE_ALIASES.get(entity["entity"], entity["entity"])
    return kind, " ".join(str(entity.get("value", "")).split()).casefold()


# ---------------------------------------------------------------------------------------------------- metrics


@dataclass
class Prediction:
    """What the pipeline said about one test message."""

    text: str
    target: str
    predicted: str
    model_predicted: str | None = None  # before the safety net
    safety_net: dict[str, Any] = field(default_factory=dict)
    gold_entities: set[tuple[str, str]] = field(default_factory=set)
    predicted_entities: set[tuple[str, str]] = field(default_factory=set)

    @property
    def safety_net_fired(self) -> bool:
        return bool(self.safety_net.get("fired"))


def prediction_from_parse(text: str, target: str, parse: dict[str, Any], gold: set[tuple[str, str]]) -> Prediction:
    """A Prediction from a Rasa parse result (with the model intent recorded by ``recording_model_intent``)."""
    intent = (parse.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
    model_intent = (parse.get(MODEL_INTENT_KEY) or {}).get(INTENT_NAME_KEY)
    return Prediction(
        text=text,
        target=target,
        predicted=intent,
        model_predicted=model_intent,
        safety_net=dict(parse.get(SAFETY_NET_KEY) or {}),
        gold_entities=gold,
        predicted_entities=predicted_entities(parse),
    )


def _prf(true_positives: int, predicted: int, actual: int) -> tuple[float, float, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def intent_metrics(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Per-intent precision/recall/F1/support, macro and weighted F1 over the intents in the gold data.

    A prediction outside the gold intents (``nlu_fallback``) lowers the recall of the true intent and has no row
    of its own, so it cannot raise or lower the macro average by itself.
    """
    support = Counter(target for target, _ in pairs)
    predicted = Counter(prediction for _, prediction in pairs)
    correct = Counter(target for target, prediction in pairs if target == prediction)
    per_intent = {}
    for intent in sorted(support):
        precision, recall, f1 = _prf(correct[intent], predicted[intent], support[intent])
        per_intent[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": support[intent]}
    total = sum(support.values())
    return {
        "per_intent": per_intent,
        "macro_f1": sum(row["f1"] for row in per_intent.values()) / len(per_intent) if per_intent else 0.0,
        "weighted_f1": sum(row["f1"] * row["support"] for row in per_intent.values()) / total if total else 0.0,
        "accuracy": sum(correct.values()) / total if total else 0.0,
        "examples": total,
        "fallbacks": predicted[FALLBACK_INTENT],
        "unknown_predictions": {name: n for name, n in predicted.items() if name not in support},
    }


def confusion_pairs(
    predictions: Sequence[Prediction], top: int = TOP_CONFUSIONS, examples: int = EXAMPLES_PER_CONFUSION
) -> list[dict[str, Any]]:
    """The most frequent (true → predicted) mistakes, with a few example texts each."""
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for prediction in predictions:
        if prediction.target != prediction.predicted:
            texts[(prediction.target, prediction.predicted)].append(prediction.text)
    ordered = sorted(texts.items(), key=lambda item: (-len(item[1]), item[0]))
    return [
        {"target": target, "predicted": predicted, "count": len(found), "examples": found[:examples]}
        for (target, predicted), found in ordered[:top]
    ]


def entity_metrics(predictions: Sequence[Prediction]) -> dict[str, Any]:
    """Precision/recall/F1 per entity type over exact (type, value) pairs, plus the micro average."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    errors = []
    for prediction in predictions:
        gold, found = prediction.gold_entities, prediction.predicted_entities
        for kind, _ in gold & found:
            counts[kind]["tp"] += 1
        for kind, _ in found - gold:
            counts[kind]["fp"] += 1
        for kind, _ in gold - found:
            counts[kind]["fn"] += 1
        if gold != found:
            errors.append({"text": prediction.text, "missed": sorted(gold - found), "spurious": sorted(found - gold)})
    per_type = {}
    for kind in sorted(counts):
        c = counts[kind]
        precision, recall, f1 = _prf(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])
        per_type[kind] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": c["tp"] + c["fn"],
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
        }
    tp, fp, fn = (sum(c[key] for c in counts.values()) for key in ("tp", "fp", "fn"))
    precision, recall, f1 = _prf(tp, tp + fp, tp + fn)
    return {
        "per_type": per_type,
        "micro": {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn},
        "errors": errors,
    }


def emergency_results(predictions: Sequence[Prediction], examples: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Detection by the full pipeline, the model alone and the rules alone (``scripts.eval_emergency.evaluate``)."""
    by_text = {prediction.text: prediction for prediction in predictions}
    predictors: dict[str, Callable[[str], bool]] = {
        "full": lambda text: by_text[text].predicted == EMERGENCY_INTENT,
        "nlu": lambda text: by_text[text].model_predicted == EMERGENCY_INTENT,
        "rules": rules_predict,
    }
    return {name: evaluate(examples, predict) for name, predict in predictors.items()}


def meets_emergency_target(result: dict[str, Any]) -> bool:
    """Recall 100% and false alarms under 5%."""
    recall, false_alarms = result["recall"], result["false_alarm_rate"]
    return recall is not None and recall >= TARGET_EMERGENCY_RECALL and (false_alarms or 0.0) < TARGET_FALSE_ALARM_RATE


# ---------------------------------------------------------------------------------------------------- markdown


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_intent_table(metrics: dict[str, Any]) -> str:
    """Per-intent table, worst F1 first, then the averages."""
    lines = ["| intent | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    rows = sorted(metrics["per_intent"].items(), key=lambda item: (item[1]["f1"], item[0]))
    for intent, row in rows:
        lines.append(
            f"| {intent} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |"
        )
    lines += [
        "",
        f"- **macro-F1 {metrics['macro_f1']:.3f}**, weighted F1 {metrics['weighted_f1']:.3f}, "
        f"accuracy {metrics['accuracy']:.3f} ({metrics['examples']} examples)",
        f"- `{FALLBACK_INTENT}` predictions (counted as errors): {metrics['fallbacks']}",
    ]
    others = {name: n for name, n in metrics["unknown_predictions"].items() if name != FALLBACK_INTENT}
    if others:
        lines.append(f"- predicted intents without test examples: {others}")
    return "\n".join(lines)


def render_confusions(confusions: Sequence[dict[str, Any]]) -> str:
    """Top confusion pairs with example texts."""
    if not confusions:
        return "No confusions."
    lines = ["| true → predicted | count | examples |", "|---|---:|---|"]
    for pair in confusions:
        examples = "; ".join(f"“{_cell(text)}”" for text in pair["examples"])
        lines.append(f"| {pair['target']} → {pair['predicted']} | {pair['count']} | {examples} |")
    return "\n".join(lines)


def render_entity_table(metrics: dict[str, Any]) -> str:
    """Per-type entity table and the first errors."""
    lines = [
        "| entity | precision | recall | F1 | support | TP | FP | FN |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, row in metrics["per_type"].items():
        lines.append(
            f"| {kind} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} "
            f"| {row['tp']} | {row['fp']} | {row['fn']} |"
        )
    micro = metrics["micro"]
    lines.append(
        f"| **all (micro)** | {micro['precision']:.3f} | {micro['recall']:.3f} | {micro['f1']:.3f} "
        f"| {micro['support']} | | | |"
    )
    errors = metrics["errors"]
    if errors:
        lines += ["", f"Entity errors ({len(errors)} messages; first {min(len(errors), MAX_ENTITY_ERRORS)}):", ""]
        for error in errors[:MAX_ENTITY_ERRORS]:
            missed = ", ".join(f"{kind}={value}" for kind, value in error["missed"]) or "–"
            spurious = ", ".join(f"{kind}={value}" for kind, value in error["spurious"]) or "–"
            lines.append(f"- “{error['text']}” — missed: {missed}; spurious: {spurious}")
    return "\n".join(lines)


def _net(prediction: Prediction) -> str:
    if not prediction.safety_net_fired:
        return "no, but downgraded a past event" if prediction.safety_net.get("downgraded_past_event") else "no"
    return f"yes ({prediction.safety_net.get('rule', prediction.safety_net.get('category', '?'))})"


def render_emergency(results: dict[str, Any], predictions: Sequence[Prediction]) -> str:
    """Full pipeline vs NLU alone vs rules alone, then every miss and false alarm."""
    by_text = {prediction.text: prediction for prediction in predictions}
    full = results["full"]
    lines = [
        "| detector | recall | found | false-alarm rate | false alarms | precision |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = {
        "full": "full pipeline (NLU + safety net)",
        "nlu": "NLU alone (model, before the net)",
        "rules": "safety rules alone",
    }
    for key, name in names.items():
        result = results[key]
        lines.append(
            f"| {name} | {_pct(result['recall'])} | {result['true_positives']}/{result['emergencies']} "
            f"| {_pct(result['false_alarm_rate'])} | {result['false_alarms']}/{result['non_emergencies']} "
            f"| {_pct(result['precision'])} |"
        )
    lines += [
        "",
        f"Target: recall 100% and false alarms < {TARGET_FALSE_ALARM_RATE:.0%} (full pipeline): "
        f"{_verdict(meets_emergency_target(full))}",
        "",
        _miss_explanation(full["missed_texts"], by_text),
        "",
        f"### Missed emergencies ({full['missed']})",
        "",
    ]
    lines += _error_rows(full["missed_texts"], by_text, results) or ["None."]
    lines += ["", f"### False alarms ({full['false_alarms']})", ""]
    lines += _error_rows(full["false_alarm_texts"], by_text, results) or ["None."]
    return "\n".join(lines)


def _miss_explanation(missed: Sequence[str], by_text: dict[str, Prediction]) -> str:
    overruled = sum(1 for text in missed if by_text[text].model_predicted == EMERGENCY_INTENT)
    return (
        "An emergency is missed when neither the model nor the rules say emergency, or when the safety net turns "
        f"the model's emergency into another intent (a past event): {len(missed) - overruled} and {overruled} "
        "of the misses below."
    )


def _error_rows(texts: Sequence[str], by_text: dict[str, Prediction], results: dict[str, Any]) -> list[str]:
    if not texts:
        return []
    rows = ["| text | final intent | model intent | safety net fired | rules say emergency |", "|---|---|---|---|---|"]
    for text in texts:
        prediction = by_text[text]
        rules_flag = "yes" if rules_predict(text) else "no"
        rows.append(
            f"| {_cell(text)} | {prediction.predicted} | {prediction.model_predicted or '?'} | {_net(prediction)} "
            f"| {rules_flag} |"
        )
    return rows


def render_report(header: dict[str, Any], sections: Sequence[tuple[str, str]]) -> str:
    """The whole report: a header (key/value lines) and titled sections."""
    lines = ["# NLU evaluation", ""]
    lines += [f"- **{key}**: {value}" for key, value in header.items()]
    for title, body in sections:
        lines += ["", f"## {title}", "", body.rstrip()]
    return "\n".join(lines) + "\n"


def config_summary(config_path: Path) -> str:
    """The pipeline as `Component(setting=value) → …`, paths and names shortened."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    parts = []
    for component in config.get("pipeline") or []:
        name = str(component.get("name", "?")).rsplit(".", 1)[-1]
        settings = ", ".join(f"{key}={value}" for key, value in component.items() if key != "name")
        parts.append(f"{name}({settings})" if settings else name)
    return f"language={config.get('language')}; " + " → ".join(parts)


# ---------------------------------------------------------------------------------------------------- Rasa


@contextlib.contextmanager
def recording_model_intent() -> Iterator[None]:
    """While active, models loaded carry in each parse result the intent the safety net got from the model.

    Rasa binds a component's ``process`` when the model is loaded, so load the model inside this context.
    """
    from bot.components.safety_net import SafetyNetClassifier

    original = SafetyNetClassifier.process

    # Rasa checks the type hints of `process` when it validates the graph: keep the original's (functools.wraps).
    @functools.wraps(original)
    def process(self, messages: list[Message]) -> list[Message]:  # type: ignore[no-untyped-def]
        for message in messages:
            message.set(MODEL_INTENT_KEY, dict(message.get(INTENT) or {}), add_to_output=True)
        return original(self, messages)

    SafetyNetClassifier.process = process  # type: ignore[method-assign]
    try:
        yield
    finally:
        SafetyNetClassifier.process = original  # type: ignore[method-assign]


def train_model(config: Path, data: TrainingData, work_dir: Path, name: str) -> Path:
    """Trains an NLU-only model on `data` (written to a temporary YAML file, as `rasa test nlu` does)."""
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    data_file = work_dir / f"{name}.yml"
    RasaYAMLWriter().dump(data_file, data)
    model = train_nlu(str(config), str(data_file), str(work_dir), fixed_model_name=name)
    if not model:
        raise RuntimeError(f"Training {name} produced no model")
    return Path(model)


def load_agent(model: Path) -> Agent:
    """A Rasa agent for a model archive (load it inside ``recording_model_intent``)."""
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def parse_all(agent: Agent, texts: Sequence[str]) -> list[dict[str, Any]]:
    """Parses each text with the whole pipeline (safety net included)."""

    async def run() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def predict_messages(agent: Agent, messages: Sequence[Message]) -> list[Prediction]:
    """Predictions for annotated test messages."""
    parses = parse_all(agent, [message.get(TEXT) for message in messages])
    return [
        prediction_from_parse(message.get(TEXT), message.get_full_intent(), parse, gold_entities(message))
        for message, parse in zip(messages, parses, strict=True)
    ]


# ---------------------------------------------------------------------------------------------------- stages


def _log(text: str) -> None:
    print(f"[eval_nlu {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def run_cross_validation(
    config: Path, data: TrainingData, synonyms: dict[str, str], n_folds: int, seed: int, work_dir: Path
) -> tuple[str, dict[str, Any]]:
    """Trains one model per fold and pools the test-fold predictions."""
    predictions: list[Prediction] = []
    fold_rows = []
    for fold in build_folds(data, n_folds, seed, synonyms):
        started = time.monotonic()
        _log(f"fold {fold.number}/{n_folds}: training on {len(fold.train.intent_examples)} examples")
        model = train_model(config, fold.train, work_dir, f"fold{fold.number}")
        trained = time.monotonic()
        fold_predictions = predict_messages(load_agent(model), fold.test)
        predicted = time.monotonic()
        model.unlink(missing_ok=True)
        predictions += fold_predictions
        fold_metrics = intent_metrics([(p.target, p.predicted) for p in fold_predictions])
        fold_rows.append(
            f"| {fold.number} | {len(fold.train.intent_examples)} | {len(fold.test)} | {fold_metrics['macro_f1']:.3f} "
            f"| {fold_metrics['accuracy']:.3f} | {trained - started:.0f} s | {predicted - trained:.0f} s |"
        )
        _log(f"fold {fold.number}/{n_folds}: macro-F1 {fold_metrics['macro_f1']:.3f} ({predicted - started:.0f} s)")

    metrics = intent_metrics([(p.target, p.predicted) for p in predictions])
    model_alone = intent_metrics([(p.target, p.model_predicted or "") for p in predictions])
    changed = sum(1 for p in predictions if p.model_predicted != p.predicted)
    body = [
        f"{n_folds}-fold stratified cross-validation, `StratifiedKFold(shuffle=True, random_state={seed})`, "
        f"one NLU-only model per fold; metrics pooled over the {len(predictions)} test-fold predictions.",
        "",
        "| fold | train | test | macro-F1 | accuracy | training | loading + predicting |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *fold_rows,
        "",
        render_intent_table(metrics),
        f"- model alone (before the safety net): macro-F1 {model_alone['macro_f1']:.3f}; "
        f"the safety net changed {changed} final intents",
        "",
        f"Target: intent macro-F1 ≥ {TARGET_MACRO_F1:.2f}: {_verdict(metrics['macro_f1'] >= TARGET_MACRO_F1)}",
        "",
        "### Top confusions",
        "",
        render_confusions(confusion_pairs(predictions)),
    ]
    return "\n".join(body), metrics


def run_heldout(agent: Agent, trained_intents: set[str], path: Path) -> tuple[str, dict[str, Any]]:
    """Intents and entities on one held-out NLU file."""
    test_data = load_data(str(path))
    predictions = predict_messages(agent, test_data.intent_examples)
    untrained = sorted({p.target for p in predictions} - trained_intents)
    metrics = intent_metrics([(p.target, p.predicted) for p in predictions])
    model_alone = intent_metrics([(p.target, p.model_predicted or "") for p in predictions])
    body = [
        f"`{_relative(path)}`: {len(predictions)} examples, never trained on.",
        "",
        render_intent_table(metrics),
        f"- model alone (before the safety net): macro-F1 {model_alone['macro_f1']:.3f}",
        *(
            [f"- **intents in the test file but not in the training data**: {', '.join(untrained)}"]
            if untrained
            else []
        ),
        "",
        f"Target: intent macro-F1 ≥ {TARGET_MACRO_F1:.2f}: {_verdict(metrics['macro_f1'] >= TARGET_MACRO_F1)}",
        "",
        "### Top confusions",
        "",
        render_confusions(confusion_pairs(predictions)),
        "",
        "### Entities",
        "",
        _entity_section(test_data, predictions),
    ]
    return "\n".join(body), metrics


def _entity_section(test_data: TrainingData, predictions: Sequence[Prediction]) -> str:
    # A file written for intents only has no annotations: every extracted entity would count as spurious.
    if not test_data.entity_examples:
        return "Not measured: this file has no entity annotations."
    return (
        "Exact (type, value) pairs per message after synonym mapping, case and spacing ignored; `district` is "
        "scored as `place` (the actions read it so); two extractors finding the same pair count once.\n\n"
        + render_entity_table(entity_metrics(predictions))
    )


def triage_of(intent: str | None) -> str:
    """The safety response an intent gets: the intent itself for the triage intents, else ``none``."""
    return intent if intent in TRIAGE_INTENTS else NO_TRIAGE


def render_triage(examples: Sequence[dict[str, Any]], by_text: dict[str, Prediction]) -> str:
    """Per expected triage category: how often the full pipeline, the model and the rules chose it."""
    rules = load_rules()
    rows = [
        "| expected triage | messages | full pipeline | NLU alone | rules alone |",
        "|---|---:|---:|---:|---:|",
    ]
    wrong: list[str] = []
    for category in (*TRIAGE_INTENTS, NO_TRIAGE):
        group = [example for example in examples if example.get("triage") == category]
        if not group:
            continue
        hits = {"full": 0, "nlu": 0, "rules": 0}
        for example in group:
            prediction = by_text[example["text"]]
            match = rules.classify(example["text"])
            hits["full"] += triage_of(prediction.predicted) == category
            hits["nlu"] += triage_of(prediction.model_predicted) == category
            hits["rules"] += (match.category if match else NO_TRIAGE) == category
            if triage_of(prediction.predicted) != category:
                wrong.append(f"| {_cell(example['text'])} | {category} | {prediction.predicted} | {_net(prediction)} |")
        rows.append(
            f"| {category} | {len(group)} | "
            + " | ".join(f"{hits[key]}/{len(group)}" for key in ("full", "nlu", "rules"))
            + " |"
        )
    rows += ["", f"### Wrong triage, full pipeline ({len(wrong)})", ""]
    header = ["| text | expected | final intent | safety net fired |", "|---|---|---|---|"]
    rows += [*header, *wrong] if wrong else ["None."]
    return "\n".join(rows)


def run_emergency(agent: Agent, path: Path) -> tuple[str, dict[str, Any]]:
    """Emergency detection (and triage, when the file says what is expected) on one held-out file."""
    examples = load_examples(path)
    texts = [example["text"] for example in examples]
    predictions = [
        prediction_from_parse(text, "", parse, set())
        for text, parse in zip(texts, parse_all(agent, texts), strict=True)
    ]
    results = emergency_results(predictions, examples)
    intro = (
        f"`{_relative(path)}`: {len(examples)} messages, {results['full']['emergencies']} "
        f"emergencies. Detected = the final intent is `{EMERGENCY_INTENT}`."
    )
    body = intro + "\n\n" + render_emergency(results, predictions)
    if any("triage" in example for example in examples):
        by_text = {prediction.text: prediction for prediction in predictions}
        body += "\n\n### Triage by category\n\n" + render_triage(examples, by_text)
    return body, results


def _macro_f1_verdict(name: str, value: float) -> str:
    passed = "PASS" if value >= TARGET_MACRO_F1 else "FAIL"
    return f"{name} intent macro-F1 {value:.3f} (target ≥ {TARGET_MACRO_F1:.2f}): {passed}"


def git_commit() -> str:
    """Short HEAD commit, marked when the working tree has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the stages, writes the report and prints the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="Rasa config (default: config.yml)")
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS, help="cross-validation folds (default: 5)")
    parser.add_argument("--skip-cv", action="store_true", help="skip the cross-validation")
    parser.add_argument("--seed", type=int, default=SEED, help="fold shuffling seed (default: 42)")
    parser.add_argument("--model", type=Path, default=None, help="use this trained model for the held-out stages")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="report file (default: reports/nlu.md)")
    parser.add_argument("--keep-model", type=Path, default=None, help="copy the model trained on all data here")
    parser.add_argument(
        "--heldout-file",
        type=Path,
        action="append",
        default=None,
        help="held-out NLU file, repeatable (default: tests/bot/test_nlu.yml, test_nlu_2.yml, test_nlu_3.yml)",
    )
    parser.add_argument(
        "--emergency-file",
        type=Path,
        action="append",
        default=None,
        help="held-out emergency file, repeatable (default: the tests/bot/emergency_heldout*.yml)",
    )
    args = parser.parse_args(argv)
    if args.folds < 2 and not args.skip_cv:
        parser.error("--folds must be at least 2")
    config, output = args.config.resolve(), args.output.resolve()
    if args.keep_model:
        args.keep_model = args.keep_model.resolve()
    model_arg = args.model.resolve() if args.model else None
    emergency_files = [path.resolve() for path in args.emergency_file] if args.emergency_file else EMERGENCY_FILES
    heldout_files = [path.resolve() for path in args.heldout_file] if args.heldout_file else HELDOUT_NLU_FILES
    os.chdir(ROOT)  # config.yml names models/spacy-sv relative to the repository

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # else every parse is logged to stdout
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # Rasa has just reset the filters
    started_all = time.monotonic()
    files = training_files()
    data = load_training_data(files)
    synonyms = explicit_synonyms(files)
    intents = Counter(example.get_full_intent() for example in data.intent_examples)
    timings: dict[str, str] = {}
    sections: list[tuple[str, str]] = []
    verdicts: list[str] = []

    with tempfile.TemporaryDirectory(prefix="eval_nlu_") as temp, recording_model_intent():
        work_dir = Path(temp)
        # Keep Rasa's training cache out of the repository's .rasa/ and away from other runs.
        os.environ["RASA_CACHE_DIRECTORY"] = str(work_dir / "cache")
        os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")

        if not args.skip_cv:
            started = time.monotonic()
            body, metrics = run_cross_validation(config, data, synonyms, args.folds, args.seed, work_dir)
            timings["cross-validation"] = f"{time.monotonic() - started:.0f} s"
            sections.append((f"1. Cross-validation ({args.folds} folds, seed {args.seed})", body))
            verdicts.append(_macro_f1_verdict("CV", metrics["macro_f1"]))

        started = time.monotonic()
        if model_arg:
            model, trained_by = model_arg, f"given model `{model_arg}`"
        else:
            _log(f"training on all {len(data.intent_examples)} examples")
            model, trained_by = train_model(config, data, work_dir, "full"), "NLU-only model trained on all data"
            if args.keep_model:
                args.keep_model.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(model, args.keep_model)
        agent = load_agent(model)
        timings["training + loading the full model" if not model_arg else "loading the given model"] = (
            f"{time.monotonic() - started:.0f} s"
        )

        started = time.monotonic()
        for number, path in enumerate(heldout_files, start=1):
            body, metrics = run_heldout(agent, set(intents), path)
            sections.append((f"2.{number} Held-out NLU test: {path.name}", f"Model: {trained_by}.\n\n{body}"))
            verdicts.append(_macro_f1_verdict(f"{path.name}: held-out", metrics["macro_f1"]))
        timings["held-out NLU test"] = f"{time.monotonic() - started:.0f} s"

        started = time.monotonic()
        for number, path in enumerate(emergency_files, start=1):
            body, results = run_emergency(agent, path)
            sections.append((f"3.{number} Emergency detection: {path.name}", f"Model: {trained_by}.\n\n{body}"))
            full = results["full"]
            verdicts.append(
                f"{path.name}: emergency recall {_pct(full['recall'])} "
                f"({full['true_positives']}/{full['emergencies']}, target 100%), "
                f"false alarms {_pct(full['false_alarm_rate'])} "
                f"({full['false_alarms']}/{full['non_emergencies']}, target < {TARGET_FALSE_ALARM_RATE:.0%}): "
                f"{'PASS' if meets_emergency_target(full) else 'FAIL'}"
            )
        timings["emergency detection"] = f"{time.monotonic() - started:.0f} s"

    timings["total"] = f"{time.monotonic() - started_all:.0f} s"
    header = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
        "config": f"`{_relative(config)}`: {config_summary(config)}",
        "seed": f"{args.seed} (fold shuffling; DIET's own random_seed is in the config)",
        "training data": f"{len(data.intent_examples)} examples, {len(intents)} intents "
        f"({', '.join(_relative(path) for path in files)}); {len(synonyms)} synonyms; "
        f"lookups: {', '.join(table['name'] for table in data.lookup_tables)}",
        "targets": "; ".join(verdicts),
        "wall time": "; ".join(f"{stage} {seconds}" for stage, seconds in timings.items()),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_report(header, sections), encoding="utf-8")
    for verdict in verdicts:
        print(verdict)
    print(f"wall time: {header['wall time']}")
    print(f"report: {_relative(output)}")
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
