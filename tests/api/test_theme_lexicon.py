"""The theme lexicon: its data, its word patterns, and what it adds to the classifier."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from api.classifier import ThemeClassifier, ThemeDataError, TrainConfig, train_and_save
from api.classifier.architectures import LEXICON_ATTR, doc_features
from api.classifier.data import Example, load_theme_codes
from api.classifier.lexicon import (
    ERR_BAD_PATTERN,
    ERR_UNKNOWN_THEME,
    LEXICON_FILE,
    Pattern,
    ThemeLexicon,
    load_lexicon,
)
from api.classifier.train import predict_scores, textcat_of, train_pipeline

LABELS = ["narkotika", "trafik", "fysisk_miljo"]
# "kanyler" and "epa-traktorer" occur in no training text below; only the lexicon knows them.
LEXICON = {"narkotika": ["sprut*", "kanyl*", "langa*"], "trafik": ["moped*", "epa*"], "fysisk_miljo": ["*lampa"]}
DATA = [
    Example("sprutor i sandlådan", frozenset({"narkotika"})),
    Example("de langar vid kiosken på kvällen", frozenset({"narkotika"})),
    Example("en spruta låg vid bänken", frozenset({"narkotika"})),
    Example("killar som langar på skolgården", frozenset({"narkotika"})),
    Example("mopeder på gångvägen hela tiden", frozenset({"trafik"})),
    Example("mopeden kör alldeles för fort förbi skolan", frozenset({"trafik"})),
    Example("de kör moped på cykelbanan", frozenset({"trafik"})),
    Example("gatlampa trasig vid busshållplatsen", frozenset({"fysisk_miljo"})),
    Example("en gatlampa har varit släckt i veckor", frozenset({"fysisk_miljo"})),
    Example("mörkt i parken, ingen ficklampa hjälper", frozenset({"fysisk_miljo"})),
]
CONFIG = TrainConfig(epochs=20, threshold=0.5)


def test_the_project_lexicon_loads_and_names_only_known_themes() -> None:
    lexicon = load_lexicon(LEXICON_FILE, load_theme_codes())
    assert set(lexicon) <= set(load_theme_codes())
    assert all(len(patterns) >= 10 for patterns in lexicon.values())


@pytest.mark.parametrize(
    ("raw", "word", "expected"),
    [
        ("knark*", "knarkare", True),
        ("knark*", "storknarkare", False),
        ("*knark*", "storknarkare", True),
        ("*stöld", "cykelstöld", True),
        ("*stöld", "stölder", False),
        ("fart", "farten", False),
        ("fart", "fart", True),
    ],
)
def test_patterns_match_whole_words_prefixes_suffixes_and_infixes(raw: str, word: str, expected: bool) -> None:
    assert Pattern.parse(raw).matches(word) is expected


def test_a_word_without_swedish_letters_matches_the_folded_pattern_but_not_the_other_way() -> None:
    lexicon = ThemeLexicon({"narkotika": ["langa"], "inbrott_stold": ["*stöld"]})
    assert lexicon.themes_of(["cykelstold"]) == {"inbrott_stold"}
    assert lexicon.themes_of(["Cykelstöld"]) == {"inbrott_stold"}
    assert lexicon.themes_of(["langa"]) == {"narkotika"}
    assert lexicon.themes_of(["långa"]) == set()  # "long", not "to deal"


def test_a_word_and_its_lemma_are_both_looked_up() -> None:
    lexicon = ThemeLexicon({"vald_hot": ["hota"], "trafik": ["moped*"]})
    assert lexicon.themes_of(["hotade", "hota"]) == {"vald_hot"}
    assert lexicon.themes_of(["Mopeder", "moped"]) == {"trafik"}


@pytest.mark.parametrize("bad", ["kn*rk", "*", "  "])
def test_a_malformed_pattern_is_refused_with_the_file_and_theme(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "words.yml"
    path.write_text(f'narkotika:\n  - "{bad}"\n', encoding="utf-8")
    with pytest.raises(ThemeDataError) as error:
        load_lexicon(path, LABELS)
    assert str(error.value) == ERR_BAD_PATTERN.format(file="words.yml", pattern=bad, code="narkotika")


def test_an_unknown_theme_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "words.yml"
    path.write_text("knark:\n  - knark*\n", encoding="utf-8")
    with pytest.raises(ThemeDataError) as error:
        load_lexicon(path, LABELS)
    assert str(error.value) == ERR_UNKNOWN_THEME.format(file="words.yml", code="knark")


def test_lexicon_features_name_the_matched_themes() -> None:
    nlp = train_pipeline(DATA, LABELS, replace(CONFIG, epochs=1), lexicon=LEXICON)
    doc = nlp("hittade kanyler och en trasig gatlampa")
    features = doc_features(doc, 2, 3, 5, lexicon=ThemeLexicon(LEXICON))
    assert {f for f in features if f.startswith("x:")} == {"x:narkotika", "x:fysisk_miljo"}


def test_the_lexicon_carries_a_theme_to_a_word_no_example_used() -> None:
    texts = ["hittade kanyler vid gungorna", "epa-traktorer överallt i centrum"]
    # Ten examples give the lexicon block little to learn from; a higher weight shows its effect.
    config = replace(CONFIG, lexicon_weight=1.0)
    with_lexicon = predict_scores(train_pipeline(DATA, LABELS, config, lexicon=LEXICON), texts, LABELS)
    without = predict_scores(train_pipeline(DATA, LABELS, replace(config, lexicon_weight=0.0)), texts, LABELS)
    narkotika, trafik = LABELS.index("narkotika"), LABELS.index("trafik")
    assert with_lexicon[0].argmax() == narkotika
    assert with_lexicon[1].argmax() == trafik
    assert without[1].argmax() != trafik
    assert with_lexicon[0, narkotika] > without[0, narkotika] + 0.05
    assert with_lexicon[1, trafik] > without[1, trafik] + 0.05


def test_a_saved_model_keeps_its_lexicon_and_scores_the_same(tmp_path: Path) -> None:
    train_and_save(DATA, LABELS, tmp_path, CONFIG)
    ThemeClassifier.clear_cache()
    loaded = ThemeClassifier.from_disk(tmp_path)
    layers = [node for node in textcat_of(loaded.nlp).model.walk() if LEXICON_ATTR in node.attrs]
    assert layers and layers[0].attrs[LEXICON_ATTR] == load_lexicon(LEXICON_FILE, load_theme_codes())
    trained = train_pipeline(DATA, LABELS, CONFIG)
    texts = ["kanyler i sandlådan", "mopeder på trottoaren"]
    assert predict_scores(loaded.nlp, texts, LABELS) == pytest.approx(predict_scores(trained, texts, LABELS), abs=1e-5)
