"""Evaluate the theme classifier against a TF-IDF + logistic-regression baseline.

Run with the API environment from the repository root:

    python scripts/eval_themes.py                      # spaCy charbow vs baseline → reports/themes.md
    python scripts/eval_themes.py --heldout-only       # only the held-out file, printed
    python scripts/eval_themes.py --archs charbow,bow,ensemble   # also spaCy's own architectures

Two measurements, every model trained the same way in both:

- Cross-validation: 5 folds from iterative multi-label stratification (Sechidis et al. 2011) with a
  fixed seed. In every outer fold each model tunes its decision threshold (and the baseline its C)
  on out-of-fold scores of the *training* part only (3 inner folds), is refit on the whole training
  part and scored on the test part. Per-theme precision/recall/F1 and micro/macro F1 are computed on
  the pooled test predictions; the per-fold macro-F1 spread is shown too.
- Held-out: trained (and tuned) on all of `nlu_data/themes/`, scored on `tests/api/themes_heldout.yml`
  and `tests/api/themes_heldout_2.yml`, examples written apart from the training data and never used
  to tune or choose anything (the second one by a writer who saw only the taxonomy). The
  cross-validation figures come from data that has been read while writing more data and the theme
  lexicon; these have not. Each file gets its own section.

Every text gets at least one theme (the top-scoring one if none passes the threshold). The folds
and the held-out run go to `--jobs` worker processes.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.multiclass import OneVsRestClassifier  # noqa: E402
from sklearn.pipeline import Pipeline, make_union  # noqa: E402

from api.classifier.data import (  # noqa: E402
    HELDOUT_FILE,
    HELDOUT_FILE_2,
    THEME_DATA_DIR,
    Example,
    load_examples,
    load_heldout,
    load_taxonomy,
    load_theme_file,
)
from api.classifier.train import (  # noqa: E402
    ARCHITECTURES,
    DEFAULT_ARCHITECTURE,
    Thresholds,
    choose_thresholds,
    config_for,
    decide,
    kfold_indices,
    label_matrix,
    out_of_fold_scores,
    predict_scores,
    train_pipeline,
)

TARGET_MACRO_F1 = 0.85
TARGET_MARGIN = 0.05
BASELINE_C_GRID = (1.0, 10.0, 30.0, 100.0)
BASELINE = "baseline"


def iterative_stratification(truth: numpy.ndarray, folds: int, seed: int) -> list[numpy.ndarray]:
    """Split rows of a boolean label matrix into folds with similar label proportions.

    Sechidis, Tsoumakas & Vlahavas (2011): repeatedly take the label with the fewest unassigned
    examples and deal those examples to the folds that still want most of that label.
    """
    rng = numpy.random.RandomState(seed)
    n_items = truth.shape[0]
    want_items = numpy.full(folds, n_items / folds)
    want_labels = numpy.outer(numpy.full(folds, 1.0 / folds), truth.sum(axis=0))
    unassigned = numpy.ones(n_items, dtype=bool)
    assignment = numpy.full(n_items, -1)

    def best_fold(scores: numpy.ndarray) -> int:
        candidates = numpy.flatnonzero(scores == scores.max())
        if len(candidates) > 1:
            by_size = want_items[candidates]
            candidates = candidates[by_size == by_size.max()]
        return int(rng.choice(candidates))

    while unassigned.any():
        counts = truth[unassigned].sum(axis=0)
        if not counts.any():
            for row in numpy.flatnonzero(unassigned):
                fold = best_fold(want_items)
                assignment[row] = fold
                want_items[fold] -= 1
            break
        present = numpy.flatnonzero(counts)
        label = present[counts[present].argmin()]
        rows = numpy.flatnonzero(unassigned & truth[:, label])
        rng.shuffle(rows)
        for row in rows:
            fold = best_fold(want_labels[:, label])
            assignment[row] = fold
            unassigned[row] = False
            want_items[fold] -= 1
            want_labels[fold, truth[row]] -= 1
    return [numpy.flatnonzero(assignment == fold) for fold in range(folds)]


@dataclass
class ModelResult:
    """Pooled held-out decisions and bookkeeping for one model."""

    name: str
    predicted: numpy.ndarray
    thresholds: list[Thresholds] = field(default_factory=list)
    fold_macro: list[float] = field(default_factory=list)
    train_seconds: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prf(truth: numpy.ndarray, predicted: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Per-column precision, recall and F1."""
    tp = (truth & predicted).sum(axis=0).astype(float)
    fp = (~truth & predicted).sum(axis=0).astype(float)
    fn = (truth & ~predicted).sum(axis=0).astype(float)
    precision = numpy.divide(tp, tp + fp, out=numpy.zeros_like(tp), where=(tp + fp) > 0)
    recall = numpy.divide(tp, tp + fn, out=numpy.zeros_like(tp), where=(tp + fn) > 0)
    f1 = numpy.divide(2 * tp, 2 * tp + fp + fn, out=numpy.zeros_like(tp), where=(2 * tp + fp + fn) > 0)
    return precision, recall, f1


def micro_f1(truth: numpy.ndarray, predicted: numpy.ndarray) -> float:
    """Micro-averaged F1 over all labels."""
    tp = float((truth & predicted).sum())
    wrong = float((truth ^ predicted).sum())
    return 2 * tp / (2 * tp + wrong) if tp or wrong else 0.0


def macro_f1(truth: numpy.ndarray, predicted: numpy.ndarray) -> float:
    """Macro-averaged F1 (mean of per-label F1)."""
    return float(prf(truth, predicted)[2].mean())


def baseline_factory(c_value: float) -> Pipeline:
    """TF-IDF (word 1-2 grams + char_wb 2-5 grams) and one-vs-rest logistic regression."""
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    # liblinear (dual) fits the same L2 logistic regression as lbfgs, much faster on wide sparse input.
    classifier = OneVsRestClassifier(LogisticRegression(C=c_value, solver="liblinear", dual=True, max_iter=3000))
    return Pipeline([("features", features), ("classifier", classifier)])


def baseline_fit_predict(
    train: Sequence[Example], test: Sequence[Example], labels: Sequence[str], seed: int
) -> dict[bool, tuple[numpy.ndarray, Thresholds, float]]:
    """Tune C and threshold on inner folds of `train`, refit, and return held-out scores.

    Keyed by `per_label` (False: one global threshold; True: one threshold per label).
    """
    truth = label_matrix(train, labels)
    texts = [example.text for example in train]
    inner = kfold_indices(len(train), 3, seed)
    best: dict[bool, tuple[float, float, Thresholds]] = {}
    for c_value in BASELINE_C_GRID:
        scores = numpy.zeros(truth.shape, dtype="float32")
        for held_out in inner:
            keep = numpy.setdiff1d(numpy.arange(len(train)), held_out)
            model = baseline_factory(c_value).fit([texts[i] for i in keep], truth[keep])
            scores[held_out] = model.predict_proba([texts[i] for i in held_out])
        for per_label in (False, True):
            thresholds = choose_thresholds(truth, scores, labels, per_label)
            score = macro_f1(truth, decide(scores, thresholds.as_array(labels)))
            if per_label not in best or score > best[per_label][0] + 1e-9:
                best[per_label] = (score, c_value, thresholds)
    test_texts = [example.text for example in test]
    fitted: dict[float, numpy.ndarray] = {}
    out: dict[bool, tuple[numpy.ndarray, Thresholds, float]] = {}
    for per_label, (_, c_value, thresholds) in best.items():
        if c_value not in fitted:
            fitted[c_value] = baseline_factory(c_value).fit(texts, truth).predict_proba(test_texts)
        out[per_label] = (fitted[c_value], thresholds, c_value)
    return out


# One model's decisions on one test part: (decisions, thresholds, training seconds, note)
Scored = tuple[numpy.ndarray, Thresholds, float, str]


def fit_and_score(
    train: Sequence[Example], test: Sequence[Example], labels: Sequence[str], archs: Sequence[str], seed: int
) -> dict[str, Scored]:
    """Fit every model on `train` and decide the themes of `test`, keyed by model name.

    Thresholds (and the baseline's C) are tuned on inner folds of `train` only, then the model is
    refit on all of `train`, as `trygg train-themes` does. Runs in a worker process.
    """
    out: dict[str, Scored] = {}
    test_texts = [example.text for example in test]
    train_truth = label_matrix(train, labels)
    for arch in archs:
        config = config_for(arch, seed=seed)
        started = time.perf_counter()
        inner_scores = out_of_fold_scores(train, labels, config)
        scores = predict_scores(train_pipeline(train, labels, config), test_texts, labels)
        seconds = time.perf_counter() - started
        for per_label in (False, True):
            thresholds = choose_thresholds(train_truth, inner_scores, labels, per_label)
            name = f"spacy_{arch}" + ("_per_label" if per_label else "")
            out[name] = (decide(scores, thresholds.as_array(labels)), thresholds, seconds, "")
    started = time.perf_counter()
    baseline = baseline_fit_predict(train, test, labels, seed)
    seconds = time.perf_counter() - started
    for per_label, (scores, thresholds, c_value) in baseline.items():
        name = BASELINE + ("_per_label" if per_label else "")
        out[name] = (decide(scores, thresholds.as_array(labels)), thresholds, seconds, f"C={c_value:g}")
    return out


def collect(parts: Sequence[tuple[numpy.ndarray, dict[str, Scored]]], truth: numpy.ndarray) -> dict[str, ModelResult]:
    """Pool the decisions of each test part (rows, scored models) into one result per model."""
    results: dict[str, ModelResult] = {}
    for rows, scored in parts:
        for name, (decisions, thresholds, seconds, note) in scored.items():
            entry = results.setdefault(name, ModelResult(name=name, predicted=numpy.zeros_like(truth)))
            entry.predicted[rows] = decisions
            entry.thresholds.append(thresholds)
            entry.fold_macro.append(macro_f1(truth[rows], decisions))
            entry.train_seconds.append(seconds)
            if note:
                entry.notes.append(note)
    return results


def run_all(
    examples: Sequence[Example],
    heldout: Sequence[Example],
    labels: Sequence[str],
    folds: list[numpy.ndarray],
    archs: Sequence[str],
    seed: int,
    jobs: int,
    log: Callable[[str], None],
) -> tuple[dict[str, ModelResult], numpy.ndarray, dict[str, ModelResult], numpy.ndarray]:
    """Cross-validate on `examples` (over `folds`) and score `heldout`, with `jobs` worker processes.

    Returns (cv results, cv truth, held-out results, held-out truth); with no folds the cv part is empty.
    """
    truth = label_matrix(examples, labels)
    tasks: list[tuple[str, list[Example], list[Example]]] = [("held-out", list(examples), list(heldout))]
    for number, test_rows in enumerate(folds, start=1):
        train_rows = numpy.setdiff1d(numpy.arange(len(examples)), test_rows)
        tasks.append((f"fold {number}", [examples[i] for i in train_rows], [examples[i] for i in test_rows]))
    scored: dict[str, dict[str, Scored]] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(fit_and_score, train, test, labels, archs, seed): name for name, train, test in tasks}
        for future in as_completed(futures):
            name = futures[future]
            scored[name] = future.result()
            part_truth = label_matrix(heldout, labels) if name == "held-out" else truth[folds[int(name[5:]) - 1]]
            summary = ", ".join(
                f"{model} {macro_f1(part_truth, decisions):.3f}" for model, (decisions, *_rest) in scored[name].items()
            )
            log(f"{name}: macro-F1 {summary}")
    cv_results = collect([(folds[i], scored[f"fold {i + 1}"]) for i in range(len(folds))], truth)
    held_truth = label_matrix(heldout, labels)
    held_results = collect([(numpy.arange(len(heldout)), scored["held-out"])], held_truth)
    return cv_results, truth, held_results, held_truth


def results_for_rows(
    results: dict[str, ModelResult], truth: numpy.ndarray, rows: numpy.ndarray
) -> dict[str, ModelResult]:
    """The part of one-part results (the held-out run) that falls on `rows`, scored on those rows."""
    return {
        name: ModelResult(
            name=name,
            predicted=entry.predicted[rows],
            thresholds=entry.thresholds,
            fold_macro=[macro_f1(truth[rows], entry.predicted[rows])],
            train_seconds=entry.train_seconds,
            notes=entry.notes,
        )
        for name, entry in results.items()
    }


def heldout_section(
    path: Path,
    heldout: Sequence[Example],
    labels: Sequence[str],
    truth: numpy.ndarray,
    results: dict[str, ModelResult],
    shipped: str,
) -> list[str]:
    """Markdown lines for the held-out evaluation."""
    multi = sum(len(example.themes) > 1 for example in heldout)
    best_base = max((name for name in results if name.startswith(BASELINE)), key=lambda n: results[n].fold_macro[0])
    shipped_macro = macro_f1(truth, results[shipped].predicted)
    base_macro = macro_f1(truth, results[best_base].predicted)
    lines = [
        f"## Held-out examples (`{_shown(path)}`)",
        "",
        f"{len(heldout)} examples ({multi} with more than one theme) written apart from the training data and "
        "never used for training, tuning or choosing a model. Every model is trained on all training examples "
        "(thresholds and C tuned on inner folds of them, as in `trygg train-themes`).",
        "",
        f"- Shipped model `{shipped}`: macro-F1 **{_fmt(shipped_macro)}**, micro-F1 "
        f"{_fmt(micro_f1(truth, results[shipped].predicted))}; best baseline `{best_base}`: macro-F1 "
        f"**{_fmt(base_macro)}**, micro-F1 {_fmt(micro_f1(truth, results[best_base].predicted))} "
        f"(difference {shipped_macro - base_macro:+.3f}).",
        "",
        "| model | macro-F1 | micro-F1 | global threshold |",
        "|---|---:|---:|---:|",
    ]
    for name, entry in results.items():
        lines.append(
            f"| `{name}` | {_fmt(macro_f1(truth, entry.predicted))} | {_fmt(micro_f1(truth, entry.predicted))} | "
            f"{entry.thresholds[0].default:.2f} |"
        )
    lines += ["", f"| theme | n | `{shipped}` F1 | `{best_base}` F1 |", "|---|---:|---:|---:|"]
    shipped_f1 = prf(truth, results[shipped].predicted)[2]
    base_f1 = prf(truth, results[best_base].predicted)[2]
    for col, label in enumerate(labels):
        lines.append(f"| `{label}` | {int(truth[:, col].sum())} | {_fmt(shipped_f1[col])} | {_fmt(base_f1[col])} |")
    lines.append("")
    return lines


def shipped_name() -> str:
    """Result name of the configuration `trygg train-themes` trains by default."""
    per_label = config_for(DEFAULT_ARCHITECTURE).per_label_thresholds
    return f"spacy_{DEFAULT_ARCHITECTURE}" + ("_per_label" if per_label else "")


def _shown(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else str(path)


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def write_report(
    path: Path,
    examples: Sequence[Example],
    labels: Sequence[str],
    truth: numpy.ndarray,
    results: dict[str, ModelResult],
    archs: Sequence[str],
    seed: int,
    n_folds: int,
    total_seconds: float,
    heldout_lines: Sequence[str] = (),
) -> str:
    """Write the markdown report and return the name of the spaCy model it leads with.

    That is the configuration `trygg train-themes` ships, when it was evaluated; picking the best of
    several variants on the same folds would flatter the figure.
    """
    label_names = {theme.code: theme.label for theme in load_taxonomy()}
    positives: Counter[str] = Counter()
    for example in examples:
        positives.update(example.themes)
    per_file = {path.stem: load_theme_file(path, set(labels)) for path in sorted(THEME_DATA_DIR.glob("*.yml"))}
    multi = sum(len(example.themes) > 1 for example in examples)
    spacy_names = [name for name in results if name.startswith("spacy_")]
    best_spacy = shipped_name()
    if best_spacy not in results:
        best_spacy = max(spacy_names, key=lambda name: macro_f1(truth, results[name].predicted))
    best_base = max(
        (name for name in results if name.startswith(BASELINE)),
        key=lambda name: macro_f1(truth, results[name].predicted),
    )
    spacy_macro = macro_f1(truth, results[best_spacy].predicted)
    base_macro = macro_f1(truth, results[best_base].predicted)
    lines: list[str] = []
    add = lines.append
    add("# Theme classifier: cross-validated evaluation")
    add("")
    add(f"Generated by `python scripts/eval_themes.py {' '.join(sys.argv[1:])}`; do not edit by hand.")
    add("")
    add("## Verdict")
    add("")
    add(
        f"- Shipped spaCy model: `{best_spacy}`, macro-F1 **{_fmt(spacy_macro)}**, micro-F1 "
        f"{_fmt(micro_f1(truth, results[best_spacy].predicted))}."
    )
    add(
        f"- Best baseline: `{best_base}`, macro-F1 **{_fmt(base_macro)}**, micro-F1 "
        f"{_fmt(micro_f1(truth, results[best_base].predicted))}."
    )
    add(
        f"- Target macro-F1 ≥ {TARGET_MACRO_F1}: **{'met' if spacy_macro >= TARGET_MACRO_F1 else 'not met'}**. "
        f"Target ≥ baseline + {TARGET_MARGIN}: **{'met' if spacy_macro >= base_macro + TARGET_MARGIN else 'not met'}** "
        f"(difference {spacy_macro - base_macro:+.3f})."
    )
    add("")
    add("## Data")
    add("")
    add(
        f"{len(examples)} examples, {multi} ({multi / len(examples):.0%}) with more than one theme, "
        f"{len(labels)} themes. *File* counts examples whose primary theme it is; *positives* counts every "
        "example carrying the theme, primary or secondary."
    )
    add("")
    add("| theme | label | file examples | multi-label share | positives |")
    add("|---|---|---:|---:|---:|")
    for label in labels:
        rows = per_file.get(label, [])
        share = sum(len(row.themes) > 1 for row in rows) / len(rows) if rows else 0.0
        add(f"| `{label}` | {label_names.get(label, label)} | {len(rows)} | {share:.0%} | {positives[label]} |")
    add("")
    add("## Method")
    add("")
    add(
        f"- {n_folds}-fold cross-validation, iterative multi-label stratification, seed {seed}; "
        "every model sees the same folds."
    )
    add(
        "- Thresholds (and the baseline's C) are tuned on 3 inner folds of each training part only, "
        "then the model is refit on the whole training part. `_per_label` variants tune one threshold "
        "per theme on the same inner scores."
    )
    add("- Each text gets at least one theme: the top-scoring one when no score passes its threshold.")
    add(
        "- Baseline: scikit-learn TF-IDF (word 1-2 grams + char_wb 2-5 grams, sublinear tf) and one-vs-rest "
        f"logistic regression (liblinear), C from {list(BASELINE_C_GRID)}."
    )
    for arch in archs:
        add(f"- `spacy_{arch}` training config: `{asdict(config_for(arch, seed=seed))}`")
    add("")
    add("## Overall")
    add("")
    add("| model | macro-F1 | micro-F1 | macro-F1 per fold (mean ± sd) | thresholds (global, per fold) | s/fold |")
    add("|---|---:|---:|---|---|---:|")
    for name, entry in results.items():
        fold = numpy.asarray(entry.fold_macro)
        thresholds = ", ".join(f"{t.default:.2f}" for t in entry.thresholds)
        notes = f" ({', '.join(entry.notes)})" if entry.notes else ""
        add(
            f"| `{name}` | {_fmt(macro_f1(truth, entry.predicted))} | {_fmt(micro_f1(truth, entry.predicted))} | "
            f"{fold.mean():.3f} ± {fold.std():.3f} | {thresholds}{notes} | {numpy.mean(entry.train_seconds):.0f} |"
        )
    add("")
    add(f"## Per theme: `{best_spacy}` vs `{best_base}`")
    add("")
    add("| theme | n | spaCy P | spaCy R | spaCy F1 | baseline P | baseline R | baseline F1 |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|")
    sp, sr, sf = prf(truth, results[best_spacy].predicted)
    bp, br, bf = prf(truth, results[best_base].predicted)
    for col, label in enumerate(labels):
        add(
            f"| `{label}` | {int(truth[:, col].sum())} | {_fmt(sp[col])} | {_fmt(sr[col])} | {_fmt(sf[col])} | "
            f"{_fmt(bp[col])} | {_fmt(br[col])} | {_fmt(bf[col])} |"
        )
    add("")
    add(f"## Most frequent errors of `{best_spacy}`")
    add("")
    missed: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    predicted = results[best_spacy].predicted
    for row in range(truth.shape[0]):
        for col, label in enumerate(labels):
            if truth[row, col] and not predicted[row, col]:
                missed[label] += 1
            elif predicted[row, col] and not truth[row, col]:
                extra[label] += 1
    add("| theme | missed (false negatives) | wrongly added (false positives) |")
    add("|---|---:|---:|")
    for label in labels:
        add(f"| `{label}` | {missed[label]} | {extra[label]} |")
    add("")
    lines.extend(heldout_lines)
    add(f"Total evaluation time: {total_seconds / 60:.1f} min on this machine.")
    add("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return best_spacy


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--archs", default="charbow", help=f"comma-separated, from {ARCHITECTURES}")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "themes.md")
    parser.add_argument(
        "--heldout",
        type=Path,
        nargs="+",
        default=[HELDOUT_FILE, HELDOUT_FILE_2],
        help="held-out example files (never trained on); each gets its own section",
    )
    parser.add_argument("--heldout-only", action="store_true", help="skip cross-validation, print held-out figures")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (folds run in parallel)")
    args = parser.parse_args(argv)
    archs = [arch.strip() for arch in args.archs.split(",") if arch.strip()]
    for arch in archs:
        if arch not in ARCHITECTURES:
            parser.error(f"unknown architecture {arch!r}")

    def log(message: str) -> None:
        print(message, flush=True)  # noqa: T201 - progress output of a CLI

    started = time.perf_counter()
    examples = load_examples()
    labels = [theme.code for theme in load_taxonomy()]
    # One held-out run scores every held-out file (the model is the same: trained on all examples).
    heldout_files = [(path, load_heldout(path, training=examples)) for path in args.heldout]
    heldout = [example for _path, part in heldout_files for example in part]
    folds = [] if args.heldout_only else iterative_stratification(label_matrix(examples, labels), args.folds, args.seed)
    log(f"{len(examples)} examples, {len(heldout)} held out, fold sizes {[len(fold) for fold in folds]}")
    results, truth, held_results, held_truth = run_all(
        examples, heldout, labels, folds, archs, args.seed, args.jobs, log
    )
    shipped = shipped_name() if shipped_name() in held_results else f"spacy_{archs[0]}"
    held_lines: list[str] = []
    start = 0
    for path, part in heldout_files:
        rows = numpy.arange(start, start + len(part))
        start += len(part)
        part_results = results_for_rows(held_results, held_truth, rows)
        held_lines += heldout_section(path, part, labels, held_truth[rows], part_results, shipped)
    if args.heldout_only:
        log("\n".join(held_lines))
        return
    best = write_report(
        args.out,
        examples,
        labels,
        truth,
        results,
        archs,
        args.seed,
        args.folds,
        time.perf_counter() - started,
        held_lines,
    )
    for name, entry in results.items():
        log(f"{name}: macro-F1 {macro_f1(truth, entry.predicted):.3f} micro-F1 {micro_f1(truth, entry.predicted):.3f}")
    log(f"reported spaCy model: {best}; report written to {args.out}")


if __name__ == "__main__":
    main()
