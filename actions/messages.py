"""Saying the action server's own messages (actions/messages.yml) in the resident's language.

Rasa's domain holds the responses that rules and stories use; the form's questions and the custom actions' messages
live here, with the same shape (text + buttons), so `rasa data validate --fail-on-warnings` stays meaningful.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

MESSAGES_FILE = Path(__file__).with_name("messages.yml")
LANGUAGES = ("sv", "en")


@lru_cache
def catalog() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    return data


def language_of(tracker: Tracker) -> str:
    """The resident's language: English once they write in English, otherwise Swedish."""
    return "en" if tracker.get_slot("language") == "en" else "sv"


def labels(tracker: Tracker) -> dict[str, Any]:
    result: dict[str, Any] = catalog()["labels"][language_of(tracker)]
    return result


def say(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    key: str,
    buttons: list[dict[str, str]] | None = None,
    **values: Any,
) -> None:
    """Send message `key` in the resident's language, filling {placeholders} from `values`; `buttons` made by the
    action replace the catalog's."""
    variants = catalog()[key]
    message = variants.get(language_of(tracker)) or variants["sv"]
    text = message["text"].format(**values) if values else message["text"]
    if buttons is None:
        buttons = [dict(button) for button in message.get("buttons", [])]
    dispatcher.utter_message(text=text, buttons=buttons)
