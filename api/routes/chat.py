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
from api.core.security import is_valid_chat_session_id, new_chat_session_id
from api.deps import SettingsDep
from api.schemas import ChatButton, ChatReply, ChatRequest, ChatResponse

router = APIRouter(prefix="/chat", tags=["chat"])

WEB_CHANNEL = "web"

# Round robin over the Rasa instances (RASA_URLS), per turn and per API process: the turns of one conversation
# land on different instances, which share the tracker store and the Redis lock store.
_turns = itertools.count()


def _next_rasa_webhook(urls: list[str]) -> str:
    return urls[next(_turns) % len(urls)]


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
    text = unicodedata.normalize("NFC", body.text).strip()
    if not text:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=messages.CHAT_TEXT_EMPTY)
    if len(text) > settings.chat_max_chars:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=messages.CHAT_TEXT_TOO_LONG.format(limit=settings.chat_max_chars),
        )
    if body.session_id is None:
        session_id = new_chat_session_id(settings)
    elif is_valid_chat_session_id(settings, body.session_id):
        session_id = body.session_id
    else:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=messages.INVALID_CHAT_SESSION)

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
    return ChatResponse(session_id=session_id, replies=_replies_from_rasa(response.json()))
