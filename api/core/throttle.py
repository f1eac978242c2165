"""Slowing down password guessing: failed staff logins are counted per username and per client address.

After `max_per_user` failures for one username (or `max_per_ip` from one address) inside the window, further
attempts for it are refused with 429 until the oldest failure leaves the window; a correct password does not help
while locked, so guessing cannot continue. A successful login clears the username's count.

Counting uses the `limits` library's moving window, like the chat's rate limits (api/core/rate_limit.py): in memory
by default (one API process); with `REDIS_URL` set the counts live in Redis, so every API worker and host sees the
same failures.
"""

import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

NAMESPACE = "trygg-login"


class LoginThrottle:
    """Failed-login counter per username (case-insensitive) and per address."""

    def __init__(self, *, max_per_user: int, max_per_ip: int, window_seconds: int, redis_url: str = "") -> None:
        self._items = {
            "user": RateLimitItemPerSecond(max_per_user, window_seconds),
            "ip": RateLimitItemPerSecond(max_per_ip, window_seconds),
        }
        self._limiter = MovingWindowRateLimiter(storage_from_string(redis_url or "memory://"))

    @staticmethod
    def _keys(username: str, ip: str) -> list[tuple[str, str]]:
        return [("user", username.strip().casefold()), ("ip", ip)]

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds until this username may be tried again from this address; 0 when it may be tried now."""
        wait = 0
        for kind, key in self._keys(username, ip):
            item = self._items[kind]
            if not self._limiter.test(item, NAMESPACE, kind, key):
                reset = self._limiter.get_window_stats(item, NAMESPACE, kind, key).reset_time
                wait = max(wait, max(1, math.ceil(reset - time.time())))
        return wait

    def failed(self, username: str, ip: str) -> None:
        for kind, key in self._keys(username, ip):
            self._limiter.hit(self._items[kind], NAMESPACE, kind, key)

    def succeeded(self, username: str) -> None:
        self._limiter.clear(self._items["user"], NAMESPACE, "user", username.strip().casefold())
