# venv: api
# budget: 240
"""Theme classifier load time and throughput, and scrubbing (api/privacy/redact.py) throughput.

Load time is measured in a fresh Python process each round (imports included, files in the OS cache), the way
an API worker meets it at start. Throughput runs over the same 1,000 varied messages as the NLU bench: one text
per call (what the API does per concern) and all at once (`trygg classify-pending`). Scrubbing also runs over the
messages with personal data written into them, so the recognisers have something to find.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from api.classifier.model import ThemeClassifier
from api.privacy.redact import redact
from scripts.bench.messages import sample_messages
from scripts.bench.procs import API_PYTHON, ROOT, base_env
from scripts.bench.stats import median_range, table

MODEL_DIR = ROOT / "models" / "themes"
ROUNDS = 3
LOAD_SNIPPET = (
    "import time; started = time.perf_counter(); "
    "from api.classifier.model import ThemeClassifier; "
    f"ThemeClassifier.from_disk({str(MODEL_DIR)!r}); print(time.perf_counter() - started)"
)
# Personal data residents write; mixed into every fifth message for the scrubbing bench.
PERSONAL = ("ring mig på 070-123 45 67", "min granne Lisa Karlsson", "bor på Björkvägen 12 lgh 1102",
            "mejla anna.svensson@exempel.se", "han är 19850412-1234", "bilen hade regnr ABC 123")


def classifier_load_seconds() -> float:
    result = subprocess.run([str(API_PYTHON), "-c", LOAD_SNIPPET], cwd=ROOT, env=base_env(), check=True,
                            capture_output=True, text=True, timeout=300)
    return float(result.stdout.strip().splitlines()[-1])


def per_second(work: int, seconds: float) -> float:
    return work / seconds if seconds > 0 else float("nan")


def main() -> None:
    messages = sample_messages()
    with_personal = [f"{text}, {PERSONAL[n % len(PERSONAL)]}" if n % 5 == 0 else text
                     for n, text in enumerate(messages)]
    loads = [classifier_load_seconds() for _ in range(ROUNDS)]
    classifier = ThemeClassifier.from_disk(MODEL_DIR)
    classifier.predict(messages[:20])  # warm up
    single, batch, scrub, found = [], [], [], 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for text in messages:
            classifier.predict([text])
        single.append(per_second(len(messages), time.perf_counter() - started))
        started = time.perf_counter()
        classifier.predict(messages)
        batch.append(per_second(len(messages), time.perf_counter() - started))
        started = time.perf_counter()
        found = sum(len(redact(text).found) for text in with_personal)
        scrub.append(per_second(len(with_personal), time.perf_counter() - started))
    chars = statistics.fmean(len(text) for text in with_personal)
    print("\n".join([
        "## Theme classifier and scrubbing",
        "",
        f"{len(messages)} varied messages (mean {chars:.0f} characters), {ROUNDS} rounds, median (min–max). "
        f"Theme model: `{MODEL_DIR.relative_to(ROOT)}` (version {classifier.version}).",
        "",
        table(["measure", "value"], [
            ["theme model load, fresh process incl. imports (s)", median_range(loads, 2)],
            ["classify, one text per call (texts/s)", median_range(single, 0)],
            ["classify, all 1,000 in one call (texts/s)", median_range(batch, 0)],
            [f"scrub with redact() (texts/s; {found} finds per round)", median_range(scrub, 0)],
        ]),
    ]))


if __name__ == "__main__":
    sys.exit(main())
