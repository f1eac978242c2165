"""Scale-out: two Rasa instances sharing a PostgreSQL tracker store and Redis's lock, the API with two workers.

The deployment docs/deployment.md describes, on loopback: PostgreSQL for the API and for Rasa's tracker store
(bot/tracker_store.py via TRACKER_STORE_URL), Rasa's Redis lock store (bot/lock_store.py via LOCK_STORE_URL),
one action server, two Rasa servers, and `trygg serve --workers 2` whose chat gateway sends each turn to the
next Rasa instance (RASA_URLS). Twenty residents talk at once; the turns of every conversation land on both
instances. The bot must still follow each dialogue (the summary repeats this resident's own words, never
another's) and every consented concern must be stored exactly once.

This starts its own servers (not the shared `stack`: different environment), both Rasa instances in parallel.
"""

import asyncio
import os
import re
import secrets
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from api.models import Concern
from scripts.bench import residents as sim
from tests.servers import ROOT, free_port, stop, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

MODEL = ROOT / "models" / "bot.tar.gz"
CONVERSATIONS = 20
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
# Rasa logs which conversation each instance takes; only that logger is switched to DEBUG, into its own file.
LOCK_LOGGING = """version: 1
disable_existing_loggers: false
formatters:
  plain: {{format: "%(message)s"}}
handlers:
  locks: {{class: logging.FileHandler, filename: "{path}", formatter: plain, level: DEBUG}}
loggers:
  rasa.core.lock_store: {{level: DEBUG, handlers: [locks], propagate: false}}
"""
ACQUIRED = re.compile(r"Acquired lock for conversation '([^']+)'")


@dataclass
class ScaledStack:
    api_url: str
    database_url: str
    lock_logs: list[Path]


@contextmanager
def _postgres_database() -> Iterator[str]:
    """A fresh database on the real PostgreSQL server (its URL without a driver), dropped afterwards."""
    name = f"trygg_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("+psycopg", "") + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledStack]:
    if not MODEL.exists():
        pytest.fail("models/bot.tar.gz is missing: run `make setup` (make test does)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"the scale-out test needs Redis at {REDIS_URL}: {error}")
    logs = tmp_path_factory.mktemp("scale-logs")
    with ExitStack() as cleanup:
        api_database = cleanup.enter_context(_postgres_database())
        tracker_database = cleanup.enter_context(_postgres_database())
        api_port, action_port = free_port(), free_port()
        rasa_ports = [free_port(), free_port()]
        env = {
            **os.environ,
            "ENVIRONMENT": "test",
            "DATABASE_URL": api_database.replace("postgresql://", "postgresql+psycopg://"),
            "API_PORT": str(api_port),
            "ACTION_PORT": str(action_port),
            "RASA_URLS": ",".join(f"http://127.0.0.1:{port}" for port in rasa_ports),
            "TRACKER_STORE_URL": tracker_database,
            "LOCK_STORE_URL": REDIS_URL,
            "LOCK_STORE_KEY_PREFIX": f"scale{uuid.uuid4().hex[:8]}",  # never meets another run's locks
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SERVICE_TOKEN": secrets.token_urlsafe(48),
            "CONVERSATION_HASH_SALT": secrets.token_urlsafe(48),
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(48),
            "OUTBOX_DIR": str(logs / "outbox"),
            # Both API workers count the chat flood limits in Redis, as in production; twenty residents on one
            # loopback address would exceed the per-address limit meant for the internet, so it is raised.
            "REDIS_URL": os.environ.get("TEST_API_REDIS_URL", "redis://127.0.0.1:6379/2"),
            "CHAT_RATE_LIMIT_PER_IP": "100000/minute",
            "RASA_TELEMETRY_ENABLED": "false",
            "SANIC_HOST": "127.0.0.1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        commands = {
            "api": [str(ROOT / ".venv/bin/trygg"), "serve", "--workers", "2"],
            "actions": [str(ROOT / ".venv-rasa/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
                        "--port", str(action_port)],
        }
        lock_logs = []
        for number, port in enumerate(rasa_ports, start=1):
            lock_log = logs / f"rasa{number}-locks.log"
            logging_config = logs / f"rasa{number}-logging.yml"
            logging_config.write_text(LOCK_LOGGING.format(path=lock_log))
            lock_logs.append(lock_log)
            commands[f"rasa{number}"] = [
                str(ROOT / ".venv-rasa/bin/rasa"), "run", "--model", str(MODEL), "--endpoints", "bot/endpoints.yml",
                "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1", "--port", str(port),
                "--logging-config-file", str(logging_config),
            ]
        processes: dict[str, subprocess.Popen[bytes]] = {}
        cleanup.callback(lambda: stop(list(processes.values())))
        for name, command in commands.items():  # all at once: both Rasa instances load their model in parallel
            log = (logs / f"{name}.log").open("wb")
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{api_port}/healthz", processes["api"], 240, logs / "api.log")
        wait_for(f"http://127.0.0.1:{action_port}/health", processes["actions"], 180, logs / "actions.log")
        for number, port in enumerate(rasa_ports, start=1):
            wait_for(f"http://127.0.0.1:{port}/", processes[f"rasa{number}"], 900, logs / f"rasa{number}.log")
        yield ScaledStack(api_url=f"http://127.0.0.1:{api_port}", database_url=env["DATABASE_URL"],
                          lock_logs=lock_logs)


async def _talk(api_url: str, people: list[sim.Resident]) -> list[sim.Conversation]:
    send = sim.gateway(api_url)
    limits = httpx.Limits(max_connections=CONVERSATIONS + 5)
    async with httpx.AsyncClient(timeout=180, limits=limits) as client:
        return await asyncio.gather(*(sim.converse(client, send, person, think_seconds=(0.05, 0.4))
                                      for person in people))


def _stored(database_url: str) -> list[Concern]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Concern)).all())
    engine.dispose()
    return rows


def _turns_per_instance(lock_logs: list[Path]) -> list[Counter[str]]:
    """For each Rasa instance, how many turns of each conversation it took the lock for."""
    return [Counter(ACQUIRED.findall(path.read_text(encoding="utf-8") if path.exists() else "")) for path in lock_logs]


def test_concurrent_conversations_over_two_rasa_instances_stay_consistent(scaled: ScaledStack) -> None:
    people = sim.residents(CONVERSATIONS, seed=20)
    assert len({person.description for person in people}) == CONVERSATIONS
    conversations = asyncio.run(_talk(scaled.api_url, people))

    wrong = []
    for person, conversation in zip(people, conversations, strict=True):
        transcript = "\n".join(f"> {said}\n< {reply}" for said, reply in conversation.transcript)
        # The summary is built from slots set turns earlier, possibly on the other instance: it must be this
        # resident's own description, and no other resident's.
        summary = next((reply for _, reply in conversation.transcript if sim.SUMMARY in reply), "")
        if (conversation.errors or conversation.outcome != ("saved" if person.consents else "declined")
                or person.description not in summary
                or any(other.description in summary for other in people if other is not person)):
            wrong.append(f"{conversation.outcome} {conversation.errors}\n{transcript}")
    assert not wrong, f"{len(wrong)} of {CONVERSATIONS} conversations went wrong:\n\n" + "\n\n".join(wrong)

    # Every turn took the shared lock on the instance that served it. The gateway's round robin runs per API worker,
    # so which instance a conversation's next turn meets depends on the interleaving: most conversations, not
    # necessarily all, meet both instances, and each instance serves a fair share of the turns.
    first, second = _turns_per_instance(scaled.lock_logs)
    split = [(first[c.session_id], second[c.session_id]) for c in conversations if c.session_id]
    assert [a + b for a, b in split] == [len(c.latencies) for c in conversations], split
    on_both = sum(a > 0 and b > 0 for a, b in split)
    assert on_both >= CONVERSATIONS * 3 // 4, f"only {on_both} of {CONVERSATIONS} met both instances: {split}"
    share = sum(a for a, _ in split) / sum(a + b for a, b in split)
    assert 0.3 <= share <= 0.7, f"the first instance served {share:.0%} of the turns"

    # Exactly once: one row per consenting resident, none for those who declined.
    stored = Counter(concern.description for concern in _stored(scaled.database_url))
    expected = Counter(person.description for person in people if person.consents)
    assert stored == expected
