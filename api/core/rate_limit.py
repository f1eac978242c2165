"""Rate limits on the residents' chat gateway: per conversation and per client address.

The gateway is the only public way into the bot, so it is where floods are stopped: one conversation may not
send more than `CHAT_RATE_LIMIT_PER_SESSION` messages, one address not more than `CHAT_RATE_LIMIT_PER_IP`
(limits' notation, e.g. "20/minute;200/hour"). Over the limit the answer is 429 with Retry-After.

Counting uses the `limits` library's moving window. In memory by default (one API process); with `REDIS_URL`
set, the counters live in Redis so several API workers and hosts share them.
"""

import math
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request, status
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from api.core import messages
from api.core.config import Settings
from api.core.security import is_valid_chat_session_id

NAMESPACE = "trygg-chat"


@dataclass(frozen=True)
class RateLimited(Exception):
    """The caller is over a limit; try again after `retry_after` seconds."""

    retry_after: int


class ChatRateLimiter:
    """Counts chat messages per session id and per client address."""

    def __init__(self, *, per_session: str, per_ip: str, redis_url: str = "") -> None:
        self.per_session: list[RateLimitItem] = parse_many(per_session) if per_session.strip() else []
        self.per_ip: list[RateLimitItem] = parse_many(per_ip) if per_ip.strip() else []
        self._limiter = MovingWindowRateLimiter(storage_from_string(redis_url or "memory://"))

    def hit(self, *, ip: str | None, session_id: str | None) -> None:
        """Count one message; raises RateLimited (and counts nothing) when any limit is reached."""
        checks = [(item, "ip", ip) for item in self.per_ip if ip]
        checks += [(item, "session", session_id) for item in self.per_session if session_id]
        for item, kind, key in checks:
            if not self._limiter.test(item, NAMESPACE, kind, key):
                raise RateLimited(self._retry_after(item, kind, key))
        for item, kind, key in checks:
            if not self._limiter.hit(item, NAMESPACE, kind, key):  # lost a race with a parallel request
                raise RateLimited(self._retry_after(item, kind, key))

    def _retry_after(self, item: RateLimitItem, kind: str, key: str) -> int:
        reset = self._limiter.get_window_stats(item, NAMESPACE, kind, key).reset_time
        return max(1, math.ceil(reset - time.time()))


async def enforce_chat_rate_limits(request: Request, settings: Settings, session_id: str | None) -> None:
    """Count this chat request; 429 with Retry-After when the address or the conversation is over its limit.

    Only a genuine (signed) session id counts as a conversation: made-up ids are refused anyway and are
    caught by the per-address limit.
    """
    limiter: ChatRateLimiter = request.app.state.chat_limiter
    genuine = session_id if session_id and is_valid_chat_session_id(settings, session_id) else None
    try:
        # Redis calls block: keep them off the event loop.
        await run_in_threadpool(limiter.hit, ip=request.client.host if request.client else None, session_id=genuine)
    except RateLimited as limited:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=messages.RATE_LIMITED.format(seconds=limited.retry_after),
            headers={"Retry-After": str(limited.retry_after)},
        ) from None
