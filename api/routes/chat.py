"""The residents' chat gateway: the web widget talks to this, and this talks to Rasa's REST channel.

The gateway owns the conversation id (a signed random id it issues), normalises text to Unicode NFC (decomposed
"å" from some keyboards would otherwise give different character n-grams), enforces the length limit, and maps
Rasa's replies to a small stable shape. Rasa itself listens on loopback only.
"""

import itertools
import unicodedata

import httpx
from fastapi import APIRouter, HTTPException, Request, status

from api.core import messages
from api.core.rate_limit import enforce_chat_rate_limits
from api.core.security import is_valid_chat_session_id, new_chat_session_id
from api.deps import SettingsDep
from api.schemas import ChatButton, ChatConfig, ChatEndRequest, ChatReply, ChatRequest, ChatResponse

router = APIRouter(prefix="/chat", tags=["chat"])

WEB_CHANNEL = "web"
# Sent to Rasa only by POST /chat/end ("Avsluta samtalet"); a resident's own text can never produce it.
END_CONVERSATION_MESSAGE = "/end_conversation"
GATEWAY_ONLY_INTENTS = {"end_conversation"}
# What action_end_conversation sends (as a custom message) when the conversation has ended.
CONVERSATION_ENDED_MARKER = "conversation_ended"


def _is_gateway_only(text: str) -> bool:
    """True for "/end_conversation" and the like: Rasa would read it as that intent, not as words."""
    if not text.startswith("/"):
        return False
    intent = text[1:].split("{", 1)[0].split("@", 1)[0].strip()
    return intent in GATEWAY_ONLY_INTENTS


# Round robin over the Rasa instances (RASA_URLS), per turn and per API process: the turns of one conversation
# land on different instances, which share the tracker store and the Redis lock store.
_turns = itertools.count()


def _next_rasa_webhook(urls: list[str]) -> str:
    return urls[next(_turns) % len(urls)]


def shorten_message(text: str, limit: int) -> tuple[str, bool]:
    """The message cut to `limit` characters at a word boundary where there is one; whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    boundary = cut.rfind(" ")
    return (cut[:boundary] if boundary > limit // 2 else cut).rstrip(), True


def _conversation_ended(payload: object) -> bool:
    return isinstance(payload, list) and any(
        isinstance(message, dict) and isinstance(message.get("custom"), dict)
        and message["custom"].get(CONVERSATION_ENDED_MARKER) is True
        for message in payload
    )


def _replies_from_rasa(payload: object) -> list[ChatReply]:
    replies: list[ChatReply] = []
    if not isinstance(payload, list):
        return replies
    for message in payload:
        if not isinstance(message, dict) or not message.get("text"):
            continue
        buttons = [
            ChatButton(title=str(button.get("title", "")), payload=str(button.get("payload", "")))
            for button in message.get("buttons") or []
            if isinstance(button, dict)
        ]
        replies.append(ChatReply(text=str(message["text"]), buttons=buttons))
    return replies


@router.post("", response_model=ChatResponse)
async def chat(body: ChatRequest, request: Request, settings: SettingsDep) -> ChatResponse:
    """Send one resident message (or a button's payload) to the bot and return its replies."""
    await enforce_chat_rate_limits(request, settings, body.session_id)
    text = unicodedata.normalize("NFC", body.text).strip()
    if not text:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=messages.CHAT_TEXT_EMPTY)
    text, shortened = shorten_message(text, settings.chat_max_chars)
    if _is_gateway_only(text):
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=messages.CHAT_TEXT_RESERVED)
    if body.session_id is None:
        session_id = new_chat_session_id(settings)
    elif is_valid_chat_session_id(settings, body.session_id):
        session_id = body.session_id
    else:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=messages.INVALID_CHAT_SESSION)
    response = await _turn(request, settings, session_id, text)
    if shortened:  # the bot answered what it got; the resident learns the rest was left out
        response.replies.insert(0, ChatReply(text=messages.CHAT_TEXT_TRUNCATED.format(limit=settings.chat_max_chars)))
    return response


@router.post("/end", response_model=ChatResponse)
async def end_chat(body: ChatEndRequest, request: Request, settings: SettingsDep) -> ChatResponse:
    """End the conversation ("Avsluta samtalet"): the bot drops what was not consented to and says so."""
    await enforce_chat_rate_limits(request, settings, body.session_id)
    if not is_valid_chat_session_id(settings, body.session_id):
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=messages.INVALID_CHAT_SESSION)
    return await _turn(request, settings, body.session_id, END_CONVERSATION_MESSAGE)


@router.get("/config", response_model=ChatConfig)
def chat_config(settings: SettingsDep) -> ChatConfig:
    """What the widget needs to know before the first message: the longest message the gateway accepts."""
    return ChatConfig(max_chars=settings.chat_max_chars)


async def _turn(request: Request, settings: SettingsDep, session_id: str, text: str) -> ChatResponse:
    """One conversation turn on Rasa's REST channel."""
    client: httpx.AsyncClient = request.app.state.rasa_client
    try:
        response = await client.post(
            _next_rasa_webhook(settings.rasa_webhook_urls),
            json={"sender": session_id, "message": text, "metadata": {"channel": WEB_CHANNEL}},
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=messages.BOT_UNAVAILABLE
        ) from error
    payload = response.json()
    return ChatResponse(
        session_id=session_id, replies=_replies_from_rasa(payload), ended=_conversation_ended(payload)
    )
