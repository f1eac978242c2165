# venv: api
# budget: 300
"""API ingest throughput: POST /api/v1/concerns with the service token, on SQLite and on PostgreSQL.

What the action server does for every consented concern: the API scrubs it, matches the place to an area,
classifies its themes and stores it. The API runs as `trygg serve` (1 uvicorn worker) on a fresh database;
CLIENTS concurrent senders post CONCERNS concerns per round. PostgreSQL is the server on 127.0.0.1:5432
(BENCH_POSTGRES_ADMIN_URL), with a database made for the run and dropped after it.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from scripts.bench.procs import API_PYTHON, ROOT, WORK, Service, base_env, free_port, start
from scripts.bench.residents import DESCRIPTIONS, PLACES
from scripts.bench.stats import median_range, table

ROUNDS = 3
CONCERNS = 300
CLIENTS = 8
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
LOGS = ROOT / "reports" / "bench-logs" / "ingest"


@contextmanager
def postgres_database() -> Iterator[str]:
    name = f"trygg_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def concern(rng: random.Random) -> dict[str, object]:
    return {
        "idempotency_key": uuid.uuid4().hex,
        "conversation_id": secrets.token_urlsafe(24),
        "channel": "web",
        "description": rng.choice(DESCRIPTIONS),
        "place": rng.choice(PLACES),
        "time_of_day": rng.choice(["kvall", "natt", "dag", "vet_inte"]),
        "weekday": rng.choice(["helger", "vardagar", "alla_dagar"]),
        "frequency": rng.choice(["dagligen", "varje_vecka", "ibland"]),
        "felt_safety": rng.randint(1, 5),
        "suggestion": rng.choice([None, "Bättre belysning", "Mer vuxna ute på kvällarna"]),
        "consent": True,
    }


async def post_all(api_url: str, token: str, bodies: list[dict[str, object]]) -> tuple[float, int]:
    """Seconds to store all `bodies` with CLIENTS concurrent senders, and how many were not 201."""
    queue: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    failures = 0

    async def sender(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            body = queue.get_nowait()
            try:
                response = await client.post(f"{api_url}/api/v1/concerns", json=body,
                                             headers={"Authorization": f"Bearer {token}"})
            except httpx.HTTPError:  # counted like any answer that is not 201: the run goes on
                failures += 1
            else:
                failures += response.status_code != 201

    async with httpx.AsyncClient(timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(sender(client) for _ in range(CLIENTS)))
        return time.perf_counter() - started, failures


def measure(database_url: str, name: str) -> dict[str, object]:
    port, token = free_port(), secrets.token_urlsafe(48)
    env = base_env(ENVIRONMENT="test", DATABASE_URL=database_url, API_PORT=str(port), SERVICE_TOKEN=token,
                   SECRET_KEY=secrets.token_urlsafe(48), CONVERSATION_HASH_SALT=secrets.token_urlsafe(48))
    service: Service = start(f"api-{name}", [str(API_PYTHON), "-m", "api.cli", "serve"], env, LOGS)
    try:
        service.wait_ready(f"http://127.0.0.1:{port}/healthz", 180)
        rng = random.Random(5)
        url = f"http://127.0.0.1:{port}"
        asyncio.run(post_all(url, token, [concern(rng) for _ in range(20)]))  # warm up
        rates, failures = [], 0
        for _ in range(ROUNDS):
            seconds, failed = asyncio.run(post_all(url, token, [concern(rng) for _ in range(CONCERNS)]))
            rates.append(CONCERNS / seconds)
            failures += failed
        return {"rates": rates, "failures": failures, "rss": service.peak_rss_mb(),
                "cold": service.cold_start_seconds}
    finally:
        service.stop()


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory(prefix="ingest-", dir=WORK) as folder:
        results["SQLite"] = measure(f"sqlite:///{Path(folder) / 'ingest.db'}", "sqlite")
    with postgres_database() as url:
        results["PostgreSQL"] = measure(url, "postgresql")
    rows = [[name, median_range(r["rates"], 0), r["failures"], f"{r['cold']:.1f}", f"{r['rss']:.0f}"]  # type: ignore[str-format]
            for name, r in results.items()]
    print("\n".join([
        "## API ingest: POST /api/v1/concerns",
        "",
        f"`trygg serve` (1 uvicorn worker, migrations run at start) on a fresh database; {CLIENTS} concurrent senders "
        f"post {CONCERNS} consented concerns per round (scrub, area match, theme classification, store), "
        f"{ROUNDS} rounds, median (min–max). Cold start: process start until `/healthz` answers.",
        "",
        table(["database", "concerns/s", "not 201", "API cold start (s)", "API peak RSS (MiB)"], rows),
    ]))


if __name__ == "__main__":
    sys.exit(main())
