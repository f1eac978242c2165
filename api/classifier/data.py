"""Load the theme taxonomy and the hand-written theme training data.

The taxonomy lives in `api/seed_data/themes.json`; the examples in `nlu_data/themes/<code>.yml`,
one file per primary theme (format in `nlu_data/themes/README.md`). Every code used in the data
must exist in the taxonomy, so a typo fails loudly here instead of silently becoming a new label.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
THEMES_JSON = REPO_ROOT / "api" / "seed_data" / "themes.json"
THEME_DATA_DIR = REPO_ROOT / "nlu_data" / "themes"
# Examples written apart from the training data and never trained or tuned on (see the file's header).
HELDOUT_FILE = REPO_ROOT / "tests" / "api" / "themes_heldout.yml"
HELDOUT_FILE_2 = REPO_ROOT / "tests" / "api" / "themes_heldout_2.yml"  # written blind, from the taxonomy only

# Error messages (tests import these)
ERR_NOT_A_MAPPING = "{file}: expected a mapping with 'theme' and 'examples'"
ERR_THEME_MISMATCH = "{file}: 'theme' is {theme!r} but the file name says {expected!r}"
ERR_UNKNOWN_CODE = "{file}: unknown theme code {code!r} (not in themes.json)"
ERR_BAD_EXAMPLE = "{file}: example {index} needs a non-empty 'text' and a non-empty 'themes' list"
ERR_PRIMARY_MISSING = "{file}: example {index} does not include the file's theme {theme!r}"
ERR_DUPLICATE = "{file}: example {index} repeats the text {text!r}"
ERR_NO_FILES = "no theme files (*.yml) in {path}"
ERR_NOT_HELDOUT = "{file}: expected a mapping with 'examples'"
ERR_HELDOUT_IN_TRAINING = "{file}: example {index} is also in the training data: {text!r}"


class ThemeDataError(ValueError):
    """The theme taxonomy or a theme data file is malformed."""


class Theme(NamedTuple):
    """One entry of the taxonomy."""

    code: str
    label: str
    description: str
    active: bool


class Example(NamedTuple):
    """One training example: a resident's text and its set of theme codes."""

    text: str
    themes: frozenset[str]


def load_taxonomy(path: Path = THEMES_JSON) -> list[Theme]:
    """Return the themes in `themes.json`, in file order."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [
        Theme(
            code=item["code"],
            label=item["label"],
            description=item.get("description", ""),
            active=bool(item.get("active", True)),
        )
        for item in raw["themes"]
    ]


def load_theme_codes(path: Path = THEMES_JSON) -> list[str]:
    """Return every theme code (active or retired), in taxonomy order."""
    return [theme.code for theme in load_taxonomy(path)]


def normalise_text(text: str) -> str:
    """Collapse whitespace and case, used to find duplicate examples."""
    return " ".join(text.split()).casefold()


def load_theme_file(path: Path, codes: set[str]) -> list[Example]:
    """Parse and validate one `nlu_data/themes/<code>.yml` file."""
    name = path.name
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or "theme" not in raw or "examples" not in raw:
        raise ThemeDataError(ERR_NOT_A_MAPPING.format(file=name))
    theme = raw["theme"]
    if theme != path.stem:
        raise ThemeDataError(ERR_THEME_MISMATCH.format(file=name, theme=theme, expected=path.stem))
    if theme not in codes:
        raise ThemeDataError(ERR_UNKNOWN_CODE.format(file=name, code=theme))
    examples = _parse_examples(raw["examples"], name, codes)
    for index, example in enumerate(examples, start=1):
        if theme not in example.themes:
            raise ThemeDataError(ERR_PRIMARY_MISSING.format(file=name, index=index, theme=theme))
    return examples


def _parse_examples(items: Any, name: str, codes: set[str]) -> list[Example]:
    examples: list[Example] = []
    for index, item in enumerate(items or [], start=1):
        text = item.get("text") if isinstance(item, dict) else None
        themes = item.get("themes") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip() or not isinstance(themes, list) or not themes:
            raise ThemeDataError(ERR_BAD_EXAMPLE.format(file=name, index=index))
        for code in themes:
            if code not in codes:
                raise ThemeDataError(ERR_UNKNOWN_CODE.format(file=name, code=code))
        examples.append(Example(text=text.strip(), themes=frozenset(themes)))
    return examples


def load_heldout(
    path: Path = HELDOUT_FILE, training: list[Example] | None = None, themes_path: Path = THEMES_JSON
) -> list[Example]:
    """Load the held-out examples; refuse any that also occur in `training` (a leak would flatter the model)."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or "examples" not in raw:
        raise ThemeDataError(ERR_NOT_HELDOUT.format(file=path.name))
    examples = _parse_examples(raw["examples"], path.name, set(load_theme_codes(themes_path)))
    seen = {normalise_text(example.text) for example in training or []}
    for index, example in enumerate(examples, start=1):
        if normalise_text(example.text) in seen:
            raise ThemeDataError(ERR_HELDOUT_IN_TRAINING.format(file=path.name, index=index, text=example.text))
    return examples


def load_examples(data_dir: Path = THEME_DATA_DIR, themes_path: Path = THEMES_JSON) -> list[Example]:
    """Load every theme file in `data_dir`, sorted by file name, and check for duplicate texts."""
    codes = set(load_theme_codes(themes_path))
    files = sorted(data_dir.glob("*.yml"))
    if not files:
        raise ThemeDataError(ERR_NO_FILES.format(path=data_dir))
    examples: list[Example] = []
    seen: dict[str, str] = {}
    for path in files:
        for index, example in enumerate(load_theme_file(path, codes), start=1):
            key = normalise_text(example.text)
            if key in seen:
                raise ThemeDataError(ERR_DUPLICATE.format(file=path.name, index=index, text=example.text))
            seen[key] = path.name
            examples.append(example)
    return examples
