"""The stock Rasa 3.6 project the chat bench compares against: `rasa init --no-prompt`, trained where it is made.

section_chat makes it fresh in every run and records how long that took (TIMING); section_training reports that
time, or makes the project itself when run alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from scripts.bench.procs import RASA_BIN, WORK, base_env

STOCK_DIR = WORK / "stock-rasa"
TIMING = STOCK_DIR.parent / "stock-rasa-training.json"
INIT_TIMEOUT_SECONDS = 900


def stock_model(folder: Path = STOCK_DIR) -> Path | None:
    models = sorted((folder / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def make_stock_project(folder: Path = STOCK_DIR) -> float:
    """A fresh `rasa init --no-prompt` project in `folder` (its model trained there); returns the seconds it took."""
    shutil.rmtree(folder, ignore_errors=True)
    TIMING.unlink(missing_ok=True)
    folder.mkdir(parents=True)  # rasa init wants an existing, empty folder
    log = folder.parent / "stock-rasa-init.log"
    started = time.monotonic()
    with log.open("wb") as out:
        subprocess.run(
            [str(RASA_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
            cwd=folder.parent, env=base_env(), stdout=out, stderr=subprocess.STDOUT, check=True,
            timeout=INIT_TIMEOUT_SECONDS,
        )
    seconds = time.monotonic() - started
    if stock_model(folder) is None:
        raise RuntimeError(f"rasa init trained no model; see {log}")
    TIMING.write_text(json.dumps({"seconds": seconds}), encoding="utf-8")
    return seconds


def recorded_stock_seconds() -> float | None:
    """How long the last make_stock_project() took, if its project is still there."""
    if not TIMING.exists() or stock_model() is None:
        return None
    return float(json.loads(TIMING.read_text(encoding="utf-8"))["seconds"])
