"""The action server's only client of our API: submitting a consented concern, exactly once."""

import asyncio
import logging
from typing import Any

import httpx

from actions.config import ActionSettings, get_settings

logger = logging.getLogger(__name__)


class ConcernNotSaved(Exception):
    """The API refused or could not be reached after every attempt."""


async def submit_concern(payload: dict[str, Any], settings: ActionSettings | None = None) -> dict[str, Any]:
    """POST the concern with its idempotency key, retrying with backoff on network errors and 5xx."""
    settings = settings or get_settings()
    headers = {"Authorization": f"Bearer {settings.service_token.get_secret_value()}"}
    last_error: Exception | None = None
    async with httpx.AsyncClient(timeout=settings.api_timeout_seconds) as client:
        for attempt in range(settings.api_attempts):
            try:
                response = await client.post(settings.concerns_url, json=payload, headers=headers)
            except httpx.TransportError as error:
                last_error = error
            else:
                if response.status_code < 500:
                    if response.is_success:
                        result: dict[str, Any] = response.json()
                        return result
                    # 4xx will not get better by retrying: the payload or the token is wrong.
                    raise ConcernNotSaved(f"API answered {response.status_code}: {response.text[:200]}")
                last_error = ConcernNotSaved(f"API answered {response.status_code}")
            if attempt + 1 < settings.api_attempts:
                await asyncio.sleep(0.5 * 2**attempt)
    logger.warning("concern not delivered after %s attempts: %s", settings.api_attempts, last_error)
    raise ConcernNotSaved(str(last_error))
