"""The theme lexicon: hand-written words that signal a theme (`nlu_data/themes/lexicon/`).

The classifier sees a lexicon match as one more feature per theme, so a word no training example
used still counts for its theme. Patterns are whole words, prefixes (`knark*`), suffixes
(`*stöld`) or infixes (`*knark*`), compared with the lower-cased word and its lemma. A word
written without å/ä/ö is also compared with the folded pattern ("stold" matches `*stöld`); a word
written with them only with the pattern as written, so "långa" does not match `langa`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from api.classifier.data import THEME_DATA_DIR, ThemeDataError

LEXICON_FILE = THEME_DATA_DIR / "lexicon" / "theme_words.yml"
ERR_LEXICON = "{file}: expected a mapping of theme code to a list of word patterns"
ERR_UNKNOWN_THEME = "{file}: unknown theme code {code!r}"
ERR_BAD_PATTERN = "{file}: pattern {pattern!r} of {code!r} is empty or has '*' inside the word"

# Residents often write without å/ä/ö; fold them so both spellings share features.
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def fold(text: str) -> str:
    """Lower-case and fold Swedish letters to ASCII look-alikes (å, ä → a; ö → o)."""
    return text.lower().translate(_FOLD)


@dataclass(frozen=True)
class Pattern:
    """One word pattern: `text` with whether it may have more letters before and after it."""

    text: str
    open_start: bool
    open_end: bool

    @classmethod
    def parse(cls, raw: str) -> Pattern:
        """`*ord*` → Pattern("ord", True, True); raises ValueError for `o*d` or `*`."""
        text = raw.strip().lower()
        core = text.strip("*")
        if not core or "*" in core:
            raise ValueError(raw)
        return cls(core, text.startswith("*"), text.endswith("*"))

    def matches(self, word: str) -> bool:
        """Whether the lower-cased `word` fits this pattern."""
        if self.open_start and self.open_end:
            return self.text in word
        if self.open_start:
            return word.endswith(self.text)
        if self.open_end:
            return word.startswith(self.text)
        return word == self.text


class ThemeLexicon:
    """Theme codes whose lexicon patterns match a word."""

    def __init__(self, patterns: Mapping[str, Sequence[str]]) -> None:
        self.patterns = {code: list(raw) for code, raw in patterns.items()}
        # Identifies the patterns (for caches of features computed with them).
        self.key = hashlib.sha256(json.dumps(self.patterns, sort_keys=True).encode("utf-8")).hexdigest()[:16]
        self._cache: dict[str, frozenset[str]] = {}
        self._compiled = [
            (code, Pattern.parse(raw), Pattern.parse(fold(raw))) for code, items in patterns.items() for raw in items
        ]

    def themes_of(self, words: Iterable[str]) -> set[str]:
        """Codes matched by any of `words` (a word and its lemma, say)."""
        found: set[str] = set()
        for word in words:
            lowered = word.lower()
            cached = self._cache.get(lowered)
            if cached is None:
                cached = self._cache[lowered] = self._match(lowered)
            found |= cached
        return found

    def _match(self, lowered: str) -> frozenset[str]:
        # Words repeat across texts, so each distinct word is matched once (the cache is small:
        # one entry per distinct word seen by this process's model).
        folded = lowered if lowered == fold(lowered) else None
        return frozenset(
            code
            for code, pattern, folded_pattern in self._compiled
            if pattern.matches(lowered) or (folded is not None and folded_pattern.matches(folded))
        )


def load_lexicon(path: Path = LEXICON_FILE, codes: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Read the lexicon file; with `codes`, refuse theme codes outside them."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise ThemeDataError(ERR_LEXICON.format(file=path.name))
    known = set(codes) if codes is not None else None
    lexicon: dict[str, list[str]] = {}
    for code, items in raw.items():
        if known is not None and code not in known:
            raise ThemeDataError(ERR_UNKNOWN_THEME.format(file=path.name, code=code))
        for item in items:
            try:
                Pattern.parse(str(item))
            except ValueError:
                raise ThemeDataError(ERR_BAD_PATTERN.format(file=path.name, pattern=item, code=code)) from None
        lexicon[str(code)] = [str(item) for item in items]
    return lexicon


def lexicon_from_patterns(patterns: Mapping[str, Sequence[str]]) -> ThemeLexicon:
    """A `ThemeLexicon` for `patterns`, shared by every caller with the same patterns.

    A loaded model keeps its patterns as plain data; this compiles them once per process (and so
    keeps one word cache), not once per batch.
    """
    return _compiled(json.dumps({code: list(items) for code, items in patterns.items()}, sort_keys=True))


@lru_cache(maxsize=8)
def _compiled(patterns_json: str) -> ThemeLexicon:
    return ThemeLexicon(json.loads(patterns_json))
