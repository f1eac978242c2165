"""Per-sender limits on the messaging channels: a sliding one-minute window, kept in Redis when LOCK_STORE_URL is
set (the Redis every Rasa instance already shares) and in this process otherwise (enough for a single instance).

Over the limit the resident gets one reply telling them to slow down (with 112 for emergencies); further messages
get no reply until the window has room again, because every SMS we send costs money and a flood must not make us
send a flood. The window slides rather than restarting on the minute: a burst across a minute boundary is still one
burst (a fixed window let twice the limit through and never said "slow down").
"""

import enum
import logging
import time
import uuid
from collections import OrderedDict, deque

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
MAX_LOCAL_SENDERS = 100_000  # the in-process table forgets the least recently seen senders beyond this

# The answered messages of the last window are kept as timestamps (at most `limit` of them); the last slow-down
# reply as one more. Dropped messages are not recorded, so a flood costs no memory and the sender is answered again
# as soon as the window has room. Atomic, so two Rasa instances cannot both answer the last slot.
_SLIDING_WINDOW_SCRIPT = """
local answered, slowed = KEYS[1], KEYS[2]
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl = math.ceil(window)
redis.call('ZREMRANGEBYSCORE', answered, '-inf', now - window)
if redis.call('ZCARD', answered) < limit then
  redis.call('ZADD', answered, now, ARGV[4])
  redis.call('EXPIRE', answered, ttl)
  return 'allow'
end
local last = tonumber(redis.call('GET', slowed))
if last == nil or last <= now - window then
  redis.call('SET', slowed, ARGV[1], 'EX', ttl)
  return 'slow_down'
end
return 'drop'
"""


class Verdict(enum.Enum):
    ALLOW = "allow"
    SLOW_DOWN = "slow_down"  # the first message over the limit in a window: tell the resident
    DROP = "drop"  # later messages while the window is full


class _LocalWindow:
    __slots__ = ("answered", "slowed_at")

    def __init__(self) -> None:
        self.answered: deque[float] = deque()
        self.slowed_at = float("-inf")


class SenderRateLimiter:
    """Counts messages per pseudonymous sender id over the last WINDOW_SECONDS."""

    def __init__(self, limit_per_minute: int, redis_url: str = "", key_prefix: str = "trygg:channel-rate:") -> None:
        self.limit = limit_per_minute
        self.key_prefix = key_prefix
        self._redis = redis_asyncio.from_url(redis_url) if redis_url else None
        self._script = self._redis.register_script(_SLIDING_WINDOW_SCRIPT) if self._redis is not None else None
        self._local: OrderedDict[str, _LocalWindow] = OrderedDict()

    async def check(self, sender_id: str, now: float | None = None) -> Verdict:
        now = time.time() if now is None else now
        if self._script is not None:
            try:
                keys = [f"{self.key_prefix}{sender_id}", f"{self.key_prefix}{sender_id}:slowed"]
                result = await self._script(keys=keys, args=[repr(now), WINDOW_SECONDS, self.limit, uuid.uuid4().hex])
                return Verdict(result.decode() if isinstance(result, bytes) else result)
            except RedisError:
                # Losing the limit for a while is better than losing residents' messages.
                logger.warning("channel rate limit: Redis unreachable, counting in this process")
        return self._check_locally(sender_id, now)

    def _check_locally(self, sender_id: str, now: float) -> Verdict:
        window = self._local.pop(sender_id, None) or _LocalWindow()
        self._local[sender_id] = window
        while len(self._local) > MAX_LOCAL_SENDERS:
            self._local.popitem(last=False)
        while window.answered and window.answered[0] <= now - WINDOW_SECONDS:
            window.answered.popleft()
        if len(window.answered) < self.limit:
            window.answered.append(now)
            return Verdict.ALLOW
        if window.slowed_at <= now - WINDOW_SECONDS:
            window.slowed_at = now
            return Verdict.SLOW_DOWN
        return Verdict.DROP

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.close()
