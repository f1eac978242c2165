"""Adapting the bot's replies to a messaging channel, and reading a resident's answer to numbered choices.

Pure functions with no Rasa imports. SMS and WhatsApp through Twilio have no buttons, so a reply's buttons become
numbered choices ("Svara 1, 2 eller 3."). The numbers are not remembered anywhere: they are the order of the buttons of
the bot's last message with buttons, which every Rasa instance reads from the shared tracker store. So "2" means the
same on any instance, and an old number can never point at a newer question's options.
"""

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Button = Mapping[str, Any]

# GSM 03.38: the 7-bit SMS alphabet. Å, Ä, Ö, å, ä, ö and é are in it, so Swedish text fits 160 characters per SMS;
# one character outside it (an en dash, a curly quote, an emoji) turns the whole SMS into UCS-2 with 70 per SMS.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")  # two septets each
GSM7_SINGLE, GSM7_PART = 160, 153  # septets in one SMS / in each part of a concatenated SMS
UCS2_SINGLE, UCS2_PART = 70, 67
MAX_SMS_SEGMENTS = 4  # one SMS body is at most this many parts; longer replies go out as several SMS
MAX_TWILIO_BODY = 1600  # Twilio refuses longer bodies (WhatsApp too)
TELEGRAM_CALLBACK_BYTES = 64  # Telegram's limit on a button's callback_data

_TO_GSM7 = str.maketrans(
    {
        "–": "-", "—": "-", "‒": "-", "−": "-", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
        "‘": "'", "’": "'", "‚": "'", "…": "...", "•": "-", "·": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)

NUMBER_PREFIX = "#"  # Telegram buttons whose payload is too long carry "#<number>" instead

_CHOICE_WORDS = {
    "sv": {"or": "eller", "reply": "Svara", "own_words": "eller skriv med egna ord"},
    "en": {"or": "or", "reply": "Reply", "own_words": "or write in your own words"},
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def last_choices(events: Sequence[Mapping[str, Any]]) -> list[Button]:
    """Buttons of the bot's last message with buttons since the resident last wrote (events as Rasa dicts)."""
    for event in reversed(events):
        if event.get("event") == "user":
            return []
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            if buttons:
                return list(buttons)
    return []


def resolve_answer(text: str, choices: Sequence[Button]) -> str:
    """The payload of the chosen option when `text` is its number ("2", "2.", "#2") or its title, else `text`."""
    stripped = text.strip()
    match = re.fullmatch(rf"{NUMBER_PREFIX}?(\d{{1,2}})[.)]?", stripped)
    if match and 1 <= int(match.group(1)) <= len(choices):
        return str(choices[int(match.group(1)) - 1]["payload"])
    folded = _fold(stripped)
    for button in choices:
        if folded and _fold(str(button.get("title", ""))) == folded:
            return str(button["payload"])
    return text


def spoken_numbers(count: int, or_word: str) -> str:
    numbers = [str(n) for n in range(1, count + 1)]
    return numbers[0] if count == 1 else f"{', '.join(numbers[:-1])} {or_word} {numbers[-1]}"


def numbered(text: str, buttons: Sequence[Button], language: str = "sv") -> str:
    """A reply with its buttons as numbered choices. Buttons titled with their own number ("1".."5") need no line."""
    words = _CHOICE_WORDS.get(language, _CHOICE_WORDS["sv"])
    lines = [f"{n} = {button['title']}" for n, button in enumerate(buttons, 1) if str(button["title"]) != str(n)]
    prompt = f"{words['reply']} {spoken_numbers(len(buttons), words['or'])}"
    prompt += f" {words['own_words']}." if len(buttons) == 1 else "."
    return "\n".join([text.rstrip(), *lines, prompt])


def telegram_buttons(buttons: Sequence[Button]) -> list[dict[str, Any]]:
    """Buttons for an inline keyboard: payloads longer than Telegram allows are sent as their number."""
    result = []
    for n, button in enumerate(buttons, 1):
        payload = str(button["payload"])
        if len(payload.encode()) > TELEGRAM_CALLBACK_BYTES:
            payload = f"{NUMBER_PREFIX}{n}"
        result.append({"title": str(button["title"]), "payload": payload})
    return result


def channel_texts(messages: Iterable[Mapping[str, Any]], language: str = "sv") -> list[str]:
    """The texts of one turn's replies for a channel without buttons. Only the last message with buttons is
    numbered (that is the one a number answers); buttons of earlier messages in the same turn are dropped."""
    messages = list(messages)
    last_with_buttons = max((i for i, m in enumerate(messages) if m.get("buttons")), default=-1)
    texts = []
    for i, message in enumerate(messages):
        text = str(message.get("text") or "").strip()
        if i == last_with_buttons:
            text = numbered(text, message["buttons"], language)
        if text:
            texts.append(text)
    return texts


def to_gsm7(text: str) -> str:
    """Replaces typographic characters that have a plain GSM-7 equivalent (dashes, curly quotes, bullets)."""
    return unicodedata.normalize("NFC", text).translate(_TO_GSM7)


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def sms_segments(text: str) -> int:
    """How many SMS parts `text` is billed and sent as."""
    if is_gsm7(text):
        septets = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        return 1 if septets <= GSM7_SINGLE else math.ceil(septets / GSM7_PART)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= UCS2_SINGLE else math.ceil(units / UCS2_PART)


def _fits(text: str, max_segments: int, max_chars: int) -> bool:
    return len(text) <= max_chars and sms_segments(text) <= max_segments


def _split_long(text: str, max_segments: int, max_chars: int) -> list[str]:
    """Splits one over-long text at sentence ends, then at spaces."""
    pieces = re.split(r"(?<=[.!?:])\s+|\n+", text)
    words = [word for piece in pieces for word in ([piece] if _fits(piece, max_segments, max_chars) else piece.split())]
    chunks: list[str] = []
    for word in words:
        joined = f"{chunks[-1]} {word}" if chunks else word
        if chunks and _fits(joined, max_segments, max_chars):
            chunks[-1] = joined
        else:
            chunks.append(word[:max_chars])
    return chunks


def pack_bodies(
    texts: Iterable[str], *, max_segments: int = MAX_SMS_SEGMENTS, max_chars: int = MAX_TWILIO_BODY
) -> list[str]:
    """Joins one turn's texts, in order, into as few message bodies as fit the limits (fewer SMS parts in all than
    one SMS per reply). A text is split only when it alone is too long."""
    bodies: list[str] = []
    for text in texts:
        for part in [text] if _fits(text, max_segments, max_chars) else _split_long(text, max_segments, max_chars):
            joined = f"{bodies[-1]}\n\n{part}" if bodies else part
            if bodies and _fits(joined, max_segments, max_chars):
                bodies[-1] = joined
            else:
                bodies.append(part)
    return bodies


def sms_bodies(texts: Iterable[str]) -> list[str]:
    return pack_bodies([to_gsm7(text) for text in texts])


def whatsapp_bodies(texts: Iterable[str]) -> list[str]:
    """WhatsApp has no SMS parts; only Twilio's body limit applies, and any character is fine."""
    return pack_bodies(texts, max_segments=10**6)
