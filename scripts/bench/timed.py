"""Run a command and record how long it took: `python scripts/bench/timed.py NAME -- command ...`.

`make setup` trains the bot and the theme model through this, so `make bench` can report training times without
training again (models/timings/NAME.json: seconds, when, CPU cores). The command's exit status is passed on and
nothing is recorded when it fails. Standard library only: it runs before any venv exists.
"""

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

TIMINGS = Path(__file__).resolve().parents[2] / "models" / "timings"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, command = argv[0], argv[2:]
    started = time.monotonic()
    status = subprocess.call(command)
    if status == 0:
        TIMINGS.mkdir(parents=True, exist_ok=True)
        record = {"seconds": round(time.monotonic() - started, 1), "cpus": os.cpu_count(),
                  "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": command}
        (TIMINGS / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
