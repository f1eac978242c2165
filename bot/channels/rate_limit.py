"""Per-sender limits on the messaging channels: a fixed one-minute window, counted in Redis when LOCK_STORE_URL is
set (the Redis every Rasa instance already shares) and in this process otherwise (enough for a single instance).

Over the limit the resident gets one reply telling them to slow down (with 112 for emergencies); further messages
in the same minute get no reply, because every SMS we send costs money and a flood must not make us send a flood.
"""

import enum
import logging
import time
from collections import OrderedDict

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
MAX_LOCAL_SENDERS = 100_000  # the in-process table forgets the oldest windows beyond this


class Verdict(enum.Enum):
    ALLOW = "allow"
    SLOW_DOWN = "slow_down"  # the first message over the limit: tell the resident
    DROP = "drop"  # later messages in the same window


def verdict(count: int, limit: int) -> Verdict:
    if count <= limit:
        return Verdict.ALLOW
    return Verdict.SLOW_DOWN if count == limit + 1 else Verdict.DROP


class SenderRateLimiter:
    """Counts messages per pseudonymous sender id and window."""

    def __init__(self, limit_per_minute: int, redis_url: str = "", key_prefix: str = "trygg:channel-rate:") -> None:
        self.limit = limit_per_minute
        self.key_prefix = key_prefix
        self._redis = redis_asyncio.from_url(redis_url) if redis_url else None
        self._local: OrderedDict[str, int] = OrderedDict()

    async def check(self, sender_id: str, now: float | None = None) -> Verdict:
        window = int((time.time() if now is None else now) // WINDOW_SECONDS)
        key = f"{self.key_prefix}{sender_id}:{window}"
        return verdict(await self._count(key), self.limit)

    async def _count(self, key: str) -> int:
        if self._redis is not None:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    count, _ = await pipe.incr(key).expire(key, WINDOW_SECONDS * 2).execute()
                return int(count)
            except RedisError:
                # Losing the limit for a while is better than losing residents' messages.
                logger.warning("channel rate limit: Redis unreachable, counting in this process")
        count = self._local.pop(key, 0) + 1
        self._local[key] = count
        while len(self._local) > MAX_LOCAL_SENDERS:
            self._local.popitem(last=False)
        return count

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.close()
