"""Starts the real system on free loopback ports: API (uvicorn), Rasa server and action server.

Rasa takes 20–60 s to load a model on this machine, so the stack is started once per test session.
"""

import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.browser_support import browser, page  # noqa: F401 (fixtures for tests/e2e/test_widget.py)
from tests.e2e.messaging_fakes import MessagingPlatforms, messaging_platforms  # noqa: F401 (fixture)
from tests.servers import ROOT, free_port, stop, wait_for

# TRYGG_E2E_MODEL: try a freshly trained model (e.g. under /tmp) without replacing models/bot.tar.gz.
MODEL = Path(os.environ.get("TRYGG_E2E_MODEL", ROOT / "models" / "bot.tar.gz"))


@dataclass
class Stack:
    api_url: str
    database_url: str
    env: dict[str, str]
    logs: Path
    rasa_url: str = ""
    action_url: str = ""
    tracker_store_url: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)

    def start(self, name: str) -> None:
        """Start (or restart) one service; its log is appended to `logs/<name>.log`."""
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            self.commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def stop_api(self) -> None:
        stop([self.processes["api"]])

    def start_api(self) -> None:
        self.start("api")
        wait_for(f"{self.api_url}/healthz", self.processes["api"], 60, self.logs / "api.log")

    def chat(self, session_id: str | None, text: str) -> tuple[str, list[dict[str, object]]]:
        response = httpx.post(
            f"{self.api_url}/api/v1/chat", json={"session_id": session_id, "text": text}, timeout=60
        )
        assert response.status_code == 200, response.text
        body = response.json()
        return body["session_id"], body["replies"]


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, messaging_platforms: MessagingPlatforms  # noqa: F811 (the fixture)
) -> Iterator[Stack]:
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
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(48),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path_factory.mktemp('tracker') / 'tracker.db'}",
        "OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
        "OUTBOX_FLUSH_SECONDS": "2",
        # Every test chats from 127.0.0.1; the rate limits have their own tests.
        "CHAT_RATE_LIMIT_PER_IP": "100000/minute",
        "CHAT_RATE_LIMIT_PER_SESSION": "100000/minute",
        # Telegram and SMS/WhatsApp on, against local fakes of their APIs (tests/e2e/messaging_fakes.py).
        **messaging_platforms.env,
    }
    commands = {
        "api": [str(ROOT / ".venv/bin/trygg"), "serve"],
        "actions": [str(ROOT / ".venv-rasa/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
                    "--port", str(action_port)],
        "rasa": [str(ROOT / ".venv-rasa/bin/rasa"), "run", "--model", str(MODEL),
                 "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
                 "--interface", "127.0.0.1", "--port", str(rasa_port)],
    }
    stack = Stack(
        api_url=f"http://127.0.0.1:{api_port}", database_url=database_url, env=env, logs=logs,
        rasa_url=f"http://127.0.0.1:{rasa_port}", action_url=f"http://127.0.0.1:{action_port}",
        tracker_store_url=env["TRACKER_STORE_URL"], commands=commands,
    )
    processes = stack.processes
    try:
        for name in commands:
            stack.start(name)
        wait_for(f"http://127.0.0.1:{api_port}/healthz", processes["api"], 180, logs / "api.log")
        wait_for(f"http://127.0.0.1:{action_port}/health", processes["actions"], 300, logs / "actions.log")
        wait_for(f"http://127.0.0.1:{rasa_port}/", processes["rasa"], 600, logs / "rasa.log")  # busy machine
        yield stack
    finally:
        stop(list(processes.values()))


@pytest.fixture(scope="session")
def demo_url(stack: Stack) -> str:
    """The demo page (/) of the stack's API: the chat widget on it talks to the real gateway, Rasa and actions."""
    return f"{stack.api_url}/"
