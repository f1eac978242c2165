"""Tests for the theme classifier package (api/classifier) and the theme training data."""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy
import pytest
import spacy

from api.classifier import ThemeClassifier, ThemeDataError, ThemePrediction, TrainConfig, train_and_save
from api.classifier.data import (
    ERR_DUPLICATE,
    ERR_HELDOUT_IN_TRAINING,
    ERR_PRIMARY_MISSING,
    ERR_THEME_MISMATCH,
    ERR_UNKNOWN_CODE,
    HELDOUT_FILE,
    HELDOUT_FILE_2,
    THEME_DATA_DIR,
    THEMES_JSON,
    Example,
    load_examples,
    load_heldout,
    load_taxonomy,
    load_theme_codes,
    load_theme_file,
)
from api.classifier.model import ERR_NOT_A_THEME_MODEL, MAX_EXPLAINED_WORDS
from api.classifier.train import (
    choose_thresholds,
    decide,
    model_version,
    predict_scores,
    train_pipeline,
)

LABELS = ["narkotika", "trafik", "fysisk_miljo"]

TINY_DATA = [
    Example("det luktar gräs i trappuppgången", frozenset({"narkotika"})),
    Example("killar som langar vid kiosken på kvällen", frozenset({"narkotika"})),
    Example("sprutor i sandlådan", frozenset({"narkotika"})),
    Example("folk röker på i tunneln där det är kolsvart", frozenset({"narkotika", "fysisk_miljo"})),
    Example("bilar kör alldeles för fort förbi skolan", frozenset({"trafik"})),
    Example("mopeder på gångvägen hela tiden", frozenset({"trafik"})),
    Example("elsparkcyklar som susar fram på trottoaren", frozenset({"trafik"})),
    Example("farligt övergångsställe utan ljus, bilarna ser en inte", frozenset({"trafik", "fysisk_miljo"})),
    Example("gatlampan vid busshållplatsen är trasig", frozenset({"fysisk_miljo"})),
    Example("igenvuxna buskar längs cykelvägen", frozenset({"fysisk_miljo"})),
    Example("mörk gångtunnel utan belysning", frozenset({"fysisk_miljo"})),
    Example("ingen belysning i parken på kvällen", frozenset({"fysisk_miljo"})),
]
TINY_CONFIG = TrainConfig(epochs=15, threshold=0.5)


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("theme_model")
    train_and_save(TINY_DATA, LABELS, path, TINY_CONFIG)
    return path


@pytest.fixture(scope="module")
def classifier(tiny_model_dir: Path) -> ThemeClassifier:
    ThemeClassifier.clear_cache()
    return ThemeClassifier.load(tiny_model_dir)


# The real data and taxonomy


def test_taxonomy_codes_are_unique_and_labelled() -> None:
    themes = load_taxonomy()
    codes = [theme.code for theme in themes]
    assert len(codes) == len(set(codes))
    assert all(theme.label and theme.description for theme in themes)
    assert "ovrigt" in codes


def test_every_theme_file_parses_and_uses_known_codes() -> None:
    codes = set(load_theme_codes())
    files = sorted(THEME_DATA_DIR.glob("*.yml"))
    assert files
    for path in files:
        assert path.stem in codes, f"{path.name} is not named after a theme code"
        examples = load_theme_file(path, codes)
        assert examples, f"{path.name} has no examples"
        for example in examples:
            assert example.themes <= codes
            assert path.stem in example.themes


def test_all_theme_files_load_together_without_duplicates() -> None:
    examples = load_examples()
    assert len({" ".join(example.text.split()).casefold() for example in examples}) == len(examples)


# Validation of theme files


def _write_theme_file(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_unknown_code_is_rejected(tmp_path: Path) -> None:
    _write_theme_file(
        tmp_path, "trafik", 'theme: trafik\nexamples:\n  - text: "bilar kör fort"\n    themes: [trafik, trafiken]\n'
    )
    with pytest.raises(ThemeDataError) as error:
        load_examples(tmp_path, THEMES_JSON)
    assert str(error.value) == ERR_UNKNOWN_CODE.format(file="trafik.yml", code="trafiken")


def test_file_name_must_match_theme(tmp_path: Path) -> None:
    _write_theme_file(tmp_path, "trafik", 'theme: narkotika\nexamples:\n  - text: "knark"\n    themes: [narkotika]\n')
    with pytest.raises(ThemeDataError) as error:
        load_examples(tmp_path, THEMES_JSON)
    assert str(error.value) == ERR_THEME_MISMATCH.format(file="trafik.yml", theme="narkotika", expected="trafik")


def test_primary_theme_must_be_among_the_example_themes(tmp_path: Path) -> None:
    _write_theme_file(tmp_path, "trafik", 'theme: trafik\nexamples:\n  - text: "knark"\n    themes: [narkotika]\n')
    with pytest.raises(ThemeDataError) as error:
        load_examples(tmp_path, THEMES_JSON)
    assert str(error.value) == ERR_PRIMARY_MISSING.format(file="trafik.yml", index=1, theme="trafik")


def test_duplicate_text_across_files_is_rejected(tmp_path: Path) -> None:
    _write_theme_file(
        tmp_path, "alkohol", 'theme: alkohol\nexamples:\n  - text: "Fulla  på torget"\n    themes: [alkohol]\n'
    )
    _write_theme_file(
        tmp_path, "trafik", 'theme: trafik\nexamples:\n  - text: "fulla på torget"\n    themes: [trafik]\n'
    )
    with pytest.raises(ThemeDataError) as error:
        load_examples(tmp_path, THEMES_JSON)
    assert str(error.value) == ERR_DUPLICATE.format(file="trafik.yml", index=1, text="fulla på torget")


# Prediction


def test_predict_returns_one_prediction_per_text_with_every_score(classifier: ThemeClassifier) -> None:
    texts = ["det luktar gräs i trappan", "bilarna kör för fort", "mörkt i tunneln", ""]
    predictions = classifier.predict(texts)
    assert len(predictions) == len(texts)
    for prediction in predictions:
        assert isinstance(prediction, ThemePrediction)
        assert set(prediction.scores) == set(LABELS)
        assert all(0.0 <= score <= 1.0 for score in prediction.scores.values())
        assert set(prediction.themes) <= set(LABELS)
        assert prediction.themes == sorted(prediction.themes, key=lambda code: -prediction.scores[code])
    assert classifier.predict([]) == []


def test_predict_learns_the_tiny_data(classifier: ThemeClassifier) -> None:
    predictions = classifier.predict(["sprutor i sandlådan", "mopeder på gångvägen hela tiden"])
    assert predictions[0].themes[0] == "narkotika"
    assert predictions[1].themes[0] == "trafik"


def test_themes_are_exactly_the_scores_at_or_above_threshold(classifier: ThemeClassifier) -> None:
    texts = [example.text for example in TINY_DATA] + ["hej", "asdfgh"]
    for prediction in classifier.predict(texts):
        passing = {code for code, score in prediction.scores.items() if score >= classifier.threshold}
        if passing:
            assert set(prediction.themes) == passing
        else:
            assert prediction.themes == [max(prediction.scores, key=prediction.scores.__getitem__)]


def test_at_least_one_theme_even_when_nothing_passes(classifier: ThemeClassifier) -> None:
    strict = ThemeClassifier(classifier.nlp, {**classifier.meta, "threshold": 1.01})
    for prediction in strict.predict(["", "asdfgh", "det luktar gräs i trappan"]):
        assert len(prediction.themes) == 1
        assert prediction.themes[0] == max(prediction.scores, key=prediction.scores.__getitem__)
    lenient = ThemeClassifier(classifier.nlp, {**classifier.meta, "threshold": 0.0})
    assert all(set(p.themes) == set(LABELS) for p in lenient.predict(["vad som helst"]))


def test_per_label_thresholds_override_the_global_one(classifier: ThemeClassifier) -> None:
    meta = {**classifier.meta, "threshold": 0.0, "thresholds": {"trafik": 1.01}}
    prediction = ThemeClassifier(classifier.nlp, meta).predict(["bilarna kör för fort"])[0]
    assert set(prediction.themes) == {"narkotika", "fysisk_miljo"}


def test_decide_picks_the_top_label_for_rows_with_nothing_above_threshold() -> None:
    scores = numpy.asarray([[0.1, 0.3, 0.2], [0.9, 0.8, 0.1]], dtype="float32")
    chosen = decide(scores, numpy.full(3, 0.5, dtype="float32"))
    assert chosen.tolist() == [[False, True, False], [True, True, False]]


def test_choose_thresholds_picks_a_threshold_that_separates() -> None:
    truth = numpy.asarray([[True, False], [False, True], [True, True]])
    scores = numpy.asarray([[0.7, 0.2], [0.1, 0.6], [0.8, 0.65]], dtype="float32")
    thresholds = choose_thresholds(truth, scores, ["a", "b"], per_label=False)
    assert 0.2 < thresholds.default <= 0.6


# Saving, loading, versions


def test_meta_json_has_version_threshold_and_labels(tiny_model_dir: Path) -> None:
    meta = json.loads((tiny_model_dir / "meta.json").read_text(encoding="utf-8"))["theme_classifier"]
    assert meta["model_version"] == model_version(TINY_DATA, LABELS, TINY_CONFIG)
    assert meta["model_version"].startswith("themes-")
    assert meta["threshold"] == 0.5
    assert meta["labels"] == LABELS


def test_load_is_cached_per_path(tiny_model_dir: Path, classifier: ThemeClassifier) -> None:
    assert ThemeClassifier.load(str(tiny_model_dir)) is classifier
    assert classifier.version == model_version(TINY_DATA, LABELS, TINY_CONFIG)
    ThemeClassifier.clear_cache()
    try:
        assert ThemeClassifier.load(tiny_model_dir) is not classifier
    finally:
        ThemeClassifier.clear_cache()


def test_saved_model_scores_like_the_trained_pipeline(classifier: ThemeClassifier) -> None:
    nlp = train_pipeline(TINY_DATA, LABELS, TINY_CONFIG)
    texts = ["folk langar i mörka tunneln", "fortkörning på Storgatan"]
    expected = predict_scores(nlp, texts, LABELS)
    loaded = numpy.asarray([[p.scores[label] for label in LABELS] for p in classifier.predict(texts)])
    numpy.testing.assert_allclose(loaded, expected, atol=1e-6)


def test_training_is_deterministic_with_a_fixed_seed() -> None:
    texts = ["sprutor vid lekplatsen", "bilar som kör fort i mörkret"]
    first = predict_scores(train_pipeline(TINY_DATA, LABELS, TINY_CONFIG), texts, LABELS)
    second = predict_scores(train_pipeline(TINY_DATA, LABELS, TINY_CONFIG), texts, LABELS)
    numpy.testing.assert_array_equal(first, second)
    assert model_version(TINY_DATA, LABELS, TINY_CONFIG) == model_version(TINY_DATA, LABELS, TINY_CONFIG)
    assert model_version(TINY_DATA, LABELS, replace(TINY_CONFIG, seed=1)) != model_version(
        TINY_DATA, LABELS, TINY_CONFIG
    )
    assert model_version(TINY_DATA[:-1], LABELS, TINY_CONFIG) != model_version(TINY_DATA, LABELS, TINY_CONFIG)


def test_threshold_is_tuned_when_not_given(tmp_path: Path) -> None:
    meta = train_and_save(TINY_DATA, LABELS, tmp_path, replace(TINY_CONFIG, threshold=None, tune_folds=2, epochs=5))
    assert 0.0 < meta["threshold"] < 1.0


def test_a_plain_spacy_pipeline_is_not_a_theme_model(tmp_path: Path) -> None:
    spacy.blank("sv").to_disk(tmp_path)
    with pytest.raises(ValueError) as error:
        ThemeClassifier.from_disk(tmp_path)
    assert str(error.value) == ERR_NOT_A_THEME_MODEL.format(path=tmp_path, key="theme_classifier")


# Explanations


def test_explain_names_the_words_that_carry_each_theme(classifier: ThemeClassifier) -> None:
    text = "det luktar gräs vid den trasiga gatlampan"
    evidence = classifier.explain(text, ["narkotika", "fysisk_miljo"])
    assert set(evidence) == {"narkotika", "fysisk_miljo"}
    assert "gräs" in evidence["narkotika"]
    assert "gatlampan" in evidence["fysisk_miljo"]
    assert "gatlampan" not in evidence["narkotika"]
    for words in evidence.values():
        assert 0 < len(words) <= 3
        assert set(words) <= set(text.split())


def test_explain_tries_a_bounded_number_of_words(classifier: ThemeClassifier) -> None:
    filler = " ".join(f"ord{number}" for number in range(MAX_EXPLAINED_WORDS))
    evidence = classifier.explain(f"{filler} Sprutor i sandlådan", ["narkotika"])
    assert evidence == {"narkotika": []}  # the telling words come after the first MAX_EXPLAINED_WORDS
    assert "sprutor" in classifier.explain(f"Sprutor i sandlådan {filler}", ["narkotika"])["narkotika"]


def test_explain_gives_no_evidence_for_a_theme_the_text_is_not_about(classifier: ThemeClassifier) -> None:
    assert classifier.explain("sprutor i sandlådan", ["trafik"]) == {"trafik": []}
    assert classifier.explain("!!!", ["trafik"]) == {"trafik": []}


# The held-out examples


@pytest.mark.parametrize("path", [HELDOUT_FILE, HELDOUT_FILE_2], ids=["heldout", "heldout_2"])
def test_heldout_examples_are_separate_from_training_and_cover_every_theme(path: Path) -> None:
    heldout = load_heldout(path, training=load_examples())
    assert len(heldout) >= 150
    assert sum(len(example.themes) > 1 for example in heldout) >= len(heldout) // 5
    for code in load_theme_codes():
        assert sum(code in example.themes for example in heldout) >= 8, code


def test_heldout_example_that_is_also_training_data_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "heldout.yml"
    path.write_text('examples:\n  - text: "Sprutor i  sandlådan"\n    themes: [narkotika]\n', encoding="utf-8")
    with pytest.raises(ThemeDataError) as error:
        load_heldout(path, training=TINY_DATA)
    assert str(error.value) == ERR_HELDOUT_IN_TRAINING.format(file="heldout.yml", index=1, text="Sprutor i  sandlådan")


# The evaluation script's bookkeeping


def _eval_themes() -> ModuleType:
    path = THEME_DATA_DIR.parents[1] / "scripts" / "eval_themes.py"
    spec = importlib.util.spec_from_file_location("eval_themes", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_themes"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_cv_folds_cover_every_example_once_and_pooling_puts_decisions_back_in_place() -> None:
    evaluation = _eval_themes()
    truth = numpy.asarray([[i % 2 == 0, i % 3 == 0] for i in range(12)])
    folds = evaluation.iterative_stratification(truth, 3, 0)
    assert sorted(numpy.concatenate(folds).tolist()) == list(range(12))
    thresholds = evaluation.Thresholds(default=0.5)
    parts = [(rows, {"model": (truth[rows], thresholds, 1.0, "")}) for rows in folds]
    results = evaluation.collect(parts, truth)
    numpy.testing.assert_array_equal(results["model"].predicted, truth)
    assert results["model"].fold_macro == [1.0, 1.0, 1.0]
