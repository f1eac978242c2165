"""What both messaging connectors do with a resident's message: limit, understand numbered answers, let Rasa
answer, then hand the replies to the channel to send.

The webhook answers the platform at once and the conversation turn runs as a background task (Twilio gives up after
15 seconds, Telegram retries slow webhooks). Replies are collected first and sent when the turn is done, in order,
so a channel can pack them (SMS) and knows the resident's language; the 112 reply, when there is one, is the first.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.channels.rate_limit import SenderRateLimiter, Verdict
from bot.channels.replies import last_choices, resolve_answer

logger = logging.getLogger(__name__)

MESSAGES_FILE = Path(__file__).with_name("messages.yml")

Messages = list[dict[str, Any]]
Send = Callable[[Messages, str], Awaitable[None]]


@lru_cache
def connector_messages() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    return data


def connector_message(key: str, language: str) -> Messages:
    variants = connector_messages()[key]
    return [{"text": variants.get(language) or variants["sv"]}]


class ChannelCollector(CollectingOutputChannel):
    """Collects Rasa's replies under the channel's own name (so channel-specific responses would apply)."""

    def __init__(self, channel_name: str) -> None:
        super().__init__()
        self.channel_name = channel_name

    def name(self) -> str:  # type: ignore[override]
        return self.channel_name


@dataclass(frozen=True)
class Incoming:
    """One resident message, already stripped of the platform's address (`sender_id` is pseudonymous)."""

    sender_id: str
    text: str  # empty for a message without text (a photo, a sticker, a voice message)
    channel: str  # what the concern is stored with: "telegram", "sms" or "whatsapp"


def language_of(tracker: DialogueStateTracker | None) -> str:
    return "en" if tracker is not None and tracker.get_slot("language") == "en" else "sv"


def events_since_last_user_message(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    if tracker is None:
        return []
    recent = []
    for event in reversed(tracker.events):
        recent.append(event.as_dict())
        if isinstance(event, UserUttered):
            break
    return list(reversed(recent))


class MessagingFlow:
    """The shared part of a messaging connector; `input_channel` is Rasa's name for it ("telegram", "twilio")."""

    def __init__(self, input_channel: str, limiter: SenderRateLimiter) -> None:
        self.input_channel = input_channel
        self.limiter = limiter
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Waits for turns still running (server shutdown)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=30)

    async def handle(
        self,
        app: Sanic,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        incoming: Incoming,
        send: Send,
    ) -> None:
        tracker_store = app.ctx.agent.tracker_store
        language = "sv"
        try:
            verdict = await self.limiter.check(incoming.sender_id)
            if verdict is Verdict.DROP:
                return
            tracker = await tracker_store.retrieve(incoming.sender_id)
            language = language_of(tracker)
            if verdict is Verdict.SLOW_DOWN or not incoming.text.strip():
                key = "slow_down" if verdict is Verdict.SLOW_DOWN else "text_only"
                await send(connector_message(key, language), language)
                return
            text = resolve_answer(incoming.text, last_choices(events_since_last_user_message(tracker)))
            collector = ChannelCollector(self.input_channel)
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    incoming.sender_id,
                    input_channel=self.input_channel,
                    metadata={"channel": incoming.channel},
                )
            )
            language = language_of(await tracker_store.retrieve(incoming.sender_id))
            await send(collector.messages, language)
        except Exception:
            # No sender id or text in the log: both are personal data.
            logger.exception("%s: a message could not be handled", self.input_channel)
            try:
                await send(connector_message("failed", language), language)
            except Exception:
                logger.exception("%s: could not even send the error reply", self.input_channel)
