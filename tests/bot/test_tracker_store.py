"""The scrubbing tracker store on SQLite and the real PostgreSQL: no raw resident text survives a conversation."""

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    EntitiesAdded,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import BLANKED, ScrubbingTrackerStore, blank_event, scrub_event

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get("TEST_RASA_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

DESCRIPTION = "Min granne Lisa Karlsson på Björkvägen 12 säljer knark, ring mig på 070-123 45 67"
PERSONAL = ["Lisa", "Karlsson", "Björkvägen 12", "070-123 45 67"]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('tracker') / 'tracker.db'}"
        return
    name = f"trygg_tracker_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(url: str, domain: Domain) -> Iterator[ScrubbingTrackerStore]:
    store = ScrubbingTrackerStore(domain=domain, host=url, sweep_interval_seconds=0)
    yield store
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
    store.engine.dispose()


def _stored_text(store: ScrubbingTrackerStore, sender_id: str | None = None) -> str:
    query = "SELECT data FROM events" + (" WHERE sender_id = :s" if sender_id else "") + " ORDER BY id"
    with store.engine.connect() as connection:
        return "\n".join(row[0] for row in connection.execute(sa.text(query), {"s": sender_id}))


def _user(text: str, timestamp: float | None = None) -> UserUttered:
    entities = [{"entity": "place", "value": "Björkvägen 12", "start": 30, "end": 43}]
    parse_data = {"intent": {"name": "describe_concern", "confidence": 0.9}, "entities": entities, "text": text,
                  # what the safety net adds: the words of the message that matched a rule
                  "safety_net": {"fired": True, "rule": "report_crime.tip.name", "matched": "Lisa Karlsson på"}}
    return UserUttered(text, parse_data["intent"], entities, parse_data, timestamp=timestamp)


def _conversation_until_summary(sender: str, domain: Domain, timestamp: float | None = None) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in [
        ActionExecuted("action_session_start", timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
        ActionExecuted("action_listen", timestamp=timestamp),
        _user(DESCRIPTION, timestamp=timestamp),
        EntitiesAdded([{"entity": "place", "value": "Björkvägen 12"}], timestamp=timestamp),
        SlotSet("concern_description", DESCRIPTION, timestamp=timestamp),
        SlotSet("concern_place", "Björkvägen 12", timestamp=timestamp),
        SlotSet("concern_time_of_day", "kvall", timestamp=timestamp),
        BotUttered(f"Du berättade: {DESCRIPTION}. Stämmer det?", timestamp=timestamp),
        ActionExecuted("action_listen", timestamp=timestamp),
    ]:
        tracker.update(event)
    return tracker


def save(store: ScrubbingTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(store.save(tracker))


def test_scrub_event_replaces_personal_data_in_messages_and_entities() -> None:
    scrubbed = scrub_event(_user(DESCRIPTION).as_dict())
    assert "[NAMN]" in scrubbed["text"] and "[TELEFON]" in scrubbed["text"]
    assert scrubbed["parse_data"]["text"] == scrubbed["text"]
    assert scrubbed["parse_data"]["entities"][0]["value"] == "[ADRESS]"
    assert scrubbed["parse_data"]["safety_net"]["matched"] == "[NAMN] på"
    assert scrubbed["parse_data"]["safety_net"]["rule"] == "report_crime.tip.name"
    assert scrubbed["parse_data"]["intent"]["name"] == "describe_concern"
    assert "knark" in scrubbed["text"]  # what happened is kept


def test_blank_event_keeps_codes_but_not_free_text() -> None:
    slots = {"concern_description"}
    assert blank_event(SlotSet("concern_description", DESCRIPTION).as_dict(), slots)["value"] == BLANKED
    assert blank_event(SlotSet("concern_description", None).as_dict(), slots)["value"] is None
    assert blank_event(SlotSet("language", "sv").as_dict(), slots)["value"] == "sv"
    blanked_user = blank_event(_user(DESCRIPTION).as_dict(), slots)
    assert blanked_user["text"] == "" and blanked_user["parse_data"]["text"] == ""
    assert blanked_user["parse_data"]["intent"]["name"] == "describe_concern"
    assert blanked_user["parse_data"]["safety_net"] == {"fired": True, "rule": "report_crime.tip.name",
                                                        "matched": BLANKED}


def test_during_the_conversation_messages_are_scrubbed_and_slots_kept(store: ScrubbingTrackerStore,
                                                                      domain: Domain) -> None:
    save(store, _conversation_until_summary("active", domain))
    # Messages and entities never reach the database with personal data ...
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT type_name, data FROM events WHERE type_name IN ('user', 'bot')"))
        for _kind, data in rows:
            assert not any(piece in data for piece in PERSONAL), data
    # ... but the slots the action server needs (the place as typed, to match its area) are kept until the end.
    tracker = asyncio.run(store.retrieve("active"))
    assert tracker is not None
    assert tracker.get_slot("concern_place") == "Björkvägen 12"
    assert tracker.get_slot("concern_time_of_day") == "kvall"


@pytest.mark.parametrize("ending", ["action_submit_concern", "action_discard_concern", "action_cancel_concern",
                                    "action_end_conversation",
                                    "restart"])
def test_an_ended_conversation_keeps_no_resident_text(store: ScrubbingTrackerStore, domain: Domain,
                                                       ending: str) -> None:
    tracker = _conversation_until_summary("ended", domain)
    save(store, tracker)
    tracker.update(UserUttered("ja", {"name": "affirm", "confidence": 0.9}))
    if ending == "restart":
        tracker.update(ActionExecuted("action_restart"))
        tracker.update(Restarted())
    else:
        tracker.update(ActionExecuted(ending))
        tracker.update(SlotSet("concern_description", None))
        tracker.update(SlotSet("concern_place", None))
    tracker.update(BotUttered("Tack! Vill du berätta om något mer?"))
    tracker.update(ActionExecuted("action_listen"))
    save(store, tracker)

    stored = _stored_text(store, "ended")
    assert not any(piece in stored for piece in PERSONAL)
    assert "säljer knark" not in stored  # not even the scrubbed description: the API has what was consented to
    # The conversation goes on normally after the end.
    again = asyncio.run(store.retrieve("ended"))
    assert again is not None
    again.update(_user("Det är mörkt vid Stationsgatan"))
    save(store, again)
    assert "Stationsgatan" in _stored_text(store, "ended")  # the new concern is in progress


def test_on_sqlite_no_raw_text_is_left_in_the_file(tmp_path: Path, domain: Domain) -> None:
    path = tmp_path / "forensic.db"
    store = ScrubbingTrackerStore(domain=domain, host=f"sqlite:///{path}", sweep_interval_seconds=0)
    tracker = _conversation_until_summary("forensic", domain)
    save(store, tracker)
    tracker.update(ActionExecuted("action_discard_concern"))
    save(store, tracker)
    store.engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("forensic.db"))
    assert "Björkvägen 12".encode() not in raw and b"Karlsson" not in raw and b"123 45 67" not in raw


def test_a_new_session_blanks_the_previous_one(store: ScrubbingTrackerStore, domain: Domain) -> None:
    tracker = _conversation_until_summary("expired", domain)
    save(store, tracker)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    save(store, tracker)
    stored = _stored_text(store, "expired")
    assert "Björkvägen" not in stored and "säljer knark" not in stored


def test_sweep_deletes_idle_conversations_only(store: ScrubbingTrackerStore, domain: Domain) -> None:
    long_ago = time.time() - store.idle_seconds() - 60
    save(store, _conversation_until_summary("idle", domain, timestamp=long_ago))
    save(store, _conversation_until_summary("busy", domain))
    assert store.sweep_expired() > 0
    assert asyncio.run(store.retrieve("idle")) is None
    assert asyncio.run(store.retrieve("busy")) is not None
    assert store.sweep_expired() == 0  # idempotent: a second instance sweeping too changes nothing


def test_two_instances_share_one_database(store: ScrubbingTrackerStore, url: str, domain: Domain) -> None:
    other = ScrubbingTrackerStore(domain=domain, host=url, sweep_interval_seconds=0)
    try:
        save(store, _conversation_until_summary("shared", domain))
        tracker = asyncio.run(other.retrieve("shared"))
        assert tracker is not None
        tracker.update(UserUttered("ja", {"name": "affirm", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_submit_concern"))
        asyncio.run(other.save(tracker))
        again = asyncio.run(store.retrieve("shared"))
        assert again is not None and len(again.events) == len(tracker.events)
        assert "Björkvägen" not in _stored_text(store, "shared")
        store.sweep_expired()
        other.sweep_expired()
    finally:
        other.engine.dispose()


def _stored_rows(store: ScrubbingTrackerStore, sender_id: str) -> int:
    with store.engine.connect() as connection:
        query = sa.text("SELECT count(*) FROM events WHERE sender_id = :s")
        return connection.execute(query, {"s": sender_id}).scalar()


def test_turns_on_a_loaded_tracker_store_each_event_once(store: ScrubbingTrackerStore, domain: Domain) -> None:
    first = _conversation_until_summary("turns", domain)
    save(store, first)
    save(store, first)  # saving again adds nothing
    rows = _stored_rows(store, "turns")
    assert rows == len(first.events)
    for text in ("ja", "nej", "jo förresten"):
        tracker = asyncio.run(store.retrieve("turns"))
        assert tracker is not None
        tracker.update(UserUttered(text, {"name": "affirm", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_listen"))
        save(store, tracker)
        tracker.update(BotUttered("Tack!"))  # a second save of the same turn stores only the newer event
        save(store, tracker)
        rows += 3
        assert _stored_rows(store, "turns") == rows
    again = asyncio.run(store.retrieve("turns"))
    assert again is not None
    assert [event.as_dict() for event in again.events][-3:] == [event.as_dict() for event in tracker.events][-3:]
    assert len(again.events) == len(tracker.events)
    assert again.get_slot("concern_time_of_day") == "kvall"


def test_without_a_url_the_store_uses_tracker_store_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        domain: Domain) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'sub' / 'from_env.db'}")
    store = ScrubbingTrackerStore(domain=domain, sweep_interval_seconds=0)
    save(store, _conversation_until_summary("env", domain))
    assert (tmp_path / "sub" / "from_env.db").exists()
    store.engine.dispose()
