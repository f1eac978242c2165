"""The messaging connectors without a running Rasa: pseudonymous ids, webhook checks, rate limits and what
reaches Rasa for a Telegram update or a Twilio message."""

import asyncio
import base64
import hashlib
import hmac
import time
from types import SimpleNamespace
from typing import Any

import pytest
import redis
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.channels.rate_limit import SenderRateLimiter, Verdict
from bot.channels.sender import pseudonymous_id
from bot.channels.settings import ChannelSettings
from bot.channels.telegram import TelegramConnector
from bot.channels.twilio import TwilioConnector, twilio_form

KEY = "k" * 48
TIME_BUTTONS = [
    {"title": "Morgon", "payload": '/inform{"time_of_day": "morgon"}'},
    {"title": "Kväll", "payload": '/inform{"time_of_day": "kvall"}'},
]
WEBHOOK_URL = "https://trygg.example.se/webhooks/twilio/webhook"


def settings(**values: Any) -> ChannelSettings:
    return ChannelSettings(_env_file=None, **values)


TELEGRAM = {"telegram_bot_token": "123:abc", "telegram_webhook_secret": "s3cret", "channel_sender_key": KEY}
TWILIO = {"twilio_account_sid": "AC123", "twilio_auth_token": "tok", "twilio_webhook_url": WEBHOOK_URL,
          "channel_sender_key": KEY}


class FakeTrackerStore:
    def __init__(self, events: list[Any]) -> None:
        self.events = events

    async def retrieve(self, sender_id: str) -> DialogueStateTracker:
        return DialogueStateTracker.from_events(sender_id, self.events)


class Recorder:
    """Stands in for Rasa (on_new_message) and for the platform's API (the output channel)."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.sent: list[Any] = []

    async def on_new_message(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Tack!")

    async def send_replies(self, *args: Any) -> None:
        self.sent.append(args)

    async def answer_callback_query(self, callback_id: str) -> None:
        self.sent.append(("answered", callback_id))

    async def edit_message_reply_markup(self, **kwargs: Any) -> None:
        self.sent.append(("keyboard removed", kwargs))


def app_with(events: list[Any]) -> Any:
    return SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=FakeTrackerStore(events))))


def test_pseudonymous_ids_are_stable_keyed_and_reveal_nothing() -> None:
    first = pseudonymous_id(KEY, "sms", "+46701234567")
    assert first == pseudonymous_id(KEY, "sms", "+46701234567")
    assert first.startswith("sms-") and "701234567" not in first
    assert first != pseudonymous_id("another-key", "sms", "+46701234567")
    assert first != pseudonymous_id(KEY, "whatsapp", "+46701234567")


def test_channels_are_off_without_configuration_and_refuse_half_of_one() -> None:
    assert not TelegramConnector(settings()).enabled
    assert not TwilioConnector(settings()).enabled
    assert TelegramConnector(settings(**TELEGRAM)).enabled
    with pytest.raises(RasaException, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramConnector(settings(telegram_bot_token="123:abc", channel_sender_key=KEY))
    with pytest.raises(RasaException, match="TWILIO_WEBHOOK_URL"):
        TwilioConnector(settings(**{**TWILIO, "twilio_webhook_url": ""}))


def _twilio_signature(token: str, url: str, params: dict[str, str]) -> str:
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def test_twilio_signature_check() -> None:
    connector = TwilioConnector(settings(**TWILIO))
    form = {"From": "+46701234567", "To": "+46766861234", "Body": "Hej"}
    assert connector.signature_ok(form, _twilio_signature("tok", WEBHOOK_URL, form))
    assert not connector.signature_ok(form, "")
    assert not connector.signature_ok(form, _twilio_signature("other", WEBHOOK_URL, form))
    assert not connector.signature_ok({**form, "Body": "Hejdå"}, _twilio_signature("tok", WEBHOOK_URL, form))


def test_twilio_form_keeps_empty_fields_because_they_are_signed() -> None:
    body = "From=%2B46701234567&FromZip=&Body=Hej+d%C3%A5&To=%2B46766861234"
    request = SimpleNamespace(content_type="application/x-www-form-urlencoded", body=body.encode())
    form = twilio_form(request)  # type: ignore[arg-type]
    assert form == {"From": "+46701234567", "FromZip": "", "Body": "Hej då", "To": "+46766861234"}
    connector = TwilioConnector(settings(**TWILIO))
    assert connector.signature_ok(form, _twilio_signature("tok", WEBHOOK_URL, form))


@pytest.mark.parametrize(("header", "ok"), [("s3cret", True), ("s3cret ", False), ("", False), (None, False)])
def test_telegram_secret_token_check(header: str | None, ok: bool) -> None:
    connector = TelegramConnector(settings(**TELEGRAM))
    headers = {} if header is None else {"X-Telegram-Bot-Api-Secret-Token": header}
    assert connector._secret_ok(SimpleNamespace(headers=headers)) is ok  # type: ignore[arg-type]


async def _dispatch_telegram(update: dict[str, Any], events: list[Any]) -> Recorder:
    connector = TelegramConnector(settings(**TELEGRAM))
    recorder = Recorder()
    connector.replies = recorder  # type: ignore[assignment]
    connector._dispatch(app_with(events), recorder.on_new_message, update)
    await connector.flow.drain()
    return recorder


async def test_a_telegram_button_press_reaches_rasa_under_a_pseudonym() -> None:
    update = {
        "update_id": 1,
        "callback_query": {"id": "77", "data": "#2", "from": {"id": 4242424242, "first_name": "Anna"},
                           "message": {"message_id": 5, "chat": {"id": 4242424242, "type": "private"}}},
    }
    recorder = await _dispatch_telegram(update, [BotUttered("När?", data={"buttons": TIME_BUTTONS})])
    [message] = recorder.received
    assert message.text == '/inform{"time_of_day": "kvall"}'
    assert message.sender_id == pseudonymous_id(KEY, "telegram", "4242424242")
    assert message.metadata == {"channel": "telegram"} and message.input_channel == "telegram"
    assert recorder.sent[0] == ("answered", "77")
    assert recorder.sent[1] == ("keyboard removed", {"chat_id": 4242424242, "message_id": 5, "reply_markup": None})
    chat_id, replies = recorder.sent[2]
    assert chat_id == 4242424242 and replies[0]["text"] == "Tack!"


async def test_telegram_start_greets_and_group_chats_are_ignored() -> None:
    chat = {"id": 99, "type": "private"}
    for start in ("/start", "/start@trygg_bot", "/start kampanj"):
        recorder = await _dispatch_telegram({"update_id": 2, "message": {"chat": chat, "text": start}}, [])
        assert recorder.received[0].text == "/greet"
    group = {"update_id": 3, "message": {"chat": {"id": -100, "type": "group"}, "text": "hej"}}
    assert (await _dispatch_telegram(group, [])).received == []


async def test_an_sms_number_answer_reaches_rasa_as_the_options_payload() -> None:
    connector = TwilioConnector(settings(**TWILIO))
    recorder = Recorder()
    connector.replies = recorder  # type: ignore[assignment]
    events = [UserUttered("Stationsgatan"), BotUttered("När?", data={"buttons": TIME_BUTTONS})]
    connector._dispatch(app_with(events), recorder.on_new_message, "whatsapp:+46701234567", "whatsapp:+1415", "1")
    await connector.flow.drain()
    [message] = recorder.received
    assert message.text == '/inform{"time_of_day": "morgon"}'
    assert message.sender_id == pseudonymous_id(KEY, "whatsapp", "+46701234567")
    assert message.metadata == {"channel": "whatsapp"}
    to, from_, replies, language = recorder.sent[0]
    assert (to, from_, language) == ("whatsapp:+46701234567", "whatsapp:+1415", "sv")


async def test_rate_limit_in_process() -> None:
    limiter = SenderRateLimiter(limit_per_minute=3)
    now = 1_800_000_000.0
    verdicts = [await limiter.check("sms-a", now) for _ in range(5)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.SLOW_DOWN, Verdict.DROP]
    assert await limiter.check("sms-b", now) is Verdict.ALLOW  # per sender
    assert await limiter.check("sms-a", now + 30) is Verdict.DROP  # the window is still full
    assert await limiter.check("sms-a", now + 60) is Verdict.ALLOW  # a minute later there is room again


async def test_rate_limit_window_slides_across_the_minute() -> None:
    # A burst that straddles a clock minute is one burst: a fixed window would answer all six.
    limiter = SenderRateLimiter(limit_per_minute=4)
    start = 1_800_000_057.0
    verdicts = [await limiter.check("sms-a", start + second) for second in range(6)]
    assert verdicts == [Verdict.ALLOW] * 4 + [Verdict.SLOW_DOWN, Verdict.DROP]
    # Dropped messages take no room: once the first answered message is a minute old, one more is answered.
    assert await limiter.check("sms-a", start + 60) is Verdict.ALLOW
    assert await limiter.check("sms-a", start + 60.5) is Verdict.DROP


def _redis_available() -> bool:
    try:
        return bool(redis.StrictRedis(host="127.0.0.1", port=6379, socket_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379")
async def test_rate_limit_is_shared_by_instances_through_redis() -> None:
    url, sender, now = "redis://127.0.0.1:6379/1", f"sms-test-{time.time_ns()}", time.time()
    first, second = SenderRateLimiter(2, url), SenderRateLimiter(2, url)  # two Rasa instances
    try:
        assert await first.check(sender, now) is Verdict.ALLOW
        assert await second.check(sender, now) is Verdict.ALLOW
        assert await first.check(sender, now) is Verdict.SLOW_DOWN
        assert await second.check(sender, now) is Verdict.DROP
        assert await first.check(sender, now + 59) is Verdict.DROP  # the window slides: still full
        assert await second.check(sender, now + 61) is Verdict.ALLOW
    finally:
        await first.close()
        await second.close()


async def test_rate_limit_counts_in_process_when_redis_is_unreachable() -> None:
    limiter = SenderRateLimiter(1, "redis://127.0.0.1:1/0")
    assert await limiter.check("tg-x") is Verdict.ALLOW
    assert await limiter.check("tg-x") is Verdict.SLOW_DOWN
    await asyncio.sleep(0)
