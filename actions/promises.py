"""Answering "vad lovar polisen/kommunen i mitt område?" from the published medborgarlöften.

`promise_area_form` gets the area (from the question, or by asking once); `action_tell_promises` reads
GET /api/v1/public/promises?area=<the resident's words> (the API matches a district or place name) and tells up to
MAX_TOLD promises with who promised, the period and how far the activities have come. It says so when there are
none, when the area is unknown and when the API cannot be reached. Texts: actions/promise_messages.yml.
"""

import logging
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import api_client
from actions.config import get_settings
from actions.messages import language_of

logger = logging.getLogger(__name__)

MESSAGES_FILE = Path(__file__).with_name("promise_messages.yml")
MAX_TOLD = 3
MAX_TEXT_CHARS = 280
# Answers to "which area?" that mean every area.
WHOLE_MUNICIPALITY = {"hela kommunen", "alla", "alla områden", "överallt", "hela stan", "spelar ingen roll", "all",
                      "everywhere", "all areas", "the whole municipality"}


@lru_cache
def catalog() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    return data


def _text(key: str, language: str, **values: Any) -> str:
    variants = catalog()[key]
    template: str = (variants.get(language) or variants["sv"])["text"]
    return template.format(**values)


def promises_url() -> str:
    settings = get_settings()
    return f"http://{settings.api_host}:{settings.api_port}/api/v1/public/promises"


def format_date(value: str, language: str) -> str:
    day = date.fromisoformat(value)
    return f"{day.day} {catalog()['months'][language][day.month - 1]} {day.year}"


def format_period(promise: dict[str, Any], language: str) -> str:
    start = format_date(promise["period_start"], language)
    if promise.get("period_end"):
        return f"{start} – {format_date(promise['period_end'], language)}"
    return _text("period_from", language, start=start)


def shorten(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def progress(promise: dict[str, Any], language: str) -> str | None:
    """"Ny belysning i Stationstunneln: klart; Fotpatrull: pågår" – or None without activities."""
    labels = catalog()["activity_status"][language]
    parts = [f"{a['title']}: {labels[a['status']]}" for a in promise.get("activities", []) if a["status"] in labels]
    return "; ".join(parts) or None


class ActionAskPromiseArea(Action):
    """Asks which area the resident wants to hear the promises for."""

    def name(self) -> str:
        return "action_ask_promise_area"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=_text("ask_promise_area", language_of(tracker)))
        return []


class ActionTellPromises(Action):
    """Tells the published promises for the area in promise_area, then forgets the area."""

    def name(self) -> str:
        return "action_tell_promises"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = language_of(tracker)
        area = (tracker.get_slot("promise_area") or "").strip()
        reset: list[EventType] = [SlotSet("promise_area", None)]
        # An answer like "Norrby" is often read as `inform` with a place, which would also prefill the concern
        # form's place; it was meant for this question only.
        if area and tracker.get_slot("concern_place") == area and not tracker.active_loop.get("name"):
            reset.append(SlotSet("concern_place", None))
        if area.casefold().strip(" .!") in WHOLE_MUNICIPALITY:
            area = ""
        try:
            async with api_client(get_settings().api_timeout_seconds) as client:
                response = await client.get(promises_url(), params={"area": area} if area else None)
        except httpx.HTTPError as error:
            logger.warning("public promises unavailable: %s", error)
            dispatcher.utter_message(text=_text("promises_unavailable", language))
            return reset
        if response.status_code == 404:
            dispatcher.utter_message(text=_text("promises_unknown_area", language, area=shorten(area, 60)))
            return reset
        if not response.is_success:
            logger.warning("public promises answered %s", response.status_code)
            dispatcher.utter_message(text=_text("promises_unavailable", language))
            return reset
        body = response.json()
        area_name = (body.get("area") or {}).get("name") or area or _text("whole_municipality", language)
        items = body.get("items", [])
        if not items:
            dispatcher.utter_message(text=_text("promises_none", language, area=area_name))
            return reset
        dispatcher.utter_message(text=_text("promises_intro", language, area=area_name))
        parties = catalog()["parties"][language]
        for promise in items[:MAX_TOLD]:
            party = promise.get("responsible_name") or parties.get(promise["responsible"], promise["responsible"])
            dispatcher.utter_message(text=_text(
                "promise_item", language, party=party, title=promise["title"],
                period=format_period(promise, language), text=shorten(promise["text"]),
            ))
            done = progress(promise, language)
            if done:
                dispatcher.utter_message(text=_text("promise_progress", language, activities=done))
        if len(items) > MAX_TOLD:
            dispatcher.utter_message(text=_text("promises_more", language, count=len(items) - MAX_TOLD,
                                                area=area_name))
        return reset
