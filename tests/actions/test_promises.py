"""action_tell_promises against the real API on loopback (a temporary SQLite database with the demo promises)."""

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.config import get_settings
from actions.promises import ActionAskPromiseArea, ActionTellPromises, format_period, progress
from tests.actions.conftest import make_tracker, texts
from tests.servers import ROOT, free_port, stop, wait_for

API_PYTHON = ROOT / ".venv" / "bin" / "python"


@pytest.fixture(scope="module")
def api_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The API on a free loopback port, its database seeded with the demo data (three promises, two published)."""
    folder = tmp_path_factory.mktemp("promises-api")
    env = {
        **os.environ, "ENVIRONMENT": "test", "DATABASE_URL": f"sqlite:///{folder / 'trygg.db'}",
        "SECRET_KEY": secrets.token_urlsafe(48), "SERVICE_TOKEN": secrets.token_urlsafe(48),
        "CONVERSATION_HASH_SALT": secrets.token_urlsafe(48), "THEME_MODEL_DIR": str(folder / "no-model"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run([str(API_PYTHON), "-m", "api.cli", "seed-demo", "--count", "30"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    port = free_port()
    log = folder / "api.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(API_PYTHON), "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port)], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, timeout=180, log=log)
        yield port
    finally:
        stop([process])


@pytest.fixture
def api_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def point(port: int) -> None:
        monkeypatch.setenv("API_PORT", str(port))
        monkeypatch.setenv("API_HOST", "127.0.0.1")
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


async def _tell(dispatcher: CollectingDispatcher, domain: dict[str, Any], **slots: Any) -> list[Any]:
    tracker = make_tracker(intent="ask_promises", slots=slots)
    return await ActionTellPromises().run(dispatcher, tracker, domain)


async def test_tells_the_promises_of_a_district_with_their_progress(
    api_port: int, api_at: Any, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    api_at(api_port)
    events = await _tell(dispatcher, domain, promise_area="Norrby")
    said = texts(dispatcher)
    assert said[0] == "Så här lovar polisen och kommunen i Norrby:"
    assert said[1].startswith("Kommunen – Lugnare trafik vid Norrbyskolan (")
    assert "Farthinder på Norrbyvägen: klart" in said[2] and "Hastighetskontroller vid skolan: pågår" in said[2]
    assert not any("Fritidsgården" in text for text in said)  # a draft is never told
    assert events == [SlotSet("promise_area", None)]


async def test_a_place_counts_as_its_district(
    api_port: int, api_at: Any, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    api_at(api_port)
    events = await _tell(dispatcher, domain, promise_area="Resecentrum", concern_place="Resecentrum")
    said = texts(dispatcher)
    assert said[0] == "Så här lovar polisen och kommunen i Stationsområdet:"
    assert "Tryggare kvällar kring Resecentrum" in said[1]
    assert said[1].startswith("Polisen i Exempelstad och Exempelstads kommun – ")
    # the answer to "which area?" was read as a place too: it must not prefill a later concern's place
    assert SlotSet("concern_place", None) in events


async def test_says_when_there_are_none_and_when_the_area_is_unknown(
    api_port: int, api_at: Any, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    api_at(api_port)
    await _tell(dispatcher, domain, promise_area="Tallmo")
    await _tell(dispatcher, domain, promise_area="Atlantis")
    said = texts(dispatcher)
    assert said[0].startswith("Det finns inga publicerade medborgarlöften för Tallmo just nu.")
    assert said[1].startswith('Jag hittar inget område som heter "Atlantis".')


async def test_whole_municipality_and_english(
    api_port: int, api_at: Any, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    api_at(api_port)
    await _tell(dispatcher, domain, promise_area="hela kommunen")
    assert texts(dispatcher)[0] == "Så här lovar polisen och kommunen i hela kommunen:"
    assert sum(text.startswith(("Polisen", "Kommunen")) for text in texts(dispatcher)) == 2
    english = CollectingDispatcher()
    await _tell(english, domain, promise_area="Norrby", language="en")
    assert texts(english)[0] == "This is what the police and the municipality promise in Norrby:"
    assert texts(english)[1].startswith("The municipality – ")


async def test_says_so_when_the_api_cannot_be_reached(
    api_at: Any, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    api_at(free_port())  # nothing listens there
    events = await _tell(dispatcher, domain, promise_area="Norrby")
    assert texts(dispatcher) == [
        "Jag kan inte hämta medborgarlöftena just nu. Försök gärna igen om en stund, eller läs dem på kommunens "
        "webbplats."
    ]
    assert events == [SlotSet("promise_area", None)]


async def test_asks_for_the_area(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    await ActionAskPromiseArea().run(dispatcher, make_tracker(intent="ask_promises"), domain)
    assert texts(dispatcher) == ["Vilket område eller vilken plats undrar du över? Skriv till exempel Norrby eller "
                                 "Stortorget."]


def test_period_and_progress_in_plain_words() -> None:
    promise = {"period_start": "2026-08-01", "period_end": "2027-07-31",
               "activities": [{"title": "Ny belysning", "status": "klar"}, {"title": "Patrull", "status": "pagar"}]}
    assert format_period(promise, "sv") == "1 aug 2026 – 31 juli 2027"
    assert format_period({"period_start": "2026-03-05", "period_end": None}, "sv") == "från 5 mars 2026"
    assert progress(promise, "sv") == "Ny belysning: klart; Patrull: pågår"
    assert progress({"activities": []}, "sv") is None


def test_message_catalog_has_both_languages() -> None:
    from actions.promises import catalog

    for key, value in catalog().items():
        if isinstance(value, dict) and "sv" in value and isinstance(value["sv"], dict) and "text" in value["sv"]:
            assert value["en"]["text"], key
    assert Path(ROOT / "actions" / "promise_messages.yml").exists()
