"""The stock Rasa 3.6 project the chat bench compares against: `rasa init --no-prompt`, trained where it is made.

section_training makes it fresh in every `make bench` run (and times its training); section_chat reuses that one
when it is there, or makes it itself when run alone.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from scripts.bench.procs import RASA_BIN, ROOT, base_env

STOCK_DIR = ROOT / "reports" / "bench-work" / "stock-rasa"
INIT_TIMEOUT_SECONDS = 900


def stock_model(folder: Path = STOCK_DIR) -> Path | None:
    models = sorted((folder / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def make_stock_project(folder: Path = STOCK_DIR) -> float:
    """A fresh `rasa init --no-prompt` project in `folder` (its model trained there); returns the seconds it took."""
    shutil.rmtree(folder, ignore_errors=True)
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
    return seconds


def ensure_stock_project(folder: Path = STOCK_DIR) -> Path:
    """The stock project's model, made first if missing."""
    if stock_model(folder) is None:
        make_stock_project(folder)
    model = stock_model(folder)
    assert model is not None
    return model
