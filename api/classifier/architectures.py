"""A spaCy text-classifier architecture with character n-gram and lemma features.

spaCy's own bag-of-words model (`spacy.TextCatBOW.v3`) only sees whole tokens (ORTH), so "rånad",
"ranad" and "rånade" are three unrelated features. Residents misspell and drop å/ä/ö, so this
architecture feeds a sparse linear layer with, per token: the lookup lemma (and lemma bigrams),
plus character n-grams of the lower-cased, accent-folded word with boundary markers ("<ranad>"),
plus one feature per theme of the theme lexicon that a word of the text matches (see
`api.classifier.lexicon`; a word no training example used still counts for its theme).
Feature values are IDF-weighted binary values (the IDF is fitted on the training docs and saved
with the model), L2-normalised per block (lemmas, characters, lexicon), so short and long texts
score on the same scale and lemmas are not drowned by the many character n-grams; the lexicon
block is then scaled by `lexicon_weight`.

Importing this module registers `trygghet.TextCatCharNgramBOW.v1`; `api.classifier.model` imports
it before loading a saved pipeline, so the saved config resolves. The lexicon's patterns are a
layer attribute set by `set_lexicon` when training, saved and loaded with the weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, cast

import numpy
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import hash_string  # type: ignore[attr-defined]  # (cython, no stub)
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted
from thinc.types import ArrayXd, Floats1d, Floats2d

from api.classifier.lexicon import ThemeLexicon, fold, lexicon_from_patterns

ARCHITECTURE_NAME = "trygghet.TextCatCharNgramBOW.v1"
IDF_LAYER_NAME = "char_word_ngrams"
NEG_VALUE = -5000  # same bias fill as spaCy's BOW model, so new labels start "off"

LEXICON_ATTR = "lexicon"
# Feature blocks, each L2-normalised on its own: lemmas ("w:"), characters ("c:"), lexicon ("x:").
WORD_BLOCK, CHAR_BLOCK, LEXICON_BLOCK = 0, 1, 2
_BLOCK_OF_PREFIX = {"w": WORD_BLOCK, "c": CHAR_BLOCK, "x": LEXICON_BLOCK}

FeatureKeys = tuple[numpy.ndarray, numpy.ndarray]  # (hashed keys, block of each key)


def doc_features(
    doc: Doc, word_ngram_size: int, char_ngram_min: int, char_ngram_max: int, lexicon: ThemeLexicon | None = None
) -> list[str]:
    """Return the distinct string features of one doc (exposed for tests and debugging)."""
    lemmas: list[str] = []
    features: set[str] = set()
    for token in doc:
        if token.is_punct or token.is_space:
            continue
        lemma = fold(token.lemma_ or token.text)
        lemmas.append(lemma)
        features.add("w:" + lemma)
        if lexicon is not None:
            features.update("x:" + code for code in lexicon.themes_of((token.text, token.lemma_ or token.text)))
        word = "<" + fold(token.text) + ">"
        for size in range(char_ngram_min, char_ngram_max + 1):
            for start in range(0, len(word) - size + 1):
                features.add("c:" + word[start : start + size])
    for size in range(2, word_ngram_size + 1):
        for start in range(0, len(lemmas) - size + 1):
            features.add("w:" + " ".join(lemmas[start : start + size]))
    return sorted(features)


def _layer_lexicon(model: Model[Any, Any]) -> ThemeLexicon | None:
    patterns = model.attrs.get(LEXICON_ATTR) or {}
    return lexicon_from_patterns(patterns) if patterns else None


def _doc_keys(model: Model[Any, Any], doc: Doc, lexicon: ThemeLexicon | None) -> FeatureKeys:
    """Hashed feature keys of a doc for the n-gram layer `model`, and the block of each key."""
    sizes = (model.attrs["word_ngram_size"], model.attrs["char_ngram_min"], model.attrs["char_ngram_max"])
    # Cached on the doc: during training the same Doc objects are seen every epoch.
    cache_key = ("trygghet_ngrams", *sizes, lexicon.key if lexicon is not None else "")
    user_data = cast(dict[Any, Any], doc.user_data)
    cached = user_data.get(cache_key)
    if cached is not None:
        return cast(FeatureKeys, cached)
    features = doc_features(doc, *sizes, lexicon=lexicon)
    keys = numpy.asarray([hash_string(feature) for feature in features], dtype="uint64")
    blocks = numpy.asarray([_BLOCK_OF_PREFIX[feature[0]] for feature in features], dtype="int8")
    user_data[cache_key] = (keys, blocks)
    return keys, blocks


def _weights(keys: numpy.ndarray, blocks: numpy.ndarray, idf: numpy.ndarray, lexicon_weight: float) -> numpy.ndarray:
    # IDF-weighted binary features, L2-normalised per block (lemmas, characters, lexicon) like a
    # union of tf-idf vectors; otherwise the many character n-grams drown the few lemmas.
    vals = idf[(keys % numpy.uint64(idf.shape[0])).astype("int64")].astype("float32")
    for block in (WORD_BLOCK, CHAR_BLOCK, LEXICON_BLOCK):
        in_block = blocks == block
        norm = float(numpy.sqrt((vals[in_block] ** 2).sum()))
        if norm > 0:
            vals[in_block] /= norm
    vals[blocks == LEXICON_BLOCK] *= lexicon_weight
    return cast(numpy.ndarray, vals)


def char_word_ngrams(
    word_ngram_size: int, char_ngram_min: int, char_ngram_max: int, idf_length: int, lexicon_weight: float = 0.0
) -> Model[list[Doc], Any]:
    """Thinc layer: docs → (keys, values, lengths) for a sparse linear layer.

    It holds one parameter, `idf` (inverse document frequency per hashed feature bucket), which
    starts at 1 and is set from the training docs by `fit_idf`; it gets no gradient. Its lexicon
    (empty until `set_lexicon`) is an attribute, so it is saved with the model.
    """
    return Model(
        IDF_LAYER_NAME,
        _char_word_ngrams_forward,
        init=_char_word_ngrams_init,
        params={"idf": None},
        attrs={
            "word_ngram_size": word_ngram_size,
            "char_ngram_min": char_ngram_min,
            "char_ngram_max": char_ngram_max,
            "idf_length": idf_length,
            "lexicon_weight": lexicon_weight,
            LEXICON_ATTR: {},
        },
    )


def _char_word_ngrams_init(model: Model[list[Doc], Any], X: Any = None, Y: Any = None) -> None:
    if not model.has_param("idf") or model.get_param("idf") is None:
        model.set_param("idf", cast(Floats1d, numpy.ones((model.attrs["idf_length"],), dtype="float32")))


def _char_word_ngrams_forward(model: Model[list[Doc], Any], docs: list[Doc], is_train: bool) -> tuple[Any, Any]:
    idf = numpy.asarray(model.get_param("idf"))
    lexicon_weight = float(model.attrs.get("lexicon_weight", 0.0))
    lexicon = _layer_lexicon(model)
    per_doc = [_doc_keys(model, doc, lexicon) for doc in docs]
    lengths = model.ops.asarray([len(keys) for keys, _ in per_doc], dtype="int32")
    if per_doc:
        keys = numpy.concatenate([keys for keys, _ in per_doc])
        vals = numpy.concatenate([_weights(keys, blocks, idf, lexicon_weight) for keys, blocks in per_doc])
    else:
        keys = numpy.zeros((0,), dtype="uint64")
        vals = numpy.zeros((0,), dtype="float32")

    def backprop(d_output: Any) -> list[Doc]:
        return []

    return (keys, model.ops.asarray(cast(Floats1d, vals), dtype="f"), lengths), backprop


def fit_idf(model: Model[Any, Any], docs: Sequence[Doc]) -> bool:
    """Set the `idf` parameter of every char n-gram layer inside `model` from `docs`.

    Smoothed like scikit-learn: idf = ln((1 + n) / (1 + df)) + 1. Returns False when `model`
    has no such layer (e.g. spaCy's own architectures).
    """
    layers = _ngram_layers(model)
    for layer in layers:
        length = layer.attrs["idf_length"]
        lexicon = _layer_lexicon(layer)
        df = numpy.zeros((length,), dtype="float64")
        for doc in docs:
            keys, _ = _doc_keys(layer, doc, lexicon)
            df[numpy.unique((keys % numpy.uint64(length)).astype("int64"))] += 1
        idf = numpy.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
        layer.set_param("idf", cast(Floats1d, idf.astype("float32")))
    return bool(layers)


def set_lexicon(model: Model[Any, Any], patterns: dict[str, list[str]]) -> bool:
    """Give every n-gram layer inside `model` the theme lexicon `patterns` (code → word patterns).

    Call it before `fit_idf` and training. Returns False when `model` has no such layer.
    """
    layers = _ngram_layers(model)
    for layer in layers:
        layer.attrs[LEXICON_ATTR] = {code: list(items) for code, items in patterns.items()}
    return bool(layers)


def _ngram_layers(model: Model[Any, Any]) -> list[Model[Any, Any]]:
    return [node for node in model.walk() if node.name == IDF_LAYER_NAME]


def sigmoid_cross_entropy() -> Model[Floats2d, Floats2d]:
    """Sigmoid whose backward pass hands the gradient to the logits unchanged.

    spaCy's textcat loss gradient is `scores - truths`. Passed through as-is, that is the
    gradient of binary cross-entropy with respect to the logits, instead of the squared-error
    gradient that thinc's `Logistic` gives (which vanishes when a score is confidently wrong).
    """
    return Model("sigmoid_cross_entropy", _sigmoid_cross_entropy_forward)


def _sigmoid_cross_entropy_forward(
    model: Model[Floats2d, Floats2d], X: Floats2d, is_train: bool
) -> tuple[Floats2d, Any]:
    Y = model.ops.sigmoid(X, inplace=False)

    def backprop(dY: Floats2d) -> Floats2d:
        return dY

    return Y, backprop


@registry.architectures(ARCHITECTURE_NAME)  # type: ignore[untyped-decorator]
def build_char_ngram_bow_text_classifier(
    exclusive_classes: bool,
    word_ngram_size: int = 2,
    char_ngram_min: int = 3,
    char_ngram_max: int = 5,
    length: int = 262144,
    no_output_layer: bool = False,
    cross_entropy_gradient: bool = True,
    idf_length: int = 131072,
    lexicon_weight: float = 0.0,
    nO: int | None = None,
) -> Model[list[Doc], Floats2d]:
    """Sparse linear text classifier over lemma and character n-gram features.

    Built like spaCy's `_build_bow_text_classifier`, so it also works as the `linear_model` of
    `spacy.TextCatEnsemble.v2` (it exposes the `output_layer` ref and `multi_label` attr).
    """
    length = 2 ** (length - 1).bit_length()
    sparse_linear: Model[tuple[ArrayXd, ArrayXd, ArrayXd], ArrayXd] = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": 0, "W": 0}
    with Model.define_operators({">>": chain}):
        output_layer = None
        if not no_output_layer:
            fill_defaults["b"] = NEG_VALUE
            if exclusive_classes:
                output_layer = softmax_activation()
            else:
                output_layer = sigmoid_cross_entropy() if cross_entropy_gradient else Logistic()
        resizable_layer: Model[Floats2d, Floats2d] = resizable(
            sparse_linear,
            resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults),
        )
        features = char_word_ngrams(word_ngram_size, char_ngram_min, char_ngram_max, idf_length, lexicon_weight)
        model = features >> resizable_layer
        model = with_cpu(model, model.ops)
        if output_layer:
            model = model >> with_cpu(output_layer, output_layer.ops)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model
