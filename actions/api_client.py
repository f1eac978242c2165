"""The action server's only client of our API: delivering a consented concern exactly once, never losing it.

A concern is POSTed with its idempotency key. If the API cannot take it (network error or 5xx after a short retry),
it is written to an on-disk outbox (`OUTBOX_DIR`, one JSON file per idempotency key) and delivered later by a
background flush loop; the API's idempotency key makes a repeated delivery harmless. A 4xx answer means the
payload itself is wrong: it goes to `OUTBOX_DIR/rejected/` for an operator instead of being retried forever.
"""

import asyncio
import json
import logging
import os
import ssl
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx

from actions.config import ActionSettings, get_settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    # httpx builds a new SSL context (loading every CA certificate) for each client: that was most of an action's
    # time per turn. One context, made once, serves every client.
    return ssl.create_default_context()


def api_client(timeout: float) -> httpx.AsyncClient:
    """An HTTP client for calls to our API (short-lived; shares the process's TLS context)."""
    return httpx.AsyncClient(timeout=timeout, verify=_tls_context())


class ConcernNotSaved(Exception):
    """The concern could neither be delivered nor written to the outbox."""


class _Rejected(Exception):
    """The API refused the payload (4xx): retrying will not help."""


async def _post(client: httpx.AsyncClient, settings: ActionSettings, payload: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {settings.service_token.get_secret_value()}"}
    response = await client.post(settings.concerns_url, json=payload, headers=headers)
    if response.is_success:
        return
    if response.status_code < 500:
        raise _Rejected(f"API answered {response.status_code}: {response.text[:300]}")
    raise httpx.HTTPStatusError(f"API answered {response.status_code}", request=response.request, response=response)


async def _deliver(payload: dict[str, Any], settings: ActionSettings) -> None:
    """Try to deliver now, with a short backoff; raises on failure."""
    async with api_client(settings.api_timeout_seconds) as client:
        for attempt in range(settings.api_attempts):
            try:
                await _post(client, settings, payload)
                return
            except (httpx.TransportError, httpx.HTTPStatusError):
                if attempt + 1 == settings.api_attempts:
                    raise
                await asyncio.sleep(0.3 * 2**attempt)


def _write_atomically(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def outbox_files(settings: ActionSettings) -> list[Path]:
    return sorted(Path(settings.outbox_dir).glob("*.json"))


async def submit_concern(payload: dict[str, Any], settings: ActionSettings | None = None) -> str:
    """Deliver the concern, or keep it in the outbox. Returns "delivered" or "queued"."""
    settings = settings or get_settings()
    ensure_flusher(settings)
    try:
        await _deliver(payload, settings)
        return "delivered"
    except _Rejected as error:
        logger.error("API rejected concern %s: %s", payload["idempotency_key"], error)
        target = Path(settings.outbox_dir) / "rejected" / f"{payload['idempotency_key']}.json"
    except (httpx.TransportError, httpx.HTTPStatusError) as error:
        logger.warning("API unreachable, concern %s kept in outbox: %s", payload["idempotency_key"], error)
        target = Path(settings.outbox_dir) / f"{payload['idempotency_key']}.json"
    try:
        _write_atomically(target, payload)
    except OSError as error:
        raise ConcernNotSaved(str(error)) from error
    return "queued"


async def flush_outbox(settings: ActionSettings | None = None) -> int:
    """Deliver what waits in the outbox; returns how many were delivered."""
    settings = settings or get_settings()
    delivered = 0
    for path in outbox_files(settings):
        payload = json.loads(path.read_text(encoding="utf-8"))
        try:
            await _deliver(payload, settings)
        except _Rejected as error:
            logger.error("API rejected queued concern %s: %s", path.stem, error)
            (path.parent / "rejected").mkdir(exist_ok=True)
            os.replace(path, path.parent / "rejected" / path.name)
            continue
        except (httpx.TransportError, httpx.HTTPStatusError):
            break  # still down; try again on the next round
        path.unlink()
        delivered += 1
    if delivered:
        logger.info("delivered %s queued concern(s) from the outbox", delivered)
    return delivered


async def classify_text(text: str, settings: ActionSettings | None = None) -> dict[str, Any] | None:
    """The API's theme suggestion for a description, or None when it cannot answer quickly (then the bot
    simply does not propose themes; nothing depends on it). The bot says themes back, never the evidence words,
    so it does not ask for them (they cost a rescoring per word)."""
    settings = settings or get_settings()
    headers = {"Authorization": f"Bearer {settings.service_token.get_secret_value()}"}
    try:
        async with api_client(settings.classify_timeout_seconds) as client:
            body = {"text": text[:4000], "evidence": False}
            response = await client.post(settings.classify_url, json=body, headers=headers)
    except httpx.HTTPError as error:
        logger.warning("theme suggestion unavailable: %s", error)
        return None
    if not response.is_success:
        logger.warning("theme suggestion unavailable: API answered %s", response.status_code)
        return None
    result: dict[str, Any] = response.json()
    return result


_flusher: asyncio.Task[None] | None = None


async def _flush_forever(settings: ActionSettings) -> None:
    while True:
        try:
            await flush_outbox(settings)
        except Exception:  # noqa: BLE001 - the loop must survive anything and try again later
            logger.exception("outbox flush failed")
        await asyncio.sleep(settings.outbox_flush_seconds)


def ensure_flusher(settings: ActionSettings | None = None) -> None:
    """Start the background flush loop in the running event loop (once per process)."""
    global _flusher
    if _flusher is None or _flusher.done():
        _flusher = asyncio.get_running_loop().create_task(_flush_forever(settings or get_settings()))
