"""Starting the services for a bench section: cold start time, peak memory, stopping (standard library only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API_PYTHON = ROOT / ".venv" / "bin" / "python"
RASA_BIN = ROOT / ".venv-rasa" / "bin"
# Databases and files of a run live here (gitignored), not in /tmp, which other jobs on a shared machine may sweep.
WORK = ROOT / "reports" / "bench-work"
WORK.mkdir(parents=True, exist_ok=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """A started server process; `cold_start_seconds` is set once it answers its health URL."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    started: float
    cold_start_seconds: float | None = None

    def wait_ready(self, url: str, timeout: float) -> float:
        """Poll `url` until it answers 200; returns the seconds from process start (the cold start)."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URL we built
                    if response.status == 200:
                        self.cold_start_seconds = time.monotonic() - self.started
                        return self.cold_start_seconds
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not answer {url} in {timeout:.0f} s:\n"
                           f"{self.log.read_text(errors='replace')[-3000:]}")

    def peak_rss_mb(self) -> float:
        """Sum of the peak resident memory (VmHWM) of the process and its children, in MiB."""
        return sum(_vm_hwm_kib(pid) for pid in _process_tree(self.process.pid)) / 1024

    def stop(self, timeout: float = 30) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, command: list[str], env: dict[str, str], log_dir: Path, cwd: Path = ROOT) -> Service:
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Service(name=name, process=process, log=log, started=time.monotonic())


def stop_all(services: list[Service]) -> None:
    for service in services:
        if service.process.poll() is None:
            service.process.send_signal(signal.SIGTERM)
    for service in services:
        service.stop()


def base_env(**extra: str) -> dict[str, str]:
    """The environment every service gets: telemetry off, quiet TensorFlow, Sanic on loopback."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SANIC_HOST": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces; the parent pid is the 2nd field after it.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
