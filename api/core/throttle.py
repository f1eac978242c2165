"""Slowing down password guessing: failed staff logins are counted per username and per client address.

After `max_per_user` failures for one username (or `max_per_ip` from one address) inside the window, further
attempts for it are refused with 429 until the oldest failure leaves the window; a correct password does not help
while locked, so guessing cannot continue. A successful login clears the username's count.

The counts live in the API process (one worker by default, see `trygg serve`): a restart forgets them, and with
several workers each worker counts on its own, which still bounds guessing to workers × limit per window.
"""

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class LoginThrottle:
    """Sliding-window failure counter; thread-safe (sync routes run in a thread pool)."""

    def __init__(self, *, max_per_user: int, max_per_ip: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = {"user": max_per_user, "ip": max_per_ip}
        self._window = window_seconds
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, username: str, ip: str) -> list[tuple[str, str]]:
        return [("user", username.strip().casefold()), ("ip", ip)]

    def _prune(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self._window:
            times.popleft()
        if not times:
            del self._failures[key]
            return deque()
        return times

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds until this username may be tried again from this address; 0 when it may be tried now."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(username, ip):
                times = self._prune(key, now)
                limit = self._limits[key[0]]
                if len(times) >= limit:
                    # Allowed again when the failure that reached the limit leaves the window.
                    wait = max(wait, times[len(times) - limit] + self._window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, username: str, ip: str) -> None:
        now = self._clock()
        with self._lock:
            for key in self._keys(username, ip):
                self._failures[key].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(("user", username.strip().casefold()), None)
