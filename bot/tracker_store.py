"""Rasa's tracker store for Trygghetsdialog: an SQL store that keeps no raw resident text once a conversation ends.

Rasa's own SQLTrackerStore appends every event as JSON and never deletes anything, so every message a resident
typed ("min granne Lisa Karlsson på Björkvägen 12 …") would stay in the `events` table for ever. This store
(configured in `bot/endpoints.yml`) changes three things and nothing else about how Rasa works:

1. **On save** the text of user and bot messages and the values of extracted entities go through the project's
   redactor (`api/privacy/redact.py`), so personal identity numbers, phone numbers, e-mail addresses, names,
   home addresses and plates never reach the database. Prediction never needs an earlier message's raw text:
   the current message is in memory until the turn is saved. Slot values are kept as they are while the
   conversation goes on, because the action server needs the place as typed to match it to an area (the API
   scrubs it after matching) and shows the resident the summary.
2. **When a conversation ends** (the concern was stored, refused or cancelled, the resident restarted, or a new
   session began after inactivity), every stored event up to that point is blanked: message text, entity
   values and free-text slot values are replaced, so only the shape of the dialogue (intents, actions, codes)
   remains for the rest of the conversation.
3. **After inactivity** (the domain's `session_expiration_time` plus a margin) a background sweep deletes the
   conversation's events altogether; an abandoned conversation keeps its slots no longer than that.

Several Rasa instances may share one database (PostgreSQL in production): blanking happens inside the save of
the conversation that holds Rasa's conversation lock, and the sweep is an idempotent DELETE, so instances never
need to coordinate. `TRACKER_STORE_URL` (an SQLAlchemy URL, e.g. `postgresql://rasa@db:5432/rasa_tracker`)
chooses the database; without it a SQLite file under `var/` is used.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from api.privacy.redact import redact  # stdlib-only module shared with the API
from bot import rasa_speedups

logger = logging.getLogger(__name__)
# Every Rasa server loads this module through bot/endpoints.yml, so the server-wide fix is installed here.
rasa_speedups.install()

DEFAULT_URL = "sqlite:///var/rasa_tracker.db"
# Actions after which the concern of a conversation is settled (stored, refused, cancelled, the conversation ended).
DEFAULT_END_ACTIONS = (
    "action_submit_concern", "action_discard_concern", "action_cancel_concern", "action_restart",
    "action_end_conversation",
)
# Events that end what came before them: a restart and the start of a new session after inactivity.
ENDING_EVENT_TYPES = ("restart", "session_started")
# Event types that can carry a resident's words.
TEXT_EVENT_TYPES = ("user", "bot", "slot", "entities", "user_featurization")
BLANKED = "[RENSAT]"
# Set on a tracker this store loaded or saved: how many of its events are in the database. Rasa's own store
# counts them with a query on every save; under Rasa's conversation lock nothing else writes them in between.
STORED_COUNT_ATTRIBUTE = "_trygg_stored_events"
# Rasa's conversation lock lives 60 s; a sweep must never delete a conversation a turn is still working on.
SWEEP_MARGIN_SECONDS = 120.0


def _redacted(text: Any) -> Any:
    return redact(text).text if isinstance(text, str) and text else text


def _deep(value: Any, change: Callable[[Any], Any]) -> Any:
    """`change` applied to every string inside nested dicts and lists."""
    if isinstance(value, dict):
        return {key: _deep(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep(item, change) for item in value]
    return change(value) if isinstance(value, str) else value


# Keys under which NLU output carries the resident's own words: the text, entity values, and the words a
# component matched (the safety net's "matched").
WORD_KEYS = frozenset({"text", "value", "matched"})


def _blank_words(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: (_blank(item) if key in WORD_KEYS else _blank_words(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_blank_words(item) for item in value]
    return value


def _map_entities(entities: Any, change: Callable[[Any], Any]) -> Any:
    if not isinstance(entities, list):
        return entities
    return [
        {**entity, "value": change(entity.get("value"))} if isinstance(entity, dict) and "value" in entity
        else entity
        for entity in entities
    ]


def scrub_event(data: dict[str, Any]) -> dict[str, Any]:
    """The event as it may be stored during a conversation: personal data in messages and NLU output replaced.

    Every string of a user message's parse data goes through the redactor (intent names and codes pass through
    unchanged), so words a component copies out of the message are covered too.
    """
    event = dict(data)
    kind = event.get("event")
    if kind in ("user", "bot") and "text" in event:
        event["text"] = _redacted(event["text"])
    if kind == "user" and isinstance(event.get("parse_data"), dict):
        event["parse_data"] = _deep(event["parse_data"], _redacted)
    if kind == "bot" and isinstance(event.get("data"), dict):
        event["data"] = _deep(event["data"], _redacted)
    if kind == "entities":
        event["entities"] = _map_entities(event.get("entities"), _redacted)
    return event


def _blank(value: Any) -> Any:
    return BLANKED if isinstance(value, str) and value else value


def blank_event(data: dict[str, Any], free_text_slots: Iterable[str]) -> dict[str, Any]:
    """The event of an ended conversation: no message text, entity value or free-text slot value left."""
    event = dict(data)
    kind = event.get("event")
    if kind in ("user", "bot") and event.get("text"):
        event["text"] = ""
    if kind == "user" and isinstance(event.get("parse_data"), dict):
        event["parse_data"] = {**_blank_words(event["parse_data"]), "text": ""}
    if kind == "entities":
        event["entities"] = _map_entities(event.get("entities"), _blank)
    if kind == "user_featurization":
        event.pop("text", None)
    if kind == "slot" and event.get("name") in set(free_text_slots):
        event["value"] = _blank(event.get("value"))
    return event


def _sqlite_secure_delete(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA secure_delete = ON")


class ScrubbingTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that scrubs text on save, blanks ended conversations and deletes expired ones."""

    def __init__(
        self,
        domain: Any = None,
        host: str | None = None,
        end_actions: list[str] | None = None,
        sweep_interval_seconds: float = 300.0,
        **kwargs: Any,
    ) -> None:
        url = host or os.environ.get("TRACKER_STORE_URL") or DEFAULT_URL
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Blanked and deleted text is overwritten in the file too, not left in free pages.
            sa.event.listen(self.engine, "connect", _sqlite_secure_delete)
            self.engine.dispose()
        self.end_actions = tuple(end_actions or DEFAULT_END_ACTIONS)
        if sweep_interval_seconds > 0:
            threading.Thread(
                target=self._sweep_forever, args=(sweep_interval_seconds,), name="tracker-sweep", daemon=True
            ).start()

    # Loading --------------------------------------------------------------------------------------------

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's `_retrieve`, reading only the event column (not whole ORM rows) and noting what is stored."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if not self.domain or not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, STORED_COUNT_ATTRIBUTE, len(events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterable[Any]:
        """The tracker's events not yet stored; counted by a query only for trackers this store did not load."""
        stored = getattr(tracker, STORED_COUNT_ATTRIBUTE, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    # Saving ---------------------------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events scrubbed; blank everything before an ending event among them."""
        await self.stream_events(tracker)
        ends_something = False
        rows = []
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = scrub_event(event.as_dict())
                action = data.get("name") if event.type_name == "action" else None
                ends_something |= event.type_name in ENDING_EVENT_TYPES or action in self.end_actions
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            # One executemany INSERT, in event order: the ORM's unit of work cost more than the scrubbing.
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
            setattr(tracker, STORED_COUNT_ATTRIBUTE, len(tracker.events))
            if ends_something:
                self.blank_ended(session, tracker.sender_id)

    def _free_text_slots(self) -> set[str]:
        """Slots whose values are the resident's own words (Rasa `text` and `any` slots)."""
        if self.domain is None:
            return set()
        return {slot.name for slot in self.domain.slots if getattr(slot, "type_name", "") in ("text", "any")}

    def blank_ended(self, session: Any, sender_id: str) -> int:
        """Blank every event of `sender_id` up to its latest ending event; returns how many rows changed."""
        event = self.SQLEvent
        last_end = (
            session.query(sa.func.max(event.id))
            .filter(
                event.sender_id == sender_id,
                sa.or_(
                    event.type_name.in_(ENDING_EVENT_TYPES),
                    sa.and_(event.type_name == "action", event.action_name.in_(self.end_actions)),
                ),
            )
            .scalar()
        )
        if last_end is None:
            return 0
        slots = self._free_text_slots()
        changed = 0
        rows = session.query(event).filter(
            event.sender_id == sender_id, event.id <= last_end, event.type_name.in_(TEXT_EVENT_TYPES)
        )
        for row in rows:
            data = json.loads(row.data)
            blanked = blank_event(data, slots)
            if blanked != data:
                row.data = json.dumps(blanked)
                changed += 1
        session.commit()
        return changed

    # Expiry ---------------------------------------------------------------------------------------------

    def idle_seconds(self) -> float:
        """How long a conversation may be idle before its events are deleted."""
        minutes = 60.0
        if self.domain is not None and self.domain.session_config.session_expiration_time > 0:
            minutes = float(self.domain.session_config.session_expiration_time)
        return minutes * 60 + SWEEP_MARGIN_SECONDS

    def sweep_expired(self, now: float | None = None) -> int:
        """Delete every event of conversations idle longer than `idle_seconds()`; returns rows deleted."""
        cutoff = (now if now is not None else time.time()) - self.idle_seconds()
        event = self.SQLEvent
        idle = (
            sa.select(event.sender_id).group_by(event.sender_id).having(sa.func.max(event.timestamp) < cutoff)
        )
        with self.engine.begin() as connection:
            deleted = connection.execute(sa.delete(event.__table__).where(event.sender_id.in_(idle))).rowcount or 0
        if deleted:
            logger.info("deleted %s event(s) of expired conversations from the tracker store", deleted)
        return int(deleted)

    def _sweep_forever(self, interval: float) -> None:
        while True:
            try:
                self.sweep_expired()
            except Exception:  # noqa: BLE001 - the sweep must survive a database hiccup and try again later
                logger.exception("tracker store sweep failed")
            time.sleep(interval)
