"""Deterministic safety net: is a message an emergency, a crisis, a child or partner in danger, a report?

The NLU model (DIET) and these rules run side by side; the bot triages a message if EITHER says so,
so a missed emergency needs both to fail. The patterns are data, kept by hand in
``nlu_data/safety/patterns.yml``; that file's header explains how they are written and read.

The only judgement made here is about time. A danger phrase ("blev rånad", "slåss", "brinner i")
is an emergency unless the message says it happened before or keeps happening ("förra veckan",
"brukar", "varje helg") and nothing says it is happening now ("just nu", "pågår", "nu" in the same
clause). Crisis, child_in_need, domestic_violence and report_crime fire regardless of tense.

Pure Python (stdlib + PyYAML), no Rasa imports, so it runs in the API and the Rasa environments alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATTERNS_FILE = Path(__file__).resolve().parents[2] / "nlu_data" / "safety" / "patterns.yml"

EMERGENCY = "emergency"
# Support categories win over an emergency that has no explicit "now" ("min sambo slår mig").
SUPPORT_CATEGORIES = frozenset({"crisis", "child_in_need", "domestic_violence"})
CATEGORIES = (EMERGENCY, "crisis", "child_in_need", "domestic_violence", "report_crime")

# Emergency tiers, in the order they are tried. Other categories only have "always".
ALWAYS, DANGER, WITH_NOW = "always", "danger", "with_now"
EMERGENCY_TIERS = (ALWAYS, DANGER, WITH_NOW)
TENSE_KEYS = ("now_anywhere", "now_in_clause", "past_or_recurring", "hypothetical")
OPTIONAL_TENSE_KEYS = ("no_event",)

# Tense verdicts carried by a SafetyMatch
NOW = "now"  # an explicit now marker was found
UNMARKED = "unmarked"  # an emergency phrase with no time marker at all
ANY_TENSE = "any"  # categories that fire regardless of tense

_FOLD = str.maketrans("åäöéèáüÅÄÖÉ", "aaoeeauAAOE")
# "hjäääälp" -> "hjälp", "snällllla" -> "snälla": vowels to one, consonants to two
_REPEATED_VOWEL = re.compile(r"([aeiouyåäöéü])\1{2,}")
_REPEATED_CONSONANT = re.compile(r"([^\W\d_aeiouyåäöéü])\1{2,}")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_CLAUSE_BREAK = re.compile(r"[.!?;,\n]+| men | fast | but ")
_PLACEHOLDER = re.compile(r"<([a-z_]+)>")


def normalise(text: str) -> str:
    """NFC, lower case, no invisible characters, no stretched letters ("hjäääälp"), single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = _INVISIBLE.sub("", text).lower()
    text = _REPEATED_VOWEL.sub(r"\1", text)
    text = _REPEATED_CONSONANT.sub(r"\1\1", text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """The same text with å/ä -> a and ö -> o (length is kept, so match positions line up)."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class SafetyMatch:
    """Why the rules put a message in a safety category."""

    category: str
    rule: str  # "<category>.<tier>.<group>", e.g. "emergency.danger.violence_now"
    pattern: str  # the pattern as written in the data file
    matched: str  # the words of the message that matched
    tense: str  # NOW, UNMARKED, ALWAYS (emergency.always without time marker) or ANY_TENSE
    also: tuple[str, ...] = ()  # other categories that fired too, in priority order

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, for message metadata and logs."""
        data = asdict(self)
        data["also"] = list(self.also)
        return data


@dataclass(frozen=True)
class _Text:
    """A message prepared for matching: normalised, folded, and split into clauses."""

    norm: str
    folded: str
    clause_spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> _Text:
        norm = normalise(text)
        spans, start = [], 0
        for brk in _CLAUSE_BREAK.finditer(norm):
            spans.append((start, brk.start()))
            start = brk.end()
        spans.append((start, len(norm)))
        return cls(norm, fold(norm), tuple(spans))

    def clause_at(self, pos: int) -> _Text:
        """The clause holding position ``pos``, as its own _Text."""
        for start, end in self.clause_spans:
            if start <= pos <= end:
                return _Text(self.norm[start:end], self.folded[start:end], ((0, end - start),))
        return self


class _Pattern:
    """One pattern, compiled for the normalised text and for the folded text."""

    def __init__(self, source: str, vocab: dict[str, str]) -> None:
        self.source = source
        expanded = _expand(source, vocab)
        wrapped = rf"(?<!\w)(?:{expanded})(?!\w)"
        try:
            self._plain = re.compile(wrapped)
            self._folded = re.compile(fold(wrapped))
        except re.error as exc:
            raise ValueError(f"Bad safety pattern {source!r}: {exc}") from exc

    def finditer(self, text: _Text) -> Iterator[re.Match[str]]:
        """Matches in the text as written, then in the folded text (duplicates are harmless)."""
        yield from self._plain.finditer(text.norm)
        yield from self._folded.finditer(text.folded)

    def found_in(self, text: _Text) -> bool:
        return bool(self._plain.search(text.norm) or self._folded.search(text.folded))


@dataclass(frozen=True)
class _Rule:
    category: str
    tier: str
    group: str
    pattern: _Pattern

    @property
    def rule_id(self) -> str:
        return f"{self.category}.{self.tier}.{self.group}"

    def to_match(self, found: re.Match[str], text: _Text, tense: str) -> SafetyMatch:
        matched = text.norm[found.start() : found.end()]
        return SafetyMatch(self.category, self.rule_id, self.pattern.source, matched, tense)


def _expand(source: str, vocab: dict[str, str]) -> str:
    def replace(placeholder: re.Match[str]) -> str:
        name = placeholder.group(1)
        if name not in vocab:
            raise ValueError(f"Unknown <{name}> in safety pattern {source!r}")
        return f"(?:{vocab[name]})"

    return _PLACEHOLDER.sub(replace, source)


class SafetyRules:
    """The compiled patterns file; ``classify`` is the one method most callers need."""

    def __init__(self, data: dict[str, Any]) -> None:
        vocab = {name: str(words) for name, words in (data.get("vocab") or {}).items()}
        tense = data.get("tense") or {}
        missing = [key for key in TENSE_KEYS if key not in tense]
        if missing:
            raise ValueError(f"Safety patterns file lacks tense lists: {missing}")
        self.markers = {
            key: [_Pattern(p, vocab) for p in tense.get(key) or []] for key in (*TENSE_KEYS, *OPTIONAL_TENSE_KEYS)
        }

        self.priority: list[str] = list(data.get("priority") or CATEGORIES)
        unknown = set(self.priority) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"Unknown safety categories in priority: {sorted(unknown)}")
        self.rules: dict[str, list[_Rule]] = {category: [] for category in self.priority}
        for category, tiers in (data.get("categories") or {}).items():
            if category not in self.rules:
                raise ValueError(f"Safety category {category!r} is not listed in priority")
            allowed = EMERGENCY_TIERS if category == EMERGENCY else (ALWAYS,)
            for tier in allowed:  # tier order matters for emergency
                for group, patterns in ((tiers or {}).get(tier) or {}).items():
                    compiled = [_Pattern(source, vocab) for source in patterns]
                    self.rules[category] += [_Rule(category, tier, group, pattern) for pattern in compiled]
            extra = set(tiers or {}) - set(allowed)
            if extra:
                raise ValueError(f"Safety category {category!r} has unknown tiers {sorted(extra)}")

    @classmethod
    def from_file(cls, path: str | Path = DEFAULT_PATTERNS_FILE) -> SafetyRules:
        """Load and compile a patterns file."""
        with open(path, encoding="utf-8") as handle:
            return cls(yaml.safe_load(handle))

    def classify(self, text: str) -> SafetyMatch | None:
        """The safety category of a message, or None when the rules see no safety issue."""
        found = self.matches(text)
        if not found:
            return None
        first, *rest = found
        return replace(first, also=tuple(match.category for match in rest))

    def tells_of_the_past(self, text: str) -> bool:
        """True when the message is clearly about something past or recurring and nothing marks it as happening
        now ("förra veckan blev grannen rånad", "det brinner ofta i soptunnorna")."""
        prepared = _Text.of(text)
        if self._has("now_anywhere", prepared) or self._has("now_in_clause", prepared):
            return False
        return self._has("past_or_recurring", prepared)

    def tells_of_no_event(self, text: str) -> bool:
        """True when the message asks what to do in general or uses a danger word figuratively ("vilket nummer
        ska man ringa om det inte är akut", "brinner ni för det här") and nothing marks a danger now."""
        prepared = _Text.of(text)
        return not self._has("now_anywhere", prepared) and self._has("no_event", prepared)

    def matches(self, text: str) -> list[SafetyMatch]:
        """Every category that fires (one match each), best first."""
        prepared = _Text.of(text)
        found: dict[str, SafetyMatch] = {}
        for category in self.priority:
            match = self._emergency(prepared) if category == EMERGENCY else self._first(category, prepared)
            if match:
                found[category] = match
        ordered = [found[category] for category in self.priority if category in found]
        emergency = found.get(EMERGENCY)
        if emergency and emergency.tense == UNMARKED and SUPPORT_CATEGORIES & found.keys():
            support = [match for match in ordered if match.category in SUPPORT_CATEGORIES]
            rest = [match for match in ordered if match not in support and match is not emergency]
            ordered = support + [emergency] + rest
        return ordered

    # -- internals -------------------------------------------------------------------------------

    def _first(self, category: str, text: _Text) -> SafetyMatch | None:
        for rule in self.rules[category]:
            for found in rule.pattern.finditer(text):
                return rule.to_match(found, text, ANY_TENSE)
        return None

    def _emergency(self, text: _Text) -> SafetyMatch | None:
        """The strongest emergency match: a now marker or an `always` phrase beats an unmarked phrase."""
        unmarked: SafetyMatch | None = None
        for rule in self.rules.get(EMERGENCY, []):
            for found in rule.pattern.finditer(text):
                tense = self._tense(text, found.start(), rule.tier)
                if tense is None:
                    continue
                if tense != UNMARKED:
                    return rule.to_match(found, text, tense)
                unmarked = unmarked or rule.to_match(found, text, tense)
        return unmarked

    def _tense(self, text: _Text, pos: int, tier: str) -> str | None:
        """NOW, ALWAYS or UNMARKED if the phrase at ``pos`` counts as an emergency, None if it does not."""
        clause = text.clause_at(pos)
        if self._has("now_anywhere", text) or self._has("now_in_clause", clause):
            return NOW
        if tier == WITH_NOW or self._has("hypothetical", clause):
            return None
        if self._has("past_or_recurring", clause if tier == ALWAYS else text):
            return None
        return ALWAYS if tier == ALWAYS else UNMARKED

    def _has(self, marker_kind: str, text: _Text) -> bool:
        return any(marker.found_in(text) for marker in self.markers[marker_kind])


@lru_cache(maxsize=8)
def load_rules(path: str | Path = DEFAULT_PATTERNS_FILE) -> SafetyRules:
    """Compiled rules for a patterns file, cached per path."""
    return SafetyRules.from_file(path)


def classify(text: str, rules: SafetyRules | None = None) -> SafetyMatch | None:
    """Classify one message with the given rules, or with the project's patterns file."""
    return (rules or load_rules()).classify(text)


def classify_many(texts: Iterable[str], rules: SafetyRules | None = None) -> list[SafetyMatch | None]:
    """Classify several messages with the same rules."""
    rules = rules or load_rules()
    return [rules.classify(text) for text in texts]
