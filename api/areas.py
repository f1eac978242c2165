"""Matching a resident's words for a place to a district (the areas live in the database: api/staff/areas.py).

A concern keeps the resident's own words for the place; `match_area` adds the district code when those words name
a known place or district (the longest matching name wins, so "Norrby centrum" beats "Norrby").
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class AreaIndex:
    names: tuple[tuple[str, str], ...]  # (normalised name, district code), longest name first

    def match(self, text: str | None) -> str | None:
        if not text:
            return None
        haystack = f" {_normalise(text)} "
        for name, code in self.names:
            if f" {name} " in haystack:
                return code
        return None

    @classmethod
    def from_names(cls, pairs: list[tuple[str, str]]) -> "AreaIndex":
        """From (name or alias, district code) pairs, in any order."""
        normalised = [(_normalise(name), code) for name, code in pairs]
        normalised.sort(key=lambda pair: len(pair[0]), reverse=True)
        return cls(names=tuple(normalised))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


@lru_cache
def load_area_index(path: str) -> AreaIndex:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    pairs: list[tuple[str, str]] = []
    for district in data["districts"]:
        pairs += [(name, district["code"]) for name in [district["name"], *district.get("aliases", [])]]
    for place in data["places"]:
        pairs += [(name, place["district"]) for name in [place["name"], *place.get("aliases", [])]]
    return AreaIndex.from_names(pairs)
