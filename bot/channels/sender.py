"""Pseudonymous conversation ids for the messaging channels.

Rasa never sees a phone number or a Telegram chat id: the connector gives it a keyed hash (HMAC-SHA256 with
CHANNEL_SENDER_KEY) instead. The same sender always gets the same id, on every Rasa instance, so the conversation
continues; the id cannot be turned back into the number without the key and a list of candidate numbers. The real
address is needed only to send the replies of the message being handled, and it lives only in that request's memory.
The API then stores a salted hash of this id (never the id itself).
"""

import hashlib
import hmac

# Rasa's conversation id prefix per channel, so the ids of different channels cannot collide.
PREFIXES = {"telegram": "tg", "sms": "sms", "whatsapp": "wa"}


def pseudonymous_id(key: str, channel: str, address: str) -> str:
    """`address` is the phone number ("+4670…", without "whatsapp:") or the Telegram chat id."""
    digest = hmac.new(key.encode(), f"{channel}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"{PREFIXES[channel]}-{digest[:40]}"
