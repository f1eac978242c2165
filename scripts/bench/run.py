"""`make bench`: run every benchmark section and collect their Markdown into reports/bench.md.

Convention for sections (other helpers add their own the same way):
- A section is a file `scripts/bench/section_<name>.py`. Sections run one after another, sorted by file name
  (never in parallel: they measure speed on the same cores), each as its own subprocess with the repository root
  as working directory and the repository root on PYTHONPATH.
- Its FIRST line says which virtualenv runs it: `# venv: api` (.venv, Python 3.11, has httpx and the API) or
  `# venv: rasa` (.venv-rasa, Python 3.10, has Rasa; no httpx). A missing marker means `api`.
- An optional line `# budget: <seconds>` among the first five lines sets its time budget (default 120 s). A section
  that runs past its budget is killed (with its whole process group, so servers it started die too) and recorded
  as timed out; the run goes on with the next section. BENCH_BUDGET_FACTOR (default 1) multiplies every budget,
  for a slower or shared machine.
- Its stdout is one Markdown section starting with a `## ` heading; it is copied into the report as it is.
  Its stderr goes to reports/bench-logs/<name>.log. A section that exits non-zero, times out or prints nothing is
  recorded in the report with its exit status and the end of its log, and the run continues.
- Figures are medians of repeated runs with min/max (see scripts/bench/stats.py). Everything stays on loopback
  and is bounded in count and time.
`run.py` exits non-zero when any section failed, after writing the whole report.

Usage: .venv/bin/python scripts/bench/run.py [--only NAME ...] [--out reports/bench.md]
"""

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "scripts" / "bench"
VENVS = {"api": ROOT / ".venv" / "bin" / "python", "rasa": ROOT / ".venv-rasa" / "bin" / "python"}
DEFAULT_BUDGET_SECONDS = 120.0
LOG_TAIL_CHARS = 2000
VENV_MARKER = re.compile(r"^#\s*venv:\s*(\w+)\s*$")
BUDGET_MARKER = re.compile(r"^#\s*budget:\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Section:
    name: str
    path: Path
    venv: str
    budget_seconds: float


@dataclass(frozen=True)
class Outcome:
    section: Section
    markdown: str
    seconds: float
    error: str | None


def discover(only: list[str] | None) -> list[Section]:
    """The section files, with their venv and budget read from the header lines."""
    sections = []
    for path in sorted(BENCH_DIR.glob("section_*.py")):
        name = path.stem.removeprefix("section_")
        if only and name not in only:
            continue
        head = path.read_text(encoding="utf-8").splitlines()[:5]
        venv_match = VENV_MARKER.match(head[0]) if head else None
        venv = venv_match.group(1) if venv_match else "api"
        budget = DEFAULT_BUDGET_SECONDS
        for line in head:
            if budget_match := BUDGET_MARKER.match(line):
                budget = float(budget_match.group(1))
        budget *= float(os.environ.get("BENCH_BUDGET_FACTOR", "1"))
        sections.append(Section(name=name, path=path, venv=venv, budget_seconds=budget))
    return sections


def run_section(section: Section, logs: Path) -> Outcome:
    """Run one section in its own process group; never raises."""
    python = VENVS.get(section.venv)
    if python is None or not python.exists():
        return Outcome(section, "", 0.0, f"unknown or missing venv `{section.venv}`")
    log_path = logs / f"{section.name}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(python), str(section.path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log,
            start_new_session=True,
        )
        try:
            stdout, _ = process.communicate(timeout=section.budget_seconds)
            error = None if process.returncode == 0 else f"exited with status {process.returncode}"
        except subprocess.TimeoutExpired:
            stdout, error = _stop_overdue(process, section)
        finally:
            # Servers a section started and failed to stop must not outlive it.
            _kill_group(process.pid, signal.SIGKILL)
    markdown = stdout.decode("utf-8", errors="replace").strip()
    if error is None and not markdown:
        error = "printed no Markdown"
    if error is not None:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]
        error += f"; end of {log_path.relative_to(ROOT)}:\n\n```\n{tail}\n```"
    return Outcome(section, markdown, time.monotonic() - started, error)


def _kill_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def _stop_overdue(process: subprocess.Popen[bytes], section: Section) -> tuple[bytes, str]:
    """Stop a section past its budget (SIGTERM, then SIGKILL); returns what it printed and the error."""
    _kill_group(process.pid, signal.SIGTERM)
    try:
        stdout, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid, signal.SIGKILL)
        stdout, _ = process.communicate()
    return stdout, f"timed out after its budget of {section.budget_seconds:.0f} s"


def render(outcomes: list[Outcome], total_seconds: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPU cores, "
        f"{platform.platform()}; took {total_seconds:.0f} s. Loopback only. Figures are medians of repeated runs "
        "with (min–max) unless a section says otherwise.",
        "",
        "| Section | Venv | Time (s) | Budget (s) | Result |",
        "|---|---|---:|---:|---|",
    ]
    for outcome in outcomes:
        result = "ok" if outcome.error is None else "**failed**"
        lines.append(
            f"| {outcome.section.name} | {outcome.section.venv} | {outcome.seconds:.0f} | "
            f"{outcome.section.budget_seconds:.0f} | {result} |"
        )
    for outcome in outcomes:
        lines.append("")
        if outcome.markdown:
            lines.append(outcome.markdown)
        else:
            lines.append(f"## {outcome.section.name}")
        if outcome.error is not None:
            lines += ["", f"**Section failed:** {outcome.error}"]
    return "\n".join(lines) + "\n"


def _raise_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _raise_interrupt)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="section names (file name without section_ and .py)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.md")
    args = parser.parse_args()
    logs = ROOT / "reports" / "bench-logs"
    logs.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    outcomes = []
    for section in discover(args.only):
        print(f"bench: {section.name} (venv {section.venv}, budget {section.budget_seconds:.0f} s)", file=sys.stderr)
        outcome = run_section(section, logs)
        outcomes.append(outcome)
        status = "ok" if outcome.error is None else "FAILED: " + outcome.error.splitlines()[0]
        print(f"bench: {section.name} {status} in {outcome.seconds:.0f} s", file=sys.stderr)
        # Write after every section so an interrupted run still leaves a report.
        args.out.write_text(render(outcomes, time.monotonic() - started), encoding="utf-8")
    if not outcomes:
        args.out.write_text(render([], 0.0), encoding="utf-8")
    print(f"bench: wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}", file=sys.stderr)
    return 0 if all(outcome.error is None for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
