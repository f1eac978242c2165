"""The conversation lock store, chosen from the environment so one endpoints.yml serves every setup.

Rasa serialises the turns of one conversation with a ticket lock. With a single Rasa process (`make run`, the e2e
stack) an in-memory lock is enough. Several Rasa instances (or SANIC_WORKERS > 1) must share the lock, or two
turns of one conversation could be processed at once on different instances and lose events; Rasa Open Source
ships `RedisLockStore` for that. `LOCK_STORE_URL` (redis://[:password@]host:port/db, rediss:// for TLS) switches
to it; `LOCK_STORE_KEY_PREFIX` (letters and digits) separates several bots sharing one Redis.
"""

import os
from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

LOCK_STORE_URL = "LOCK_STORE_URL"
LOCK_STORE_KEY_PREFIX = "LOCK_STORE_KEY_PREFIX"
DEFAULT_REDIS_DB = 1  # Rasa's own default for the lock store


def lock_store_from_env(environ: dict[str, str] | None = None) -> LockStore:
    """RedisLockStore when LOCK_STORE_URL is set, else InMemoryLockStore."""
    environ = dict(os.environ) if environ is None else environ
    url = environ.get(LOCK_STORE_URL, "").strip()
    if not url:
        return InMemoryLockStore()
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"{LOCK_STORE_URL} must look like redis://host:6379/1, got {url!r}")
    return RedisLockStore(
        host=parts.hostname,
        port=parts.port or 6379,
        db=int(parts.path.lstrip("/") or DEFAULT_REDIS_DB),
        username=parts.username or None,
        password=parts.password or None,
        use_ssl=parts.scheme == "rediss",
        key_prefix=environ.get(LOCK_STORE_KEY_PREFIX) or None,
    )


class EnvLockStore(LockStore):
    """`lock_store: type: bot.lock_store.EnvLockStore` in endpoints.yml: builds the store lock_store_from_env picks.

    Rasa instantiates a custom lock store class with `endpoint_config=`; `__new__` hands back Rasa's own store
    instead of wrapping it, so Rasa's checks (`isinstance(..., RedisLockStore)`) see the real class.
    """

    def __new__(cls, *_args: Any, **_kwargs: Any) -> LockStore:  # type: ignore[misc]
        return lock_store_from_env()
