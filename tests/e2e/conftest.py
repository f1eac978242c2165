"""Starts the real system on free loopback ports: API (uvicorn), Rasa server and action server.

Rasa takes 20–60 s to load a model on this machine, so the stack is started once per test session.
"""

import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.servers import ROOT, free_port, stop, wait_for

MODEL = ROOT / "models" / "bot.tar.gz"


@dataclass
class Stack:
    api_url: str
    database_url: str
    env: dict[str, str]
    logs: Path

    def chat(self, session_id: str | None, text: str) -> tuple[str, list[dict[str, object]]]:
        response = httpx.post(
            f"{self.api_url}/api/v1/chat", json={"session_id": session_id, "text": text}, timeout=60
        )
        assert response.status_code == 200, response.text
        body = response.json()
        return body["session_id"], body["replies"]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("models/bot.tar.gz is missing: run `make setup` (make test does)")
    logs = tmp_path_factory.mktemp("logs")
    api_port, rasa_port, action_port = free_port(), free_port(), free_port()
    database_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'e2e.db'}"
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "API_PORT": str(api_port),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SERVICE_TOKEN": secrets.token_urlsafe(48),
        "CONVERSATION_HASH_SALT": secrets.token_urlsafe(48),
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": "127.0.0.1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    commands = {
        "api": [str(ROOT / ".venv/bin/trygg"), "serve"],
        "actions": [str(ROOT / ".venv-rasa/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
                    "--port", str(action_port)],
        "rasa": [str(ROOT / ".venv-rasa/bin/rasa"), "run", "--model", str(MODEL),
                 "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
                 "--interface", "127.0.0.1", "--port", str(rasa_port)],
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, command in commands.items():
            log = (logs / f"{name}.log").open("wb")
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{api_port}/healthz", processes["api"], 60, logs / "api.log")
        wait_for(f"http://127.0.0.1:{action_port}/health", processes["actions"], 120, logs / "actions.log")
        wait_for(f"http://127.0.0.1:{rasa_port}/", processes["rasa"], 240, logs / "rasa.log")
        yield Stack(api_url=f"http://127.0.0.1:{api_port}", database_url=database_url, env=env, logs=logs)
    finally:
        stop(list(processes.values()))
