"""The theme taxonomy as the resident sees it: labels for the summary and the choices when they correct a theme.

The taxonomy lives in api/seed_data/themes.json (the API seeds its table from it); only active themes are offered.
Pure helpers with no Rasa imports.
"""

import json
from functools import lru_cache
from pathlib import Path

from actions.answers import fold

THEMES_FILE = Path(__file__).resolve().parents[1] / "api" / "seed_data" / "themes.json"
# Stored in concern_theme_choice when the resident says none of the themes fits: the concern keeps no theme
# of the resident's, and staff classify it.
NO_THEME = "inget"
# Words for "none of them", matched in the folded answer.
_NONE_WORDS = ("inget av", "ingen av", "inget", "ingen", "annat", "nagot annat", "none", "something else", "other")
# A few everyday words per theme beyond its label ("knark" for narkotika), matched at the start of a word.
_EXTRA_WORDS = {
    "narkotika": ("knark", "droger", "langning", "langare", "hasch", "drugs"),
    "alkohol": ("fylla", "fulla", "berusad", "sprit", "supa", "alcohol", "drunk"),
    "ordningsstorning": ("stok", "oljud", "brak", "fyrverkeri", "smallare", "noise"),
    "unga_kriminalitet": ("ungdom", "gang", "unga", "youth"),
    "vald_hot": ("vald", "hot", "ran", "misshandel", "kniv", "vapen", "violence", "robbery"),
    "sexuella_trakasserier": ("tafs", "trakasser", "ofredande", "harass"),
    "inbrott_stold": ("inbrott", "stold", "stjal", "sno", "burglary", "theft"),
    "skadegorelse": ("klotter", "skadegorelse", "krossa", "vandal", "graffiti"),
    "nedskrapning": ("skrap", "sopor", "nedskrap", "litter", "rubbish"),
    "fysisk_miljo": ("belysning", "lampor", "morkt", "buskar", "lighting", "dark"),
    "trafik": ("trafik", "bilar", "moped", "fortkor", "fart", "traffic", "speeding"),
    "bedrageri": ("bedrag", "lurad", "bluff", "fraud", "scam"),
    "polisnarvaro": ("polis", "police"),
    "ovrigt": ("ovrigt",),
}


@lru_cache
def active_themes() -> dict[str, str]:
    """Code → Swedish label of every active theme, in the taxonomy's order."""
    data = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    return {theme["code"]: theme["label"] for theme in data["themes"] if theme.get("active", True)}


def theme_from_text(text: str) -> str | None:
    """A theme code, NO_THEME for "inget av dem", or None when the answer names no theme."""
    themes = active_themes()
    if text in themes or text == NO_THEME:
        return text
    folded = f" {fold(text)} "
    if any(f" {word} " in folded or folded.startswith(f" {word}") for word in _NONE_WORDS):
        return NO_THEME
    best: tuple[int, str] | None = None
    for code, label in themes.items():
        words = (fold(label), fold(code.replace("_", " ")), *_EXTRA_WORDS.get(code, ()))
        for word in words:
            if f" {word}" in folded and (best is None or len(word) > best[0]):
                best = (len(word), code)
    return best[1] if best else None


def candidate_themes(scores: dict[str, float], limit: int) -> list[str]:
    """The active themes the classifier scored highest, best first (all active themes when it gave no scores)."""
    themes = active_themes()
    ranked = sorted((code for code in scores if code in themes), key=lambda code: -scores[code])
    return (ranked or list(themes))[:limit]
