# venv: api
# budget: 420
"""Training times: the stock Rasa project (trained fresh in every run) and ours as `make setup` recorded them.

Training our bot takes 4–11 minutes of both cores, which would not fit `make bench`'s 15 minutes, so the bench
reads what `make setup` recorded (scripts/bench/timed.py → models/timings/*.json) for our bot and theme model. The
stock `rasa init --no-prompt` project is made and trained fresh by section_chat (which runs first and compares
against it); this section makes it itself when run alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scripts.bench.procs import ROOT
from scripts.bench.stats import table
from scripts.bench.stock import make_stock_project, recorded_stock_seconds

TIMINGS = ROOT / "models" / "timings"


def recorded(name: str) -> list[str]:
    path = TIMINGS / f"{name}.json"
    if not path.exists():
        return ["not recorded", "the model predates recorded timings; the next `make setup` that trains it records it"]
    record = json.loads(path.read_text(encoding="utf-8"))
    return [f"{record['seconds']:.0f}", f"recorded by `make setup` on {record['finished']} ({record['cpus']} cores)"]


def size_mb(path: Path) -> str:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return f"{sum(p.stat().st_size for p in files) / 2**20:.1f}" if path.exists() else "–"


def main() -> None:
    stock_seconds = recorded_stock_seconds()
    if stock_seconds is None:
        stock_seconds = make_stock_project()
    rows = [
        ["our bot (Rasa, `models/bot.tar.gz`)", *recorded("bot"), size_mb(ROOT / "models" / "bot.tar.gz")],
        ["theme classifier (`models/themes`)", *recorded("themes"), size_mb(ROOT / "models" / "themes")],
        ["stock `rasa init --no-prompt` project", f"{stock_seconds:.0f}",
         "made and trained in this run (init + train, once)", "–"],
    ]
    print("\n".join([
        "## Training time",
        "",
        "Rasa reuses cached components of an earlier training (`.rasa/cache`) when only part of the data changed, "
        "so a recorded bot time is the time of that `make setup`, not necessarily a training from scratch.",
        "",
        table(["model", "seconds", "how measured", "size (MiB)"], rows),
    ]))


if __name__ == "__main__":
    sys.exit(main())
