"""Local fakes of the Telegram Bot API and Twilio's Messages API, started before the stack so Rasa's messaging
connectors send their replies here instead of to the internet. Each fake checks the credentials it is called with
and keeps every call, for the tests to read."""

import base64
import itertools
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.servers import free_port

PUBLIC_BASE = "https://trygghetsdialog.example.se"  # what the platforms would call, through the reverse proxy
TELEGRAM_WEBHOOK_URL = f"{PUBLIC_BASE}/webhooks/telegram/webhook"
TWILIO_WEBHOOK_URL = f"{PUBLIC_BASE}/webhooks/twilio/webhook"
TWILIO_NUMBER = "+46766861234"
WHATSAPP_NUMBER = "whatsapp:+14155238886"  # Twilio's WhatsApp sandbox number


@dataclass
class Call:
    method: str  # Bot API method ("sendMessage") or "Messages" for Twilio
    params: dict[str, Any]
    result: Any = None  # what the fake answered


@dataclass
class FakePlatform:
    """Calls received, in order; `wait_for` polls until a predicate over the calls since `start` holds."""

    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def mark(self) -> int:
        with self.lock:
            return len(self.calls)

    def since(self, start: int) -> list[Call]:
        with self.lock:
            return list(self.calls[start:])

    def wait_for(self, start: int, done: Callable[[list[Call]], bool], timeout: float = 120) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.since(start)
            if done(calls):
                return calls
            time.sleep(0.1)
        raise AssertionError(f"the fake platform did not get what was expected in {timeout} s: {self.since(start)}")


def _telegram_app(token: str, platform: FakePlatform) -> Starlette:
    message_ids = itertools.count(1000)

    async def bot_method(request: Request) -> JSONResponse:
        if request.path_params["token"] != token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        if request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        else:
            params = dict(await request.form())
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            result: Any = {"message_id": next(message_ids), "date": int(time.time()), "text": params["text"],
                           "chat": {"id": chat_id, "type": "private"}}
        elif method == "getMe":
            result = {"id": 7000001, "is_bot": True, "first_name": "Trygghetsdialog", "username": "trygg_test_bot"}
        else:
            result = True
        platform.record(Call(method, params, result))
        return JSONResponse({"ok": True, "result": result})

    return Starlette(routes=[Route("/bot{token}/{method}", bot_method, methods=["POST", "GET"])])


def _twilio_app(account_sid: str, auth_token: str, platform: FakePlatform) -> Starlette:
    expected = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
    sids = itertools.count(1)

    async def create_message(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != expected or request.path_params["sid"] != account_sid:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
        params = dict(await request.form())
        platform.record(Call("Messages", params))
        return JSONResponse(
            {"sid": f"SM{next(sids):032x}", "account_sid": account_sid, "to": params.get("To"),
             "from": params.get("From"), "body": params.get("Body"), "status": "queued", "num_segments": "1",
             "direction": "outbound-api", "api_version": "2010-04-01"},
            status_code=201,
        )

    return Starlette(routes=[Route("/2010-04-01/Accounts/{sid}/Messages.json", create_message, methods=["POST"])])


class _ServerThread:
    def __init__(self, app: Starlette) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("fake platform did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class MessagingPlatforms:
    telegram: FakePlatform
    twilio: FakePlatform
    env: dict[str, str]  # what the stack's Rasa needs to use the fakes

    @property
    def telegram_secret(self) -> str:
        return self.env["TELEGRAM_WEBHOOK_SECRET"]

    @property
    def twilio_auth_token(self) -> str:
        return self.env["TWILIO_AUTH_TOKEN"]


@pytest.fixture(scope="session")
def messaging_platforms() -> Iterator[MessagingPlatforms]:
    """Fake Telegram and Twilio APIs, and the environment that turns both channels on against them."""
    telegram_token = f"{secrets.randbelow(10**9)}:{secrets.token_urlsafe(26)}"  # aiogram checks the shape
    account_sid = "AC" + secrets.token_hex(16)
    auth_token = secrets.token_hex(16)
    telegram, twilio = FakePlatform(), FakePlatform()
    with _ServerThread(_telegram_app(telegram_token, telegram)) as telegram_url, \
            _ServerThread(_twilio_app(account_sid, auth_token, twilio)) as twilio_url:
        yield MessagingPlatforms(
            telegram=telegram,
            twilio=twilio,
            env={
                "CHANNEL_SENDER_KEY": secrets.token_urlsafe(48),
                "TELEGRAM_BOT_TOKEN": telegram_token,
                "TELEGRAM_WEBHOOK_SECRET": secrets.token_urlsafe(32),
                "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK_URL,
                "TELEGRAM_API_URL": telegram_url,
                "TWILIO_ACCOUNT_SID": account_sid,
                "TWILIO_AUTH_TOKEN": auth_token,
                "TWILIO_WEBHOOK_URL": TWILIO_WEBHOOK_URL,
                "TWILIO_API_URL": twilio_url,
            },
        )
