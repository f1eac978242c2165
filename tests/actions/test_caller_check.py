"""Only Rasa on this machine, holding ACTION_SERVER_TOKEN, may call the action server."""

import pytest

from rasa_sdk_plugins import caller_refusal

TOKEN = "a-long-random-action-server-token-for-tests"


@pytest.mark.parametrize(
    ("path", "peer", "token", "status"),
    [
        ("/webhook", "127.0.0.1", TOKEN, None),
        ("/webhook", "::1", TOKEN, None),
        ("/webhook", "127.0.0.1", None, 401),
        ("/webhook", "127.0.0.1", "wrong", 401),
        ("/actions", "127.0.0.1", None, 401),
        ("/webhook", "10.0.0.7", TOKEN, 403),
        ("/webhook", "", TOKEN, 403),
        ("/health", "10.0.0.7", None, None),
    ],
)
def test_caller_refusal(path: str, peer: str, token: str | None, status: int | None) -> None:
    refusal = caller_refusal(path, peer, token, TOKEN)
    assert (refusal[0] if refusal else None) == status


def test_without_a_configured_token_every_call_is_refused() -> None:
    assert caller_refusal("/webhook", "127.0.0.1", "", "") == (401, "missing or wrong X-Action-Token")
