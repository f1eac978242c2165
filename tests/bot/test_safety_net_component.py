"""Tests for the SafetyNetClassifier Rasa component (runs under the Rasa 3.6 venv only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.components.safety_net import (  # noqa: E402
    SAFETY_NET_KEY,
    SafetyNetClassifier,
    resolve_patterns_file,
)
from bot.components.safety_rules import DEFAULT_PATTERNS_FILE  # noqa: E402


def _component(tmp_path: Path, **config: Any) -> SafetyNetClassifier:
    return SafetyNetClassifier.create(
        {**SafetyNetClassifier.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("safety_net"),
        ExecutionContext(GraphSchema({}), "test"),
    )


@pytest.fixture
def safety_net(tmp_path: Path) -> SafetyNetClassifier:
    return _component(tmp_path)


def _diet_message(text: str, ranking: list[tuple[str, float]]) -> Message:
    """A message as DIETClassifier (and FallbackClassifier) would leave it."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: text})
    message.set(INTENT, dict(intents[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, intents, add_to_output=True)
    return message


def test_rules_override_the_model_and_keep_its_ranking(safety_net: SafetyNetClassifier) -> None:
    message = _diet_message(
        "någon slår ner en kille utanför Gallerian Kronan just nu",
        [("describe_concern", 0.81), ("emergency", 0.12), ("inform", 0.07)],
    )

    [processed] = safety_net.process([message])

    assert processed.get(INTENT) == {"name": "emergency", "confidence": 1.0}
    assert processed.get(INTENT_RANKING_KEY) == [
        {"name": "emergency", "confidence": 1.0},
        {"name": "describe_concern", "confidence": 0.81},
        {"name": "inform", "confidence": 0.07},
    ]
    info = processed.get(SAFETY_NET_KEY)
    assert info["fired"] is True
    assert info["overrode_model"] is True
    assert info["category"] == "emergency"
    assert info["rule"] == "emergency.danger.violence_now"
    assert info["tense"] == "now"


def test_override_replaces_the_fallback_intent(safety_net: SafetyNetClassifier) -> None:
    message = _diet_message(
        "min sambo slår mig",
        [("nlu_fallback", 0.3), ("describe_concern", 0.28), ("domestic_violence", 0.22)],
    )

    [processed] = safety_net.process([message])

    assert processed.get(INTENT)["name"] == "domestic_violence"
    assert [entry["name"] for entry in processed.get(INTENT_RANKING_KEY)] == [
        "domestic_violence",
        "nlu_fallback",
        "describe_concern",
    ]
    assert processed.get(SAFETY_NET_KEY)["also"] == ["emergency"]


@pytest.mark.parametrize(
    ("text", "predicted"),
    [
        ("förra veckan blev grannen rånad vid Stationsgatan", "describe_concern"),
        ("det langas knark i trappuppgången varje kväll", "describe_concern"),
        ("vid busstorget", "inform"),
        # The model alone may still say emergency: the rules must not take that away.
        ("kom igen det är kris vid Kajen", "emergency"),
    ],
)
def test_no_match_leaves_the_prediction(safety_net: SafetyNetClassifier, text: str, predicted: str) -> None:
    ranking = [(predicted, 0.74), ("out_of_scope", 0.2)]
    message = _diet_message(text, ranking)

    [processed] = safety_net.process([message])

    assert processed.get(INTENT) == {"name": predicted, "confidence": 0.74}
    assert processed.get(INTENT_RANKING_KEY) == [
        {"name": predicted, "confidence": 0.74},
        {"name": "out_of_scope", "confidence": 0.2},
    ]
    assert processed.get(SAFETY_NET_KEY) == {"fired": False}


def test_model_emergency_is_not_downgraded_by_a_weaker_rule(safety_net: SafetyNetClassifier) -> None:
    message = _diet_message("jag vill anmäla ett brott, han står och väntar på mig", [("emergency", 0.66)])

    [processed] = safety_net.process([message])

    assert processed.get(INTENT) == {"name": "emergency", "confidence": 0.66}
    info = processed.get(SAFETY_NET_KEY)
    assert (info["fired"], info["overrode_model"], info["category"]) == (True, False, "report_crime")


def test_model_emergency_about_a_recurring_situation_yields_to_the_rules_support_line(
    safety_net: SafetyNetClassifier,
) -> None:
    text = "grannens ungar lämnas ensamma hemma varje helg, de är bara fyra och sex"
    message = _diet_message(text, [("emergency", 0.7)])

    [processed] = safety_net.process([message])

    assert processed.get(INTENT)["name"] == "child_in_need"
    assert processed.get(SAFETY_NET_KEY)["overrode_model"] is True


def test_rules_upgrade_a_weaker_model_safety_intent(safety_net: SafetyNetClassifier) -> None:
    message = _diet_message("jag vill anmäla att det brinner i trappan", [("report_crime", 0.9)])

    [processed] = safety_net.process([message])

    assert processed.get(INTENT)["name"] == "emergency"


def test_safety_net_data_reaches_the_parse_output(safety_net: SafetyNetClassifier) -> None:
    message = _diet_message("hjälp!!", [("greet", 0.5)])

    [processed] = safety_net.process([message])

    output = processed.as_dict(only_output_properties=True)
    assert output[INTENT]["name"] == "emergency"
    assert output[SAFETY_NET_KEY]["rule"] == "emergency.always.cry_for_help"


@pytest.mark.parametrize("text", ["/emergency", '/inform{"place": "Kajen"}', ""])
def test_payloads_and_empty_text_are_skipped(safety_net: SafetyNetClassifier, text: str) -> None:
    message = _diet_message(text, [("inform", 1.0)])

    [processed] = safety_net.process([message])

    assert processed.get(INTENT)["name"] == "inform"
    assert processed.get(SAFETY_NET_KEY) is None


def test_message_without_a_model_prediction(safety_net: SafetyNetClassifier) -> None:
    [processed] = safety_net.process([Message(data={TEXT: "jag orkar inte leva längre"})])

    assert processed.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert processed.get(INTENT_RANKING_KEY) == [{"name": "crisis", "confidence": 1.0}]


def test_several_messages(safety_net: SafetyNetClassifier) -> None:
    messages = [
        _diet_message("jag är 13 och pappa slår mig", [("describe_concern", 0.6)]),
        _diet_message("tack så mycket", [("thanks", 0.97)]),
    ]

    processed = safety_net.process(messages)

    assert [m.get(INTENT)["name"] for m in processed] == ["child_in_need", "thanks"]


def test_patterns_file_option(tmp_path: Path) -> None:
    patterns = tmp_path / "own.yml"
    patterns.write_text(
        "tense:\n  now_anywhere: []\n  now_in_clause: []\n  past_or_recurring: []\n  hypothetical: []\n"
        "categories:\n  report_crime:\n    always:\n      test: ['pelikan']\n",
        encoding="utf-8",
    )
    component = _component(tmp_path, patterns_file=str(patterns))

    [processed] = component.process([_diet_message("en pelikan", [("chitchat", 0.9)])])

    assert processed.get(INTENT)["name"] == "report_crime"


def test_default_patterns_file_is_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_patterns_file("nlu_data/safety/patterns.yml") == DEFAULT_PATTERNS_FILE


@pytest.mark.parametrize(
    "text",
    [
        "i somras brann det i en bil på Infartsparkeringen",
        "förra året blev en kille knivhuggen vid Kajen",
        "det brukar bli slagsmål utanför krogen på helgerna",
    ],
)
def test_model_emergency_about_the_past_becomes_a_concern(safety_net: SafetyNetClassifier, text: str) -> None:
    [processed] = safety_net.process([_diet_message(text, [("emergency", 0.8), ("describe_concern", 0.15)])])

    assert processed.get(INTENT)["name"] == "describe_concern"
    assert processed.get(SAFETY_NET_KEY) == {"fired": False, "downgraded_past_event": True}


@pytest.mark.parametrize(
    ("text", "ranking", "intent"),
    [
        ("vad gör man om det börjar ryka ur en elbil", [("emergency", 0.7), ("ask_what_next", 0.2)], "ask_what_next"),
        ("vilket nummer ringer jag om det inte är akut", [("emergency", 0.6), ("crisis", 0.2), ("ask_human", 0.1)],
         "ask_human"),
        ("brinner ni för det här eller", [("emergency", 0.9)], "out_of_scope"),
    ],
)
def test_model_emergency_in_a_general_question_or_figure_of_speech_is_dropped(
    safety_net: SafetyNetClassifier, text: str, ranking: list[tuple[str, float]], intent: str
) -> None:
    [processed] = safety_net.process([_diet_message(text, ranking)])

    assert processed.get(INTENT)["name"] == intent
    assert processed.get(SAFETY_NET_KEY) == {"fired": False, "downgraded_no_event": True}


@pytest.mark.parametrize(
    "text",
    [
        "förra veckan slog de honom och nu står de utanför igen",
        "kom igen det är kris vid Kajen",
        "vad ska jag göra, han står utanför med en kniv just nu",  # a question, but a danger now
    ],
)
def test_model_emergency_happening_now_stays(safety_net: SafetyNetClassifier, text: str) -> None:
    [processed] = safety_net.process([_diet_message(text, [("emergency", 0.8), ("describe_concern", 0.15)])])

    assert processed.get(INTENT)["name"] == "emergency"
