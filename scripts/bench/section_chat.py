# venv: api
# budget: 780
"""Dialogue bench: cold starts and peak memory of the three services, NLU parse latency, and chat turn latency
of simulated residents against our stack and, side by side in the same run, a stock Rasa 3.6 project.

Our stack is what `make run` starts: the API (1 uvicorn worker, SQLite), the action server and Rasa (1 Sanic
worker, our model, our endpoints.yml: scrubbing SQL tracker store on a SQLite file, in-memory lock). Residents talk
to POST /api/v1/chat. The stock project is `rasa init --no-prompt` (see stock.py), also 1 Sanic worker on the same
machine, in-memory tracker store; residents talk to its REST channel. Rounds alternate which bot goes first.
Environment knobs (for development; `make bench` uses the defaults): BENCH_ROUNDS, BENCH_LOAD_SECONDS, and
BENCH_REUSE_STOCK=1 to reuse the stock project of an earlier run instead of making it again.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from scripts.bench import residents as sim
from scripts.bench.messages import sample_messages
from scripts.bench.procs import API_PYTHON, RASA_BIN, ROOT, WORK, Service, base_env, free_port, start, stop_all
from scripts.bench.stats import median_range, percentile, table
from scripts.bench.stock import make_stock_project, stock_model

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Seconds of load per concurrency level and round (each bot).
LOAD_SECONDS = {1: 10.0, 10: 12.0, 50: 15.0}
LOAD_SECONDS = {level: float(os.environ.get("BENCH_LOAD_SECONDS", seconds)) for level, seconds in LOAD_SECONDS.items()}
THINK_SECONDS = (0.5, 1.5)  # a resident reads and types between turns (not counted in the latency)
# A conversation under way when a load run ends may finish within this (ours has 8–11 turns).
GRACE_SECONDS = 30.0
NLU_MESSAGES = 1000
RATIO_TARGET = 1.5
LOGS = ROOT / "reports" / "bench-logs" / "chat"


def log(message: str) -> None:
    print(f"[chat] {message}", file=sys.stderr, flush=True)


def start_ours(work: Path, auth_token: str, services: dict[str, Service]) -> tuple[str, str]:
    """API, action server and Rasa, one after the other so each cold start is measured alone.

    Each is added to `services` as soon as it starts, so the caller stops it even if a later one fails.
    """
    api_port, rasa_port, action_port = free_port(), free_port(), free_port()
    env = base_env(
        ENVIRONMENT="test",
        DATABASE_URL=f"sqlite:///{work / 'api.db'}",
        API_PORT=str(api_port),
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        SECRET_KEY=secrets.token_urlsafe(48),
        SERVICE_TOKEN=secrets.token_urlsafe(48),
        CONVERSATION_HASH_SALT=secrets.token_urlsafe(48),
        ACTION_SERVER_TOKEN=secrets.token_urlsafe(48),
        TRACKER_STORE_URL=f"sqlite:///{work / 'tracker.db'}",
        OUTBOX_DIR=str(work / "outbox"),
        # The flood limits are per address and per conversation; every simulated resident comes from 127.0.0.1 and
        # answers faster than a person, so the limits are lifted for the bench (they are not what it measures).
        CHAT_RATE_LIMIT_PER_IP="1000000/minute",
        CHAT_RATE_LIMIT_PER_SESSION="1000000/minute",
    )
    services["api"] = start("api", [str(API_PYTHON), "-m", "api.cli", "serve"], env, LOGS)
    services["api"].wait_ready(f"http://127.0.0.1:{api_port}/healthz", 300)
    services["actions"] = start(
        "actions", [str(RASA_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
        env, LOGS)
    services["actions"].wait_ready(f"http://127.0.0.1:{action_port}/health", 300)
    services["rasa"] = start(
        "rasa", [str(RASA_BIN / "rasa"), "run", "--model", "models/bot.tar.gz", "--endpoints", "bot/endpoints.yml",
                 "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port),
                 "--enable-api", "--auth-token", auth_token],
        env, LOGS)
    services["rasa"].wait_ready(f"http://127.0.0.1:{rasa_port}/", 1200)
    return f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{rasa_port}"


def start_stock(model: Path, services: dict[str, Service]) -> str:
    port = free_port()
    service = services["stock-rasa"] = start(
        "stock-rasa", [str(RASA_BIN / "rasa"), "run", "--model", str(model), "--interface", "127.0.0.1",
                       "--port", str(port)],
        base_env(), LOGS, cwd=model.parent.parent)
    service.wait_ready(f"http://127.0.0.1:{port}/", 900)
    return f"http://127.0.0.1:{port}"


async def nlu_latencies(rasa_url: str, token: str, messages: list[str]) -> list[float]:
    """Parse every message once, one at a time, through Rasa's /model/parse (NLU only, no dialogue)."""
    latencies = []
    async with httpx.AsyncClient(timeout=60) as client:
        for text in messages:
            started = time.perf_counter()
            response = await client.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": text})
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)
    return latencies


def our_conversations(api_url: str, seed: int) -> sim.NextConversation:
    send, rng = sim.gateway(api_url), random.Random(seed)

    async def one(client: httpx.AsyncClient, deadline: float) -> sim.Conversation:
        return await sim.converse(client, send, sim.random_resident(rng), deadline, THINK_SECONDS)

    return one


def stock_conversations(rasa_url: str, seed: int) -> sim.NextConversation:
    send, rng = sim.rest_channel(rasa_url), random.Random(seed)

    async def one(client: httpx.AsyncClient, deadline: float) -> sim.Conversation:
        return await sim.converse_script(client, send, sim.moodbot_resident(rng), deadline, THINK_SECONDS,
                                         random.Random(rng.random()))

    return one


def main() -> None:
    auth_token = secrets.token_urlsafe(24)
    services: dict[str, Service] = {}
    with tempfile.TemporaryDirectory(prefix="chat-", dir=WORK) as folder:
        try:
            log("stock project: rasa init --no-prompt (trains it)")
            if os.environ.get("BENCH_REUSE_STOCK") != "1" or stock_model() is None:
                make_stock_project()
            model = stock_model()
            assert model is not None
            log("starting our stack")
            api_url, rasa_url = start_ours(Path(folder), auth_token, services)
            log("starting stock Rasa")
            stock_url = start_stock(model, services)
            report = asyncio.run(measure(api_url, rasa_url, stock_url, auth_token))
            memory = {name: service.peak_rss_mb() for name, service in services.items()}
            starts = {name: service.cold_start_seconds for name, service in services.items()}
        finally:
            stop_all(list(services.values()))
    print(render(report, memory, starts))


async def measure(api_url: str, rasa_url: str, stock_url: str, token: str) -> dict[str, object]:
    # Warm up both bots (first-turn model and JIT costs are not what a resident usually meets).
    async with httpx.AsyncClient(timeout=120) as client:
        for resident in sim.residents(2, seed=1):
            await sim.converse(client, sim.gateway(api_url), resident)
        await sim.converse_script(client, sim.rest_channel(stock_url), ["hello", "I am sad", "yes", "bye"])
    messages = sample_messages(NLU_MESSAGES)
    nlu_rounds = []
    for number in range(ROUNDS):
        log(f"NLU round {number + 1}")
        nlu_rounds.append(await nlu_latencies(rasa_url, token, messages))
    loads: dict[tuple[str, int], list[sim.LoadResult]] = {}
    for level in LOAD_SECONDS:
        for number in range(ROUNDS):
            bots = [("ours", our_conversations(api_url, number)), ("stock", stock_conversations(stock_url, number))]
            if number % 2:
                bots.reverse()
            for name, conversations in bots:
                log(f"load {name} x{level} round {number + 1}")
                result = await sim.load(conversations, level, LOAD_SECONDS[level], THINK_SECONDS[1], seed=number,
                                        grace_seconds=GRACE_SECONDS)
                loads.setdefault((name, level), []).append(result)
    return {"nlu": nlu_rounds, "messages": len(messages), "loads": loads}


def _ms(values: list[float], digits: int = 0) -> str:
    return median_range([value * 1000 for value in values], digits)


def render(report: dict[str, object], memory: dict[str, float], starts: dict[str, float | None]) -> str:
    nlu: list[list[float]] = report["nlu"]  # type: ignore[assignment]
    loads: dict[tuple[str, int], list[sim.LoadResult]] = report["loads"]  # type: ignore[assignment]
    lines = [
        "## Dialogue: NLU, chat turns under load, cold start and memory",
        "",
        f"Our stack: API (1 uvicorn worker, SQLite) → Rasa 3.6 (1 Sanic worker, our model, scrubbing SQL tracker "
        f"store on SQLite, in-memory lock) → action server → API. Stock: `rasa init --no-prompt` mood bot, 1 Sanic "
        f"worker, in-memory tracker store, its REST channel. Same machine, loopback, {ROUNDS} rounds per figure "
        f"(median (min–max) over rounds), bots alternating who goes first.",
        "",
        f"### NLU parse latency ({report['messages']} varied messages, one at a time, via Rasa's `/model/parse`)",
        "",
        table(["", "p50 (ms)", "p95 (ms)", "mean (ms)"], [[
            "our NLU pipeline",
            _ms([percentile(r, 0.5) for r in nlu], 1), _ms([percentile(r, 0.95) for r in nlu], 1),
            _ms([statistics.fmean(r) for r in nlu], 1),
        ]]),
        "",
        "### Chat turn latency, simulated residents running whole conversations",
        "",
        "Each resident runs conversations back to back for "
        + ", ".join(f"{seconds:.0f} s at {level}" for level, seconds in LOAD_SECONDS.items())
        + f" concurrent (a conversation under way may then finish within {GRACE_SECONDS:.0f} s more), pausing "
        f"{THINK_SECONDS[0]}–{THINK_SECONDS[1]} s between turns to read and type (not counted). "
        "Ours: opening, concern in own words, the form's questions, summary, consent (4 in 5 say yes), goodbye, "
        "through `POST /api/v1/chat`. Stock: the mood bot's 3–4-turn conversations through `/webhooks/rest/webhook`.",
        "",
    ]
    rows = []
    for (name, level), results in sorted(loads.items(), key=lambda item: (item[0][1], item[0][0])):
        errors = sum(len(r.errors) for r in results)
        outcomes: dict[str, int] = {}
        for result in results:
            for outcome, count in result.outcomes.items():
                outcomes[outcome] = outcomes.get(outcome, 0) + count
        rows.append([
            f"{name}, {level} concurrent",
            _ms([percentile(r.latencies, 0.5) for r in results]),
            _ms([percentile(r.latencies, 0.95) for r in results]),
            median_range([r.turns / r.seconds for r in results]),
            sum(r.turns for r in results),
            errors,
            ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
        ])
    lines.append(table(["bot, load", "p50 (ms)", "p95 (ms)", "turns/s", "turns", "errors", "conversations"], rows))
    lines += ["", "### Ratio our p95 / stock p95", ""]
    ratio_rows = []
    for level in LOAD_SECONDS:
        ours = [percentile(r.latencies, 0.95) for r in loads.get(("ours", level), [])]
        stock = [percentile(r.latencies, 0.95) for r in loads.get(("stock", level), [])]
        ratios = [o / s for o, s in zip(ours, stock, strict=False) if s > 0]
        target = ""
        if level == 10:
            target = "target ≤ 1.5: " + ("**met**" if ratios and statistics.median(ratios) <= RATIO_TARGET
                                          else "**not met**")
        if level == 50:
            errors = sum(len(r.errors) for r in loads.get(("ours", 50), []))
            target = "target zero errors: " + ("**met**" if errors == 0 else f"**not met** ({errors} errors)")
        ratio_rows.append([f"{level} concurrent", median_range(ratios, 2), target])
    lines.append(table(["load", "ratio (per round, median (min–max))", ""], ratio_rows))
    first_errors = sorted({e for results in loads.values() for r in results for e in r.errors})[:5]
    if first_errors:
        lines += ["", "First errors: " + "; ".join(f"`{e[:160]}`" for e in first_errors)]
    lines += [
        "",
        "### Cold start and peak memory (one start each)",
        "",
        "Cold start: process start until its health URL answers (Rasa: model loaded). Peak memory: VmHWM, the "
        "process's peak resident set, at the end of the run.",
        "",
        table(["service", "cold start (s)", "peak RSS (MiB)"], [
            [name, f"{starts[name]:.1f}" if starts.get(name) is not None else "–", f"{memory[name]:.0f}"]
            for name in memory
        ]),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
