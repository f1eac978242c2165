"""Telegram through Rasa's Telegram connector, with what it lacks for this service.

Rasa's TelegramInput calls setWebhook with asyncio.run() while the channel is built (so Rasa cannot start without
reaching Telegram), checks every update by calling getMe, never checks Telegram's secret-token header, has a fixed
API address and gives Rasa the chat id as the conversation id. This subclass:
- checks X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token) and refuses updates without it;
- registers the webhook (with the secret) only when TELEGRAM_WEBHOOK_URL is set, after the server has started;
- talks to TELEGRAM_API_URL (a local fake in the tests);
- gives Rasa a pseudonymous conversation id (bot/channels/sender.py), never the chat id;
- answers button presses (answerCallbackQuery, then removes the answered keyboard) and sends buttons as an
  inline keyboard.
It is off (webhook absent) when TELEGRAM_BOT_TOKEN is not set.
"""

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.bot.api import TelegramAPIServer
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.conversation import Incoming, Messages, MessagingFlow
from bot.channels.rate_limit import SenderRateLimiter
from bot.channels.replies import telegram_buttons
from bot.channels.sender import pseudonymous_id
from bot.channels.settings import ChannelSettings, get_settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
CHANNEL = "telegram"
MAX_INLINE_ROW = 3  # more buttons than this, or long titles, go one per row
START_COMMAND = "/start"  # what Telegram sends when someone opens the bot: greet them


class TelegramReplies(TelegramOutput):
    """Rasa's Telegram output (an aiogram Bot) pointed at a configurable Bot API address."""

    def __init__(self, access_token: str, api_url: str) -> None:
        # TelegramOutput.__init__ only passes the token; aiogram's Bot takes the server address too.
        super(TelegramOutput, self).__init__(access_token, server=TelegramAPIServer.from_base(api_url.rstrip("/")))

    async def send_replies(self, chat_id: int, messages: Messages) -> None:
        for message in messages:
            text = str(message.get("text") or "").strip()
            buttons = message.get("buttons") or []
            if buttons:
                long_titles = any(len(str(button["title"])) > 12 for button in buttons)
                layout = "vertical" if len(buttons) > MAX_INLINE_ROW or long_titles else "inline"
                await self.send_text_with_buttons(chat_id, text, telegram_buttons(buttons), button_type=layout)
            elif text:
                await self.send_text_message(chat_id, text)

    async def register_webhook(self, url: str, secret: str) -> None:
        """setWebhook with the secret token (aiogram 2's set_webhook predates Bot API 6.1's secret_token)."""
        await self.request(
            "setWebhook",
            {"url": url, "secret_token": secret, "allowed_updates": json.dumps(["message", "callback_query"])},
        )


class TelegramConnector(TelegramInput):
    """Rasa's Telegram input channel with a secret-token check and pseudonymous conversation ids."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Everything comes from the environment (bot/channels/settings.py); see bot/credentials.yml.
        return cls(get_settings())

    def __init__(self, settings: ChannelSettings) -> None:
        super().__init__(settings.telegram_bot_token.get_secret_value(), None, settings.telegram_webhook_url,
                         debug_mode=False)
        self.settings = settings
        missing = settings.telegram_missing()
        self.enabled = not missing
        if missing and settings.telegram_bot_token.get_secret_value():
            raise RasaException(f"Telegram: TELEGRAM_BOT_TOKEN is set but {', '.join(missing)} missing")
        self.flow = MessagingFlow(CHANNEL, SenderRateLimiter(settings.channel_rate_limit_per_minute,
                                                             settings.lock_store_url))
        self.replies: TelegramReplies | None = None

    def get_output_channel(self) -> TelegramReplies:
        """The Bot API client, made once per server; no call to Telegram here (Rasa's makes one)."""
        if self.replies is None:
            self.replies = TelegramReplies(self.settings.telegram_bot_token.get_secret_value(),
                                           self.settings.telegram_api_url)
        return self.replies

    def _secret_ok(self, request: Request) -> bool:
        expected = self.settings.telegram_webhook_secret.get_secret_value()
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), expected.encode())

    def _incoming(self, chat_id: int, text: str) -> Incoming:
        key = self.settings.channel_sender_key.get_secret_value()
        return Incoming(pseudonymous_id(key, CHANNEL, str(chat_id)), text, CHANNEL)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        if not self.enabled:
            logger.info("Telegram is off: TELEGRAM_BOT_TOKEN is not set")
            return telegram_webhook

        @telegram_webhook.listener("after_server_start")
        async def register(_: Sanic, __: Any) -> None:
            if self.webhook_url:
                try:
                    await self.get_output_channel().register_webhook(
                        self.webhook_url, self.settings.telegram_webhook_secret.get_secret_value()
                    )
                    logger.info("Telegram webhook registered")
                except Exception:  # a Telegram outage must not keep the other channels down
                    logger.exception("Telegram: setWebhook failed; updates arrive only if it was set before")

        @telegram_webhook.listener("before_server_stop")
        async def close(_: Sanic, __: Any) -> None:
            await self.flow.drain()
            if self.replies is not None:
                await self.replies.session.close()  # not Bot.close(): in aiogram 3 that calls the Bot API's close
            await self.flow.limiter.close()

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self._secret_ok(request):
                return response.json({"error": "wrong or missing secret token"}, status=403)
            update = request.json if isinstance(request.json, dict) else {}
            self._dispatch(request.app, on_new_message, update)
            return response.json({"ok": True})  # Telegram resends anything that is not 2xx

        return telegram_webhook

    def _dispatch(
        self, app: Sanic, on_new_message: Callable[[UserMessage], Awaitable[Any]], update: dict[str, Any]
    ) -> None:
        """Starts the turn for a text message or a button press; other updates are ignored."""
        bot = self.get_output_channel()
        callback = update.get("callback_query")
        message = (callback or {}).get("message") or update.get("message") or {}
        chat = message.get("chat") or {}
        if chat.get("type") != "private" or "id" not in chat:
            return  # groups and channels are not for residents' concerns
        chat_id = int(chat["id"])

        if callback:
            text = str(callback.get("data") or "")
        elif isinstance(message.get("text"), str):
            text = message["text"].strip()
            command = text.split(maxsplit=1)[0].split("@")[0] if text else ""
            text = "/greet" if command == START_COMMAND else text  # also "/start@bot" and "/start <deep link>"
        else:
            text = ""  # a photo, sticker or voice message: the resident is asked to write instead

        async def send(messages: Messages, language: str) -> None:
            await bot.send_replies(chat_id, messages)

        async def turn() -> None:
            if callback and callback.get("id"):
                await self._settle_button_press(bot, callback, chat_id)
            await self.flow.handle(app, on_new_message, self._incoming(chat_id, text), send)

        self.flow.spawn(turn())

    @staticmethod
    async def _settle_button_press(bot: TelegramReplies, callback: dict[str, Any], chat_id: int) -> None:
        """Stops the pressed button's spinner and removes that message's keyboard, so an answered question's
        buttons cannot be pressed again later. Best effort: the turn goes on if Telegram refuses."""
        try:
            await bot.answer_callback_query(str(callback["id"]))
            message_id = (callback.get("message") or {}).get("message_id")
            if message_id:
                await bot.edit_message_reply_markup(chat_id=chat_id, message_id=int(message_id), reply_markup=None)
        except Exception:
            logger.warning("Telegram: could not settle a button press")
