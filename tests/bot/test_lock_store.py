"""The lock store endpoints.yml names: in memory by default, Rasa's Redis store when LOCK_STORE_URL is set."""

import uuid

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.core.utils import AvailableEndpoints, number_of_sanic_workers

from bot.lock_store import EnvLockStore, lock_store_from_env
from tests.servers import ROOT

REDIS_URL = "redis://127.0.0.1:6379/1"


def _redis_available() -> bool:
    try:
        return bool(redis.StrictRedis(host="127.0.0.1", port=6379, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def test_without_lock_store_url_the_lock_is_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(EnvLockStore(endpoint_config=None), InMemoryLockStore)


def test_lock_store_url_is_parsed_into_rasas_redis_store() -> None:
    store = lock_store_from_env({"LOCK_STORE_URL": "redis://:s3cret@10.0.0.7:6380/3", "LOCK_STORE_KEY_PREFIX": "trygg"})
    assert isinstance(store, RedisLockStore)
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]) == ("10.0.0.7", 6380, 3, "s3cret")
    assert store.key_prefix == "trygg:lock:"


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "redis://", "127.0.0.1:6379"])
def test_a_lock_store_url_that_is_not_redis_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        lock_store_from_env({"LOCK_STORE_URL": url})


def test_endpoints_yml_names_the_env_lock_store(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACTION_PORT", "ACTION_SERVER_TOKEN"):  # endpoints.yml substitutes them and fails without them
        monkeypatch.setenv(name, "5055")
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "bot" / "endpoints.yml"))
    assert endpoints.lock_store is not None
    assert endpoints.lock_store.type == "bot.lock_store.EnvLockStore"


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379")
async def test_two_stores_on_one_redis_serialise_the_same_conversation(monkeypatch: pytest.MonkeyPatch) -> None:
    """What two Rasa instances do: the second instance's ticket waits until the first one's turn is done."""
    monkeypatch.setenv("LOCK_STORE_URL", REDIS_URL)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    first, second = EnvLockStore(), EnvLockStore()
    assert isinstance(first, RedisLockStore)
    assert number_of_sanic_workers(first) == 2  # Rasa only allows several workers with a shared lock
    conversation = f"test-{uuid.uuid4().hex}"
    async with first.lock(conversation):
        ticket = second.issue_ticket(conversation)
        assert second.get_lock(conversation).is_locked(ticket)
        second.cleanup(conversation, ticket)
    assert first.get_lock(conversation) is None
