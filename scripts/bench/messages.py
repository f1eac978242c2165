"""1,000 varied resident messages for the NLU latency bench: the NLU and theme examples plus the held-out tests.

Entity annotations (`[Stationsgatan](place)`, `[kväll]{"entity": ...}`) are turned back into plain text; the
sample is fixed by a seed so every run parses the same messages.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

from scripts.bench.procs import ROOT

SOURCES = ("nlu_data/*.yml", "nlu_data/themes/*.yml", "tests/bot/test_nlu.yml")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _examples(path: Path) -> list[str]:
    """Intent examples (Rasa NLU format) or theme examples (`examples: [{text: ...}]`) of one file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = [str(item["text"]) for item in data.get("examples") or [] if isinstance(item, dict) and "text" in item]
    for block in data.get("nlu") or []:
        if isinstance(block, dict) and "intent" in block:
            texts += [ANNOTATION.sub(r"\1", line.strip()[2:]) for line in str(block.get("examples", "")).splitlines()
                      if line.strip().startswith("- ")]
    return [text.strip() for text in texts if text.strip()]


def sample_messages(count: int = 1000, seed: int = 9) -> list[str]:
    """`count` distinct messages (fewer only if the data has fewer), in a fixed random order."""
    texts: set[str] = set()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            texts.update(_examples(path))
    ordered = sorted(texts)
    random.Random(seed).shuffle(ordered)
    return ordered[:count]
