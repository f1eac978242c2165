"""SMS and WhatsApp through Rasa's Twilio connector, with what it lacks for this service.

Rasa's TwilioInput accepts any POST (no X-Twilio-Signature check), gives Rasa the phone number as the conversation
id, sends with Twilio's blocking client inside the event loop, to a fixed API address, and sends buttons nowhere.
This subclass:
- checks X-Twilio-Signature (HMAC-SHA1 over TWILIO_WEBHOOK_URL and the sorted form fields, Twilio's RequestValidator)
  and refuses unsigned or wrongly signed requests;
- gives Rasa a pseudonymous conversation id (bot/channels/sender.py), never the number;
- sends with Twilio's asynchronous client to TWILIO_API_URL (a local fake in the tests), from the number the resident
  wrote to (SMS or "whatsapp:+…");
- turns buttons into numbered choices and keeps SMS in GSM-7 and as few parts as possible (bot/channels/replies.py).
It is off (webhook absent) when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator

from bot.channels.conversation import Incoming, Messages, MessagingFlow
from bot.channels.rate_limit import SenderRateLimiter
from bot.channels.replies import channel_texts, sms_bodies, whatsapp_bodies
from bot.channels.sender import pseudonymous_id
from bot.channels.settings import ChannelSettings, get_settings

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
WHATSAPP_PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
SEND_TIMEOUT_SECONDS = 15


class TwilioReplies(TwilioOutput):
    """Rasa's Twilio output with Twilio's asynchronous HTTP client and a configurable API address."""

    def __init__(self, account_sid: str, auth_token: str, api_url: str) -> None:
        # TwilioOutput.__init__ builds the blocking client; build the asynchronous one instead.
        super(TwilioOutput, self).__init__(
            account_sid, auth_token, http_client=AsyncTwilioHttpClient(timeout=SEND_TIMEOUT_SECONDS)
        )
        self.twilio_number = None
        self.api.base_url = api_url.rstrip("/")

    async def send_replies(self, to: str, from_: str, messages: Messages, language: str) -> None:
        texts = channel_texts(messages, language)
        bodies = whatsapp_bodies(texts) if to.startswith(WHATSAPP_PREFIX) else sms_bodies(texts)
        for body in bodies:
            await self.messages.create_async(to=to, from_=from_, body=body)

    async def close(self) -> None:
        await self.http_client.close()


def twilio_form(request: Request) -> dict[str, str]:
    """The posted fields, empty ones included: Twilio signs "FromZip" with an empty value too, and Sanic's
    `request.form` drops empty fields, which would make every genuine signature look wrong."""
    if request.content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    return {key: values[0] for key, values in request.form.items()}


class TwilioConnector(TwilioInput):
    """Rasa's Twilio input channel with signature checks and pseudonymous conversation ids."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # Everything comes from the environment (bot/channels/settings.py); see bot/credentials.yml.
        return cls(get_settings())

    def __init__(self, settings: ChannelSettings) -> None:
        super().__init__(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(), None,
                         debug_mode=False)
        self.settings = settings
        missing = settings.twilio_missing()
        self.enabled = not missing
        if missing and (settings.twilio_account_sid or settings.twilio_auth_token.get_secret_value()):
            raise RasaException(f"Twilio: {', '.join(missing)} missing")
        self.validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        self.flow = MessagingFlow(self.name(), SenderRateLimiter(settings.channel_rate_limit_per_minute,
                                                                 settings.lock_store_url))
        self.replies: TwilioReplies | None = None

    def get_output_channel(self) -> TwilioReplies:
        """Made on first use, inside the server's event loop (the HTTP client's session belongs to it)."""
        if self.replies is None:
            self.replies = TwilioReplies(self.settings.twilio_account_sid,
                                         self.settings.twilio_auth_token.get_secret_value(),
                                         self.settings.twilio_api_url)
        return self.replies

    def signature_ok(self, form: dict[str, str], signature: str) -> bool:
        return bool(signature) and self.validator.validate(self.settings.twilio_webhook_url, form, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        if not self.enabled:
            logger.info("Twilio (SMS/WhatsApp) is off: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set")
            return twilio_webhook

        @twilio_webhook.listener("before_server_stop")
        async def close(_: Sanic, __: Any) -> None:
            await self.flow.drain()
            if self.replies is not None:
                await self.replies.close()
            await self.flow.limiter.close()

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            form = twilio_form(request)
            if not self.signature_ok(form, request.headers.get(SIGNATURE_HEADER, "")):
                return response.json({"error": "missing or invalid X-Twilio-Signature"}, status=403)
            sender, our_number = form.get("From", ""), form.get("To", "")
            if not sender or not our_number:
                return response.json({"error": "From and To are required"}, status=400)
            self._dispatch(request.app, on_new_message, sender, our_number, form.get("Body", ""))
            return response.text(EMPTY_TWIML, content_type="text/xml")  # replies go out through the API

        return twilio_webhook

    def _dispatch(
        self,
        app: Sanic,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        our_number: str,
        body: str,
    ) -> None:
        whatsapp = sender.startswith(WHATSAPP_PREFIX)
        channel = "whatsapp" if whatsapp else "sms"
        address = sender.removeprefix(WHATSAPP_PREFIX)
        key = self.settings.channel_sender_key.get_secret_value()
        # Some carriers turn @ into ¡ in SMS (as in Rasa's connector).
        incoming = Incoming(pseudonymous_id(key, channel, address), body.replace("¡", "@").strip(), channel)
        replies = self.get_output_channel()

        async def send(messages: Messages, language: str) -> None:
            await replies.send_replies(sender, our_number, messages, language)

        self.flow.spawn(self.flow.handle(app, on_new_message, incoming, send))
