"""Issue 8, end to end on the real servers:

1. A consented concern survives the API being down: the conversation is finished on Rasa's REST channel with the
   API stopped, the resident is told it is saved, and after the API starts exactly one concern arrives.
2. After conversations full of personal data, no identity number, phone number, e-mail, plate or private name can
   be found in the API database, in Rasa's tracker store or in the logs of the three processes.
"""

import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from api.models import Concern
from tests.e2e.conftest import Stack

Send = Callable[[str], list[dict[str, object]]]


def _texts(replies: list[dict[str, object]]) -> str:
    return "\n".join(str(reply.get("text", "")) for reply in replies)


def _answer_form(send: Send, replies: list[dict[str, object]], answers: dict[str, str]) -> str:
    """Answer the form's questions until the summary; returns the summary's text."""
    for _ in range(len(answers) + 3):
        said = _texts(replies)
        if "Stämmer det" in said:
            return said
        question = next((q for q in answers if q in said), None)
        assert question is not None, f"unexpected bot reply: {said}"
        replies = send(answers[question])
    raise AssertionError("no summary")


ORDINARY_ANSWERS = {
    "Var händer det": "Stationsgatan",
    "När på dygnet": '/inform{"time_of_day": "kvall"}',
    "Vilka dagar": "mest på helgerna",
    "Hur ofta": "varje dag typ",
    "Hur trygg": "2",
    "tryggare": "hoppa över",
}


def _concerns(stack: Stack, part: str) -> list[Concern]:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Concern).where(Concern.description.contains(part))))
    engine.dispose()
    return rows


def test_a_consented_concern_survives_the_api_being_down(stack: Stack) -> None:
    outbox = Path(stack.env["OUTBOX_DIR"])
    sender = f"outbox-{uuid.uuid4().hex}"
    marker = "Någon har krossat alla lampor i gångtunneln under järnvägen"

    def send(message: str) -> list[dict[str, object]]:
        # Straight to Rasa's REST channel, as the gateway would: the gateway is down with the rest of the API.
        response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message, "metadata": {"channel": "web"}},
                              timeout=120)
        assert response.status_code == 200, response.text
        return list(response.json())

    stack.stop_api()
    try:
        send("Hej")
        summary = _answer_form(send, send(marker), ORDINARY_ANSWERS)
        assert "lampor i gångtunneln" in summary
        assert "Får jag spara" in _texts(send("ja, det stämmer"))
        saved = _texts(send("ja"))
        assert "sparat" in saved, saved  # the resident is told it is saved, though the API is down
        queued = list(outbox.glob("*.json"))
        assert len(queued) == 1, queued
        assert _concerns(stack, marker) == []
    finally:
        stack.start_api()

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _concerns(stack, marker):
        time.sleep(1)
    assert len(_concerns(stack, marker)) == 1
    assert list(outbox.glob("*.json")) == []
    time.sleep(3)  # more flush rounds change nothing: delivered exactly once
    stored = _concerns(stack, marker)
    assert len(stored) == 1 and stored[0].time_of_day == "kvall" and stored[0].frequency == "dagligen"


# Personal data residents might write, and every spelling of it that must not survive anywhere.
PERSONNUMMER = "19850412-1230"
PHONE = "070-123 45 67"
PHONE_INTL = "+46 70 765 43 21"
EMAIL = "lisa.k@example.se"
PLATE = "ABC 123"
FORBIDDEN = [
    PERSONNUMMER, "850412-1230", "8504121230", "198504121230",
    PHONE, "0701234567", "070-1234567", PHONE_INTL, "46707654321", "765 43 21",
    EMAIL, "lisa.k@", PLATE, "ABC123",
    "Lisa Karlsson", "Karlsson", "Ahmed Hassan", "Hassan", "Björkvägen 12",
]
PERSONAL_ANSWERS = {
    "Var händer det": "Björkvägen 12, utanför porten",
    "När på dygnet": "på kvällarna",
    "Vilka dagar": "alla dagar",
    "Hur ofta": "varje dag",
    "Hur trygg": "1",
    "tryggare": f"Ring mig på {PHONE} eller mejla {EMAIL} så berättar jag mer",
}


def _run_personal_conversations(stack: Stack) -> None:
    def conversation() -> tuple[Send, Callable[[], str | None]]:
        session: list[str | None] = [None]

        def send(message: str) -> list[dict[str, object]]:
            session[0], replies = stack.chat(session[0], message)
            return replies

        return send, lambda: session[0]

    description = (f"Min granne Lisa Karlsson på Björkvägen 12 säljer knark från bilen {PLATE}, ring mig på {PHONE}. "
                   f"Mitt personnummer är {PERSONNUMMER}")

    # Consented and stored.
    send, _ = conversation()
    send("Hej")
    summary = _answer_form(send, send(description), PERSONAL_ANSWERS)
    assert "Får jag spara" in _texts(send("ja"))
    assert "sparat" in _texts(send("ja"))
    assert summary
    send("nej tack, det var allt")

    # Consent refused.
    send, _ = conversation()
    send("Hej")
    _answer_form(send, send(f"Ahmed Hassan och hans kompisar hotar folk vid busshållplatsen, mejla {EMAIL}"),
                 PERSONAL_ANSWERS)
    send("ja")
    assert "sparar ingenting" in _texts(send("nej, spara inte"))

    # Cancelled in the middle of the form.
    send, _ = conversation()
    send("Hej")
    send(f"Det är en bil med registreringsnummer {PLATE} som kör runt och skriker, mitt nummer är {PHONE_INTL}")
    send("avbryt")

    # Ended with the widget's "Avsluta samtalet" after personal details and no concern.
    send, session_of = conversation()
    send(f"Jag heter Lisa Karlsson, mitt personnummer är {PERSONNUMMER} och jag bor på Björkvägen 12")
    response = httpx.post(f"{stack.api_url}/api/v1/chat/end", json={"session_id": session_of()}, timeout=60)
    assert response.status_code == 200, response.text

    # Started over.
    send, _ = conversation()
    send(f"Ring Ahmed Hassan på {PHONE}, han vet vem som klottrar")
    send("börja om")


def _database_text(url: str) -> str:
    engine = create_engine(url)
    chunks = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - table names from the schema
                chunks.append(json.dumps([str(value) for value in row], ensure_ascii=False))
    engine.dispose()
    return "\n".join(chunks)


def _file_bytes(path: Path) -> bytes:
    """The database file and its journal/WAL, byte for byte (freed pages included)."""
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_no_personal_data_survives_in_databases_or_logs(stack: Stack) -> None:
    _run_personal_conversations(stack)
    concerns = _database_text(stack.database_url)
    assert "[NAMN]" in concerns or "[ADRESS]" in concerns  # the consented concern was stored, scrubbed

    tracker_path = Path(stack.tracker_store_url.removeprefix("sqlite:///"))
    with sqlite3.connect(tracker_path) as connection:
        tracker = "\n".join(row[0] for row in connection.execute("SELECT data FROM events"))
    assert "action_submit_concern" in tracker  # the tracker store was really used

    time.sleep(2)  # let the servers write their last log lines
    places = {
        "API database": concerns,
        "API database file": _file_bytes(Path(stack.database_url.removeprefix("sqlite:///"))).decode(errors="replace"),
        "tracker store": tracker,
        "tracker store file": _file_bytes(tracker_path).decode(errors="replace"),
        **{f"{log.name}": log.read_text(encoding="utf-8", errors="replace") for log in stack.logs.glob("*.log")},
    }
    assert {"api.log", "actions.log", "rasa.log"} <= set(places)
    found = [f"{piece!r} in {where}" for where, content in places.items() for piece in FORBIDDEN if piece in content]
    assert not found, "\n".join(found)


def test_the_action_server_answers_only_rasa(stack: Stack) -> None:
    call = {"next_action": "action_submit_concern", "tracker": f"Lisa Karlsson {PHONE}", "domain": {}}
    assert httpx.post(f"{stack.action_url}/webhook", json=call, timeout=30).status_code == 401
    wrong = httpx.post(f"{stack.action_url}/webhook", json=call, headers={"X-Action-Token": "guess"}, timeout=30)
    assert wrong.status_code == 401
    # With Rasa's token a broken call fails, but neither the answer nor the log repeats what was sent.
    broken = httpx.post(f"{stack.action_url}/webhook", json=call, timeout=30,
                        headers={"X-Action-Token": stack.env["ACTION_SERVER_TOKEN"]})
    assert broken.status_code == 500
    assert "Karlsson" not in broken.text and PHONE not in broken.text
    time.sleep(1)
    assert "Karlsson" not in (stack.logs / "actions.log").read_text(encoding="utf-8", errors="replace")
