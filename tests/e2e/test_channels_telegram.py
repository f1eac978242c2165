"""Telegram end to end: real Telegram Update JSON posted to Rasa's Telegram webhook (our connector), replies
captured by a local fake of the Bot API, concerns read from the API's database."""

import itertools
import json
import secrets
import sqlite3
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from api.models import Concern
from tests.e2e.conftest import Stack
from tests.e2e.messaging_fakes import TELEGRAM_WEBHOOK_URL, Call, MessagingPlatforms

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_update_ids = itertools.count(secrets.randbelow(10**8))


class TelegramResident:
    """A resident in a private chat with the bot; each action posts the Update Telegram would send."""

    def __init__(self, stack: Stack, platforms: MessagingPlatforms) -> None:
        self.stack, self.fake = stack, platforms.telegram
        self.secret = platforms.telegram_secret
        self.chat_id = 5_000_000_000 + secrets.randbelow(10**9)
        self.first_name = "Zlatana" + secrets.token_hex(3)
        self.user = {"id": self.chat_id, "is_bot": False, "first_name": self.first_name, "language_code": "sv"}
        self.chat = {"id": self.chat_id, "first_name": self.first_name, "type": "private"}
        self.last_reply: Call | None = None

    def post(self, update: dict[str, Any], secret: str | None = None) -> httpx.Response:
        headers = {SECRET_HEADER: self.secret if secret is None else secret}
        return httpx.post(f"{self.stack.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers,
                          timeout=30)

    def message_update(self, text: str | None = None, **extra: Any) -> dict[str, Any]:
        message = {"message_id": secrets.randbelow(10**6), "from": self.user, "chat": self.chat,
                   "date": int(time.time()), **extra}
        if text is not None:
            message["text"] = text
        return {"update_id": next(_update_ids), "message": message}

    def my_calls(self, calls: list[Call]) -> list[Call]:
        return [call for call in calls if str(call.params.get("chat_id")) == str(self.chat_id)]

    def _turn(self, update: dict[str, Any], until: tuple[str, ...]) -> list[Call]:
        """Sends the update and waits until a reply contains one of the `until` phrases."""
        start = self.fake.mark()
        response = self.post(update)
        assert response.status_code == 200, response.text
        calls = self.fake.wait_for(
            start,
            lambda calls: any(p in str(call.params.get("text")) for call in self.my_calls(calls) for p in until),
        )
        replies = [call for call in self.my_calls(calls) if call.method == "sendMessage"]
        self.last_reply = replies[-1]
        return replies

    def say(self, text: str, until: tuple[str, ...]) -> list[Call]:
        return self._turn(self.message_update(text), until)

    def buttons(self) -> list[dict[str, str]]:
        markup = json.loads(self.last_reply.params.get("reply_markup") or "{}") if self.last_reply else {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    def press(self, title: str, until: tuple[str, ...]) -> list[Call]:
        """Presses a button of the bot's last message, as Telegram reports it (a callback_query)."""
        button = next(button for button in self.buttons() if button["text"] == title)
        assert self.last_reply is not None
        update = {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": str(secrets.randbelow(10**18)),
                "from": self.user,
                "message": {"message_id": self.last_reply.result["message_id"],
                            "from": {"id": 7000001, "is_bot": True, "first_name": "Trygg"},
                            "chat": self.chat, "date": int(time.time()), "text": self.last_reply.params["text"]},
                "chat_instance": str(secrets.randbelow(10**18)),
                "data": button["callback_data"],
            },
        }
        return self._turn(update, until)


def _texts(calls: list[Call]) -> str:
    return "\n".join(str(call.params.get("text")) for call in calls)


def _concerns(stack: Stack, description_part: str) -> list[Concern]:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Concern).where(Concern.description.contains(description_part))).all())
    engine.dispose()
    return rows


def _sqlite_dump(url: str) -> str:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return "\n".join(connection.iterdump())


@pytest.fixture
def resident(stack: Stack, messaging_platforms: MessagingPlatforms) -> TelegramResident:
    return TelegramResident(stack, messaging_platforms)


def test_webhook_was_registered_with_its_secret_at_startup(
    stack: Stack, messaging_platforms: MessagingPlatforms
) -> None:
    calls = messaging_platforms.telegram.wait_for(0, lambda calls: any(c.method == "setWebhook" for c in calls))
    registrations = [call for call in calls if call.method == "setWebhook"]
    assert registrations[0].params["url"] == TELEGRAM_WEBHOOK_URL
    assert registrations[0].params["secret_token"] == messaging_platforms.telegram_secret


# What the resident does at each of the form's questions (matched on a phrase of the question).
ANSWERS = {
    "Var händer det": ("say", "Stationsgatan"),
    "När på dygnet": ("press", "Kväll"),
    "Vilka dagar": ("press", "Helger"),
    "Hur ofta": ("say", "varje vecka ungefär"),
    "Hur trygg": ("press", "2"),
    "tryggare": ("say", "Bättre belysning och fler vuxna ute på kvällarna"),
}
SUMMARY = "Stämmer det"


def test_a_full_conversation_with_buttons_stores_a_telegram_concern(
    stack: Stack, resident: TelegramResident, messaging_platforms: MessagingPlatforms
) -> None:
    replies = resident.say("/start", until=("Berätta med egna ord",))
    assert "automatisk assistent" in _texts(replies)

    start = messaging_platforms.telegram.mark()
    # A description of its own (the web tests' concerns share the database and are looked up by their words).
    replies = resident.say("Ett gäng säljer knark helt öppet och skriker efter folk som går förbi",
                           until=(*ANSWERS, SUMMARY))
    asked, presses = [], 0
    while SUMMARY not in _texts(replies):
        question = next(q for q in ANSWERS if q in _texts(replies))
        assert question not in asked, f"asked twice: {question}"
        asked.append(question)
        how, answer = ANSWERS[question]
        if how == "press":
            assert answer in [button["text"] for button in resident.buttons()]
            replies = resident.press(answer, until=(*ANSWERS, SUMMARY))
            presses += 1
        else:
            replies = resident.say(answer, until=(*ANSWERS, SUMMARY))
    assert {"När på dygnet", "Vilka dagar", "Hur trygg"} <= set(asked)
    resident.press("Ja, det stämmer", until=("Får jag spara",))
    resident.press("Ja, spara", until=("sparat",))
    # Every button press arrives as a callback query, and each one is answered (the button stops spinning) …
    calls = messaging_platforms.telegram.since(start)
    assert sum(call.method == "answerCallbackQuery" for call in calls) == presses + 2
    # … and the answered question's keyboard is removed.
    removed = [call for call in calls if call.method == "editMessageReplyMarkup"]
    assert len(removed) == presses + 2
    sent_ids = {call.result["message_id"] for call in calls if call.method == "sendMessage"}
    assert {int(call.params["message_id"]) for call in removed} <= sent_ids

    stored = _concerns(stack, "säljer knark helt öppet")
    assert len(stored) == 1
    concern = stored[0]
    assert concern.channel == "telegram"
    assert (concern.time_of_day, concern.weekday, concern.frequency, concern.felt_safety) == (
        "kvall", "helger", "varje_vecka", 2
    )

    # Neither the chat id nor the resident's name reaches the API's database or Rasa's tracker store.
    for dump in (_sqlite_dump(stack.database_url), _sqlite_dump(stack.tracker_store_url)):
        assert str(resident.chat_id) not in dump
        assert resident.first_name not in dump


def test_an_emergency_gets_the_112_reply_first(resident: TelegramResident) -> None:
    replies = resident.say("det står en kille med kniv utanför porten och väntar på mig", until=("112",))
    assert str(replies[0].params["text"]).startswith("Ring 112 nu")


def test_a_typed_number_answers_the_last_question(resident: TelegramResident) -> None:
    replies = resident.say("Det är så mörkt och obehagligt att gå förbi där, lamporna är trasiga",
                           until=("Var händer det", "När på dygnet"))
    if "Var händer det" in _texts(replies):
        resident.say("Kvarnbäcken", until=("När på dygnet",))
    replies = resident.say("4", until=("Vilka dagar", "Jag förstod inte"))  # the fourth button: Natt
    assert "Jag förstod inte" not in _texts(replies)


@pytest.mark.parametrize("secret", ["", "wrong-secret"])
def test_an_update_without_the_right_secret_is_refused(
    resident: TelegramResident, messaging_platforms: MessagingPlatforms, secret: str
) -> None:
    start = messaging_platforms.telegram.mark()
    response = resident.post(resident.message_update("Hej"), secret=secret)
    assert response.status_code == 403
    time.sleep(2)  # give a wrongly accepted update time to show up
    assert resident.my_calls(messaging_platforms.telegram.since(start)) == []


def test_too_many_messages_get_one_slow_down_reply(
    resident: TelegramResident, messaging_platforms: MessagingPlatforms
) -> None:
    # Stickers count like any message but need no bot turn: the connector asks the resident to write text.
    start = messaging_platforms.telegram.mark()
    limit = int(messaging_platforms.env.get("CHANNEL_RATE_LIMIT_PER_MINUTE", "12"))
    for _ in range(limit + 3):
        assert resident.post(resident.message_update(sticker={"file_id": "CAACAgIAAxk"})).status_code == 200
    messaging_platforms.telegram.wait_for(
        start, lambda calls: any("Vänta en minut" in str(c.params.get("text")) for c in resident.my_calls(calls))
    )
    time.sleep(2)  # messages over the limit must stay unanswered
    texts = [str(call.params["text"]) for call in resident.my_calls(messaging_platforms.telegram.since(start))]
    assert sum("bara läsa textmeddelanden" in text for text in texts) == limit
    assert sum("Vänta en minut" in text for text in texts) == 1
    assert "112" in next(text for text in texts if "Vänta en minut" in text)
    assert len(texts) == limit + 1
