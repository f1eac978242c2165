"""Measure emergency detection on the held-out set: recall and false-alarm rate.

Usage (from the repository root, either environment):
    python scripts/eval_emergency.py                      # the safety rules alone
    python scripts/eval_emergency.py --json               # machine-readable
    python scripts/eval_emergency.py --show-errors        # also list missed emergencies and false alarms

The held-out file (tests/bot/emergency_heldout.yml) looks like
    examples:
      - text: "någon slår ner en kille utanför just nu"
        emergency: true
It is written separately from the rules and must not be used to tune them; the numbers are
only honest as long as nobody edits patterns.yml to fit it.

To combine with the NLU model, pass your own predictor to ``evaluate``:
    from scripts.eval_emergency import evaluate, load_examples, rules_predict
    result = evaluate(load_examples(), lambda text: rules_predict(text) or nlu_says_emergency(text))
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.components.safety_rules import EMERGENCY, SafetyRules, load_rules  # noqa: E402

DEFAULT_HELDOUT_FILE = ROOT / "tests" / "bot" / "emergency_heldout.yml"

Example = dict[str, Any]  # {"text": str, "emergency": bool}
Predictor = Callable[[str], bool]


def load_examples(path: str | Path = DEFAULT_HELDOUT_FILE) -> list[Example]:
    """The `examples` list of a held-out file, checked for the {text, emergency} shape."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    examples = data.get("examples") or []
    for number, example in enumerate(examples, start=1):
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            raise ValueError(f"Example {number} in {path} has no text")
        if not isinstance(example.get("emergency"), bool):
            raise ValueError(f"Example {number} in {path} needs emergency: true/false")
    return examples


def rules_predict(text: str, rules: SafetyRules | None = None) -> bool:
    """True when the safety rules alone put the message in the emergency category."""
    match = (rules or load_rules()).classify(text)
    return match is not None and match.category == EMERGENCY


def rules_any_safety(text: str, rules: SafetyRules | None = None) -> bool:
    """True when the rules route the message to any safety response (all of them name 112)."""
    return (rules or load_rules()).classify(text) is not None


def evaluate(examples: Sequence[Example], predict: Predictor) -> dict[str, Any]:
    """Recall (emergencies found), false-alarm rate (non-emergencies flagged) and the errors."""
    missed, false_alarms = [], []
    true_positives = true_negatives = 0
    for example in examples:
        flagged = bool(predict(example["text"]))
        if example["emergency"]:
            if flagged:
                true_positives += 1
            else:
                missed.append(example["text"])
        elif flagged:
            false_alarms.append(example["text"])
        else:
            true_negatives += 1
    positives = true_positives + len(missed)
    negatives = true_negatives + len(false_alarms)
    flagged_total = true_positives + len(false_alarms)
    return {
        "examples": positives + negatives,
        "emergencies": positives,
        "non_emergencies": negatives,
        "true_positives": true_positives,
        "missed": len(missed),
        "false_alarms": len(false_alarms),
        "true_negatives": true_negatives,
        "recall": _ratio(true_positives, positives),
        "false_alarm_rate": _ratio(len(false_alarms), negatives),
        "precision": _ratio(true_positives, flagged_total),
        "missed_texts": missed,
        "false_alarm_texts": false_alarms,
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(name: str, result: dict[str, Any]) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    found = f"{result['true_positives']}/{result['emergencies']}"
    alarms = f"{result['false_alarms']}/{result['non_emergencies']}"
    return (
        f"{name}: recall {pct(result['recall'])} ({found}), "
        f"false alarms {pct(result['false_alarm_rate'])} ({alarms}), "
        f"precision {pct(result['precision'])}"
    )


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the evaluation of the rules alone and print it; returns the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_HELDOUT_FILE, help="held-out YAML file")
    parser.add_argument("--patterns", type=Path, default=None, help="patterns file (default: the project's)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--show-errors", action="store_true", help="list missed emergencies and false alarms")
    args = parser.parse_args(argv)

    rules = SafetyRules.from_file(args.patterns) if args.patterns else load_rules()
    examples = load_examples(args.file)
    results = {
        "rules_emergency": evaluate(examples, lambda text: rules_predict(text, rules)),
        "rules_any_safety_response": evaluate(examples, lambda text: rules_any_safety(text, rules)),
    }
    if not args.show_errors:
        for result in results.values():
            result.pop("missed_texts")
            result.pop("false_alarm_texts")

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return results
    print(f"{args.file} — {len(examples)} examples")
    print(_summary("rules, intent emergency", results["rules_emergency"]))
    print(_summary("rules, any safety response", results["rules_any_safety_response"]))
    if args.show_errors:
        for kind in ("missed_texts", "false_alarm_texts"):
            print(f"\n{kind.replace('_', ' ')}:")
            for text in results["rules_emergency"][kind]:
                print(f"  - {text}")
    return results


if __name__ == "__main__":
    main()
