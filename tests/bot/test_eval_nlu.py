"""The pure helpers of scripts/eval_nlu.py: folds, metrics and the markdown. Nothing is trained here."""

from __future__ import annotations

from collections import Counter

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from scripts import eval_nlu
from scripts.eval_nlu import Prediction


def _message(text: str, intent: str, entities: list[dict] | None = None) -> Message:
    data = {"text": text, "intent": intent}
    if entities:
        data["entities"] = entities
    return Message(data=data)


@pytest.fixture
def training_data() -> TrainingData:
    """Three intents with 5, 6 and 9 examples; one example carries an entity with an inline synonym."""
    examples = [_message(f"hej {i}", "greet") for i in range(5)]
    examples += [_message(f"tack {i}", "thanks") for i in range(6)]
    examples += [_message(f"det är stökigt vid torget {i}", "describe_concern") for i in range(8)]
    examples.append(
        _message(
            "på kvällarna",
            "describe_concern",
            [{"entity": "time_of_day", "value": "kvall", "start": 3, "end": 12}],
        )
    )
    return TrainingData(
        training_examples=examples,
        entity_synonyms={"kvällarna": "kvall"},
        lookup_tables=[{"name": "place", "elements": ["Stortorget"]}],
        regex_features=[{"name": "felt_safety", "pattern": r"^\s*[1-5]\s*$"}],
    )


def test_every_fold_tests_every_intent(training_data: TrainingData) -> None:
    folds = eval_nlu.build_folds(training_data, 5, 42, {"morgonen": "morgon"})

    assert len(folds) == 5
    for fold in folds:
        assert {m.get("intent") for m in fold.test} == {"greet", "thanks", "describe_concern"}
        assert {m.get("intent") for m in fold.train.intent_examples} == {"greet", "thanks", "describe_concern"}
        assert fold.train.entity_synonyms == {"morgonen": "morgon"}
        assert fold.train.lookup_tables == training_data.lookup_tables
        assert fold.train.regex_features == training_data.regex_features


def test_folds_partition_the_examples_and_keep_entities(training_data: TrainingData) -> None:
    folds = eval_nlu.build_folds(training_data, 5, 42, {})

    tested = Counter(id(m) for fold in folds for m in fold.test)
    assert sorted(tested.values()) == [1] * len(training_data.intent_examples)
    for fold in folds:
        assert not {id(m) for m in fold.test} & {id(m) for m in fold.train.intent_examples}
    with_entity = [m for fold in folds for m in fold.test if m.get("entities")]
    assert with_entity[0].get("entities")[0]["value"] == "kvall"


def test_folds_are_reproducible_with_the_seed(training_data: TrainingData) -> None:
    def test_texts(seed: int) -> list[list[str]]:
        return [[m.get("text") for m in fold.test] for fold in eval_nlu.build_folds(training_data, 5, seed, {})]

    assert test_texts(42) == test_texts(42)
    assert test_texts(42) != test_texts(7)


def test_explicit_synonyms_leave_out_inline_ones(tmp_path) -> None:
    data_file = tmp_path / "nlu.yml"
    data_file.write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: inform\n"
        "  examples: |\n"
        '    - på [kvällarna]{"entity": "time_of_day", "value": "kvall"}\n'
        "- synonym: morgon\n"
        "  examples: |\n"
        "    - morgonen\n"
        "    - imorse\n",
        encoding="utf-8",
    )

    assert eval_nlu.explicit_synonyms([data_file]) == {"morgonen": "morgon", "imorse": "morgon"}
    assert eval_nlu.load_training_data([data_file]).entity_synonyms["kvällarna"] == "kvall"


def test_training_files_skip_themes_and_safety_patterns() -> None:
    names = [str(path.relative_to(eval_nlu.ROOT)) for path in eval_nlu.training_files()]

    assert names
    assert all(name.startswith("nlu_data/") for name in names)
    assert not [name for name in names if name.startswith(("nlu_data/themes/", "nlu_data/safety/"))]


PAIRS = [
    ("greet", "greet"),
    ("greet", "greet"),
    ("greet", "thanks"),
    ("thanks", "thanks"),
    ("emergency", "emergency"),
    ("emergency", "nlu_fallback"),
]


def test_intent_metrics_by_hand() -> None:
    metrics = eval_nlu.intent_metrics(PAIRS)

    greet, thanks, emergency = (metrics["per_intent"][name] for name in ("greet", "thanks", "emergency"))
    assert (greet["precision"], greet["recall"], greet["support"]) == (1.0, pytest.approx(2 / 3), 3)
    assert greet["f1"] == pytest.approx(0.8)
    assert (thanks["precision"], thanks["recall"], thanks["f1"]) == (0.5, 1.0, pytest.approx(2 / 3))
    assert (emergency["precision"], emergency["recall"], emergency["f1"]) == (1.0, 0.5, pytest.approx(2 / 3))
    assert "nlu_fallback" not in metrics["per_intent"]
    assert metrics["macro_f1"] == pytest.approx((0.8 + 2 / 3 + 2 / 3) / 3)
    assert metrics["weighted_f1"] == pytest.approx((0.8 * 3 + 2 / 3 * 1 + 2 / 3 * 2) / 6)
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    assert metrics["fallbacks"] == 1
    assert metrics["unknown_predictions"] == {"nlu_fallback": 1}


def test_intent_metrics_of_nothing() -> None:
    assert eval_nlu.intent_metrics([])["macro_f1"] == 0.0


def test_confusion_pairs_most_frequent_first() -> None:
    predictions = [
        Prediction("a", "greet", "thanks"),
        Prediction("b", "inform", "describe_concern"),
        Prediction("c", "inform", "describe_concern"),
        Prediction("d", "inform", "describe_concern"),
        Prediction("e", "inform", "inform"),
    ]

    pairs = eval_nlu.confusion_pairs(predictions, top=5, examples=2)

    assert pairs == [
        {"target": "inform", "predicted": "describe_concern", "count": 3, "examples": ["b", "c"]},
        {"target": "greet", "predicted": "thanks", "count": 1, "examples": ["a"]},
    ]


def test_entities_compare_type_and_value_after_synonyms() -> None:
    parse = {
        "entities": [
            {"entity": "place", "value": "Stortorget", "extractor": "DIETClassifier"},
            {"entity": "place", "value": "stortorget", "extractor": "RegexEntityExtractor"},
            {"entity": "district", "value": "Norrby", "extractor": "RegexEntityExtractor"},
            {"entity": "time_of_day", "value": "natt", "extractor": "DIETClassifier"},
        ]
    }
    gold = eval_nlu.gold_entities(
        _message(
            "vid Stortorget i Norrby på kvällarna",
            "inform",
            [
                {"entity": "place", "value": "Stortorget", "start": 4, "end": 14},
                {"entity": "place", "value": "Norrby", "start": 17, "end": 23},
                {"entity": "time_of_day", "value": "kvall", "start": 27, "end": 36},
            ],
        )
    )
    prediction = eval_nlu.prediction_from_parse("vid Stortorget i Norrby på kvällarna", "inform", parse, gold)

    metrics = eval_nlu.entity_metrics([prediction])

    place, time_of_day = metrics["per_type"]["place"], metrics["per_type"]["time_of_day"]
    assert (place["tp"], place["fp"], place["fn"], place["f1"]) == (2, 0, 0, 1.0)
    assert (time_of_day["tp"], time_of_day["fp"], time_of_day["fn"], time_of_day["f1"]) == (0, 1, 1, 0.0)
    assert metrics["micro"]["precision"] == pytest.approx(2 / 3)
    assert metrics["errors"] == [
        {
            "text": "vid Stortorget i Norrby på kvällarna",
            "missed": [("time_of_day", "kvall")],
            "spurious": [("time_of_day", "natt")],
        }
    ]


def test_prediction_from_parse_reads_the_model_intent_and_the_safety_net() -> None:
    parse = {
        "text": "det brinner",
        "intent": {"name": "emergency", "confidence": 1.0},
        "model_intent": {"name": "nlu_fallback", "confidence": 0.35},
        "safety_net": {"fired": True, "overrode_model": True, "rule": "emergency.always.fire"},
        "entities": [],
    }

    prediction = eval_nlu.prediction_from_parse("det brinner", "emergency", parse, set())

    assert (prediction.predicted, prediction.model_predicted, prediction.safety_net_fired) == (
        "emergency",
        "nlu_fallback",
        True,
    )


EMERGENCY_EXAMPLES = [
    {"text": "det brinner i trapphuset", "emergency": True},
    {"text": "han står utanför med en kniv nu", "emergency": True},
    {"text": "förra veckan brann en bil", "emergency": False},
    {"text": "hej", "emergency": False},
]


def _emergency_predictions() -> list[Prediction]:
    fired = {"fired": True, "rule": "emergency.now.weapon"}
    return [
        Prediction("det brinner i trapphuset", "", "emergency", "emergency", {"fired": False}),
        Prediction("han står utanför med en kniv nu", "", "emergency", "describe_concern", fired),
        Prediction("förra veckan brann en bil", "", "emergency", "emergency", {"fired": False}),
        Prediction("hej", "", "greet", "greet", {"fired": False}),
    ]


def test_emergency_results_compare_the_pipeline_the_model_and_the_rules(monkeypatch) -> None:
    monkeypatch.setattr(eval_nlu, "rules_predict", lambda text: "kniv" in text)

    results = eval_nlu.emergency_results(_emergency_predictions(), EMERGENCY_EXAMPLES)

    assert (results["full"]["recall"], results["full"]["false_alarm_rate"]) == (1.0, 0.5)
    assert results["full"]["false_alarm_texts"] == ["förra veckan brann en bil"]
    assert (results["nlu"]["recall"], results["nlu"]["missed_texts"]) == (0.5, ["han står utanför med en kniv nu"])
    assert (results["rules"]["recall"], results["rules"]["false_alarms"]) == (0.5, 0)
    assert not eval_nlu.meets_emergency_target(results["full"])


@pytest.mark.parametrize(
    ("recall", "false_alarm_rate", "passes"),
    [(1.0, 0.0, True), (1.0, 0.049, True), (1.0, 0.05, False), (0.99, 0.0, False), (None, None, False)],
)
def test_emergency_target(recall, false_alarm_rate, passes) -> None:
    assert eval_nlu.meets_emergency_target({"recall": recall, "false_alarm_rate": false_alarm_rate}) is passes


def test_markdown_rendering(monkeypatch) -> None:
    monkeypatch.setattr(eval_nlu, "rules_predict", lambda text: "kniv" in text)
    predictions = _emergency_predictions()
    results = eval_nlu.emergency_results(predictions, EMERGENCY_EXAMPLES)
    intents = eval_nlu.intent_metrics(PAIRS)
    confusions = eval_nlu.confusion_pairs([Prediction("tack | hej", "greet", "thanks")])

    report = eval_nlu.render_report(
        {"commit": "abc1234", "seed": 42},
        [
            ("1. Intents", eval_nlu.render_intent_table(intents)),
            ("2. Confusions", eval_nlu.render_confusions(confusions)),
            ("3. Emergency", eval_nlu.render_emergency(results, predictions)),
        ],
    )

    assert report.startswith("# NLU evaluation\n\n- **commit**: abc1234\n- **seed**: 42\n")
    assert "## 1. Intents" in report and "## 3. Emergency" in report
    assert "| greet | 1.000 | 0.667 | 0.800 | 3 |" in report
    assert report.index("| thanks |") < report.index("| greet |")  # worst F1 first
    assert "**macro-F1 0.711**" in report
    assert "`nlu_fallback` predictions (counted as errors): 1" in report
    assert "| greet → thanks | 1 | “tack \\| hej” |" in report  # a pipe in a text does not break the table
    assert "| full pipeline (NLU + safety net) | 100.0% | 2/2 | 50.0% | 1/2 | 66.7% |" in report
    assert "**FAIL**" in report
    assert "### Missed emergencies (0)\n\nNone." in report
    assert "| förra veckan brann en bil | emergency | emergency | no | no |" in report
    assert report.endswith("\n")


def test_render_confusions_without_errors() -> None:
    assert eval_nlu.render_confusions([]) == "No confusions."


def test_config_summary_names_the_components(tmp_path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "language: sv\npipeline:\n  - name: SpacyTokenizer\n  - name: DIETClassifier\n    epochs: 80\n"
        "  - name: bot.components.safety_net.SafetyNetClassifier\n",
        encoding="utf-8",
    )

    assert eval_nlu.config_summary(config) == (
        "language=sv; SpacyTokenizer → DIETClassifier(epochs=80) → SafetyNetClassifier"
    )


def test_a_miss_caused_by_the_safety_net_is_shown(monkeypatch) -> None:
    monkeypatch.setattr(eval_nlu, "rules_predict", lambda text: False)
    examples = [{"text": "det brinner i trapphuset", "emergency": True}]
    downgraded = {"fired": False, "downgraded_past_event": True}
    predictions = [Prediction("det brinner i trapphuset", "", "describe_concern", "emergency", downgraded)]

    results = eval_nlu.emergency_results(predictions, examples)
    markdown = eval_nlu.render_emergency(results, predictions)

    assert results["nlu"]["recall"] == 1.0 and results["full"]["recall"] == 0.0
    assert (
        "| det brinner i trapphuset | describe_concern | emergency | no, but downgraded a past event | no |" in markdown
    )
    assert ": 0 and 1 of the misses below." in markdown


class _FakeAgent:
    """Answers like a model that knows every intent except `thanks` (it says `nlu_fallback` there)."""

    async def parse_message(self, text: str) -> dict:
        intent = "nlu_fallback" if text.startswith("tack") else _INTENT_BY_PREFIX[text.split()[0]]
        return {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "model_intent": {"name": intent, "confidence": 0.9},
            "safety_net": {"fired": False},
            "entities": [],
        }


_INTENT_BY_PREFIX = {"hej": "greet", "det": "describe_concern", "på": "describe_concern"}


def _fake_training(monkeypatch, tmp_path) -> list[int]:
    trained: list[int] = []

    def train_model(config, data, work_dir, name):
        trained.append(len(data.intent_examples))
        model = tmp_path / f"{name}.tar.gz"
        model.write_text("fake")
        return model

    monkeypatch.setattr(eval_nlu, "train_model", train_model)
    monkeypatch.setattr(eval_nlu, "load_agent", lambda model: _FakeAgent())
    return trained


def test_cross_validation_stage_pools_the_folds(monkeypatch, tmp_path, training_data: TrainingData) -> None:
    trained = _fake_training(monkeypatch, tmp_path)

    body, metrics = eval_nlu.run_cross_validation(tmp_path / "config.yml", training_data, {}, 5, 42, tmp_path)

    assert trained == [16, 16, 16, 16, 16]
    assert metrics["examples"] == 20
    assert metrics["fallbacks"] == 6
    assert metrics["per_intent"]["thanks"]["recall"] == 0.0
    assert metrics["per_intent"]["greet"]["f1"] == 1.0
    assert "| thanks → nlu_fallback | 6 |" in body
    assert "**FAIL**" in body
    assert not list(tmp_path.glob("fold*.tar.gz"))  # each fold's model is removed once used


def test_main_writes_the_report(monkeypatch, tmp_path) -> None:
    trained = _fake_training(monkeypatch, tmp_path)
    monkeypatch.setattr(eval_nlu, "run_heldout", lambda agent, intents, path: ("held-out body", {"macro_f1": 0.95}))
    result = {"recall": 1.0, "false_alarm_rate": 0.01, "true_positives": 30, "emergencies": 30, "false_alarms": 1,
              "non_emergencies": 100}
    monkeypatch.setattr(eval_nlu, "run_emergency", lambda agent, path: ("emergency body", {"full": result}))
    output = tmp_path / "nlu.md"
    monkeypatch.chdir(tmp_path)  # main() moves to the repository root; these undo what it changes
    for name in ("RASA_CACHE_DIRECTORY", "RASA_MAX_CACHE_SIZE", "LOG_LEVEL"):
        monkeypatch.setenv(name, "")

    assert eval_nlu.main(["--skip-cv", "--output", str(output)]) == 0

    report = output.read_text(encoding="utf-8")
    assert len(trained) == 1
    assert "## 1. Cross-validation" not in report
    for number, name in enumerate(("test_nlu.yml", "test_nlu_2.yml"), 1):
        assert f"## 2.{number} Held-out NLU test: {name}" in report and "held-out body" in report
        assert f"{name}: held-out intent macro-F1 0.950 (target ≥ 0.90): PASS" in report
    for number, name in enumerate(("emergency_heldout.yml", "emergency_heldout_2.yml", "emergency_heldout_3.yml",
                                      "emergency_heldout_4.yml", "emergency_heldout_5.yml",
                                      "emergency_heldout_6.yml", "emergency_heldout_7.yml",
                                      "emergency_heldout_8.yml"), 1):
        assert f"## 3.{number} Emergency detection: {name}" in report
        assert (
            f"{name}: emergency recall 100.0% (30/30, target 100%), false alarms 1.0% (1/100, target < 5%): PASS"
            in report
        )
    assert "- **wall time**: training + loading the full model" in report
