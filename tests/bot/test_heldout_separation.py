"""The held-out files stay held out: no example of them is also a training example.

The reports call these files "never trained on"; a short phrase written twice by chance ("korrekt", "bakåt")
would quietly turn a held-out example into a training one and flatter the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[2]
HELDOUT_NLU_FILES = [ROOT / "tests" / "bot" / name for name in ("test_nlu.yml", "test_nlu_2.yml", "test_nlu_3.yml")]
EMERGENCY_FILES = sorted((ROOT / "tests" / "bot").glob("emergency_heldout*.yml"))


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture(scope="module")
def training_texts() -> set[str]:
    # The intent files; nlu_data/themes and nlu_data/safety hold other formats.
    files = sorted((ROOT / "nlu_data").glob("*.yml"))
    return {_normalised(example.get("text")) for path in files for example in load_data(str(path)).intent_examples}


def test_there_is_training_data_and_held_out_data(training_texts: set[str]) -> None:
    assert len(training_texts) > 2000
    assert [len(load_data(str(path)).intent_examples) > 250 for path in HELDOUT_NLU_FILES] == [True, True, True]
    assert len(EMERGENCY_FILES) >= 7


@pytest.mark.parametrize("path", HELDOUT_NLU_FILES, ids=lambda path: path.name)
def test_no_held_out_intent_example_is_a_training_example(path: Path, training_texts: set[str]) -> None:
    heldout = {_normalised(example.get("text")) for example in load_data(str(path)).intent_examples}
    assert sorted(heldout & training_texts) == []


@pytest.mark.parametrize("path", EMERGENCY_FILES, ids=lambda path: path.name)
def test_no_held_out_emergency_example_is_a_training_example(path: Path, training_texts: set[str]) -> None:
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    assert examples
    assert sorted({_normalised(example["text"]) for example in examples} & training_texts) == []
