"""The whole chain: chat → API gateway → Rasa → actions → API → stored concern, on real servers."""

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from api.models import Concern
from tests.e2e.conftest import Stack


def _texts(replies: list[dict[str, object]]) -> str:
    return "\n".join(str(reply["text"]) for reply in replies)


def _button_payloads(replies: list[dict[str, object]]) -> list[str]:
    return [str(button["payload"]) for reply in replies for button in reply.get("buttons", [])]  # type: ignore[attr-defined]


def _concerns(stack: Stack, description_part: str) -> list[Concern]:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        rows = session.scalars(select(Concern).where(Concern.description.contains(description_part))).all()
    engine.dispose()
    return list(rows)


# What a resident answers to each of the form's questions (matched on a phrase of the question).
ANSWERS = {
    "Var händer det": "Stationsgatan",
    "När på dygnet": '/inform{"time_of_day": "kvall"}',  # pressing the "Kväll" button
    "Vilka dagar": "mest på helgerna",
    "Hur ofta": "varje dag typ",
    "Hur trygg": "2",
    "tryggare": "Bättre belysning och att polisen kommer förbi ibland",
}


def _answer_until_summary(stack: Stack, session: str, replies: list[dict[str, object]]) -> tuple[str, str]:
    asked: list[str] = []
    for _ in range(len(ANSWERS) + 2):
        text = _texts(replies)
        if "Stämmer det" in text:
            assert len(asked) == len(set(asked)), f"a question was asked twice: {asked}"
            return session, text
        question = next((q for q in ANSWERS if q in text), None)
        assert question is not None, f"unexpected bot reply: {text}"
        asked.append(question)
        session, replies = stack.chat(session, ANSWERS[question])
    raise AssertionError(f"no summary after {asked}")


def test_a_full_swedish_conversation_stores_exactly_one_concern(stack: Stack) -> None:
    session, replies = stack.chat(None, "Hej!")
    assert "automatisk assistent" in _texts(replies)
    assert "112" in _texts(replies)
    assert "Berätta med egna ord" in _texts(replies)

    session, replies = stack.chat(session, "Det står ett gäng och langar knark, man vågar knappt gå förbi")
    assert "Var händer det" in _texts(replies)
    assert "/dont_know" in _button_payloads(replies)

    session, summary = _answer_until_summary(stack, session, replies)
    assert "Stationsgatan" in summary and "på kvällen" in summary and "varje dag" in summary
    assert "Det låter som att det handlar om narkotika" in summary

    session, replies = stack.chat(session, "ja det stämmer")
    assert "Får jag spara" in _texts(replies)

    session, replies = stack.chat(session, "ja")
    assert "sparat" in _texts(replies)
    assert "Vill du berätta om något mer" in _texts(replies)

    stored = _concerns(stack, "langar knark, man vågar")
    assert len(stored) == 1
    concern = stored[0]
    assert concern.channel == "web"
    assert concern.place == "Stationsgatan"
    assert concern.area_code == "stationsomradet"
    assert concern.time_of_day == "kvall"
    assert concern.weekday == "helger"
    assert concern.frequency == "dagligen"
    assert concern.felt_safety == 2
    assert concern.suggestion and "belysning" in concern.suggestion
    assert concern.consent is True
    assert concern.conversation_hash != session and len(concern.conversation_hash) == 64
    # Classified on ingest by the model, and the themes the resident confirmed in the summary.
    sources = {(a.source, a.theme_code) for a in concern.theme_assignments}
    assert ("model", "narkotika") in sources and ("resident", "narkotika") in sources

    session, replies = stack.chat(session, "nej tack, det var allt")
    assert "Tack för att du hjälper till" in _texts(replies)
    assert len(_concerns(stack, "langar knark, man vågar")) == 1


def test_declining_consent_stores_nothing(stack: Stack) -> None:
    marker = "Mopederna kör som galningar på gångvägen vid Kvarnbäcken"
    session, replies = stack.chat(None, marker + " på kvällarna")
    # Place and time were in the first message: the bot must not ask for them again.
    assert "Var händer det" not in _texts(replies)
    assert "När på dygnet" not in _texts(replies)
    for answer in ("hoppa över", "varje dag", "hoppa över", "hoppa över"):
        session, replies = stack.chat(session, answer)
    assert "Stämmer det" in _texts(replies)
    session, replies = stack.chat(session, "/affirm")
    assert "Får jag spara" in _texts(replies)
    session, replies = stack.chat(session, "nej, spara inte")
    assert "sparar ingenting" in _texts(replies)
    assert _concerns(stack, "Mopederna kör som galningar") == []


def test_when_and_how_often_said_in_words_are_not_asked_again(stack: Stack) -> None:
    marker = "Det luktar gräs i trapphuset på Storgatan varje kväll"
    session, replies = stack.chat(None, marker + ", ungarna andas in det när de går hem")
    said = _texts(replies)
    for question in ("Var händer det", "När på dygnet", "Hur ofta"):
        assert question not in said, said
    assert "Vilka dagar" in said
    for answer in ("hoppa över", "3", "hoppa över"):
        session, replies = stack.chat(session, answer)
    assert "Stämmer det" in _texts(replies)
    session, replies = stack.chat(session, "/affirm")
    session, replies = stack.chat(session, "ja")
    assert "sparat" in _texts(replies)
    [concern] = _concerns(stack, "luktar gräs i trapphuset")
    assert (concern.time_of_day, concern.frequency) == ("kvall", "dagligen")
