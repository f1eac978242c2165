"""The municipality's districts and named places, read from the configured areas file.

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


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


@lru_cache
def load_area_index(path: str) -> AreaIndex:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    pairs: list[tuple[str, str]] = []
    for district in data["districts"]:
        for name in [district["name"], *district.get("aliases", [])]:
            pairs.append((_normalise(name), district["code"]))
    for place in data["places"]:
        for name in [place["name"], *place.get("aliases", [])]:
            pairs.append((_normalise(name), place["district"]))
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return AreaIndex(names=tuple(pairs))
