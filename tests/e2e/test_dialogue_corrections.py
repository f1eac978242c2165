"""Conversations from the second dialogue round, on the real stack: a suggestion that sounds like a question, a
resident who corrects the proposed theme, an English resident naming a Swedish place, and more concerns after
"ja, en sak till"."""

from tests.e2e.conftest import Stack
from tests.e2e.test_chat_to_stored_concern import _button_payloads, _concerns, _texts


def _answer(stack: Stack, session: str, replies: list[dict[str, object]], answers: dict[str, str]) -> tuple[str, str]:
    """Answers each question the bot asks (matched on a phrase) until the summary; returns the summary."""
    for _ in range(len(answers) + 2):
        text = _texts(replies)
        if "Stämmer det" in text or "Is that right" in text:
            return session, text
        question = next((phrase for phrase in answers if phrase in text), None)
        assert question is not None, f"unexpected bot reply: {text}"
        session, replies = stack.chat(session, answers.pop(question))
    raise AssertionError("no summary")


def test_a_resident_corrects_the_theme_and_the_suggestion_is_kept(stack: Stack) -> None:
    marker = "Folk kör moped på gångvägen bakom Ekbackens skola"
    session, replies = stack.chat(None, f"{marker}, de kör jättefort förbi barnen")
    answers = {
        "Var händer det": "gångvägen bakom skolan i Ekbacken",
        "När på dygnet": "på eftermiddagen",
        "Vilka dagar": "hoppa över",
        "Hur ofta": "varje dag",
        "Hur trygg": "2",
        "tryggare": "att polisen syns mer där",  # once read as a question about anonymity
    }
    session, summary = _answer(stack, session, replies, answers)
    assert "att polisen syns mer där" in summary

    session, replies = stack.chat(session, "nej")
    assert '/change_answer{"change_slot": "concern_themes"}' in _button_payloads(replies)
    session, replies = stack.chat(session, '/change_answer{"change_slot": "concern_themes"}')
    assert "Vilket ämne passar bäst" in _texts(replies)
    payloads = _button_payloads(replies)
    assert '/inform{"theme": "inget"}' in payloads and len(payloads) <= 6

    session, replies = stack.chat(session, "det handlar om trafiken")
    assert "Det låter som att det handlar om trafik." in _texts(replies)
    session, replies = stack.chat(session, "ja")
    assert "Får jag spara" in _texts(replies)
    session, replies = stack.chat(session, "ja")
    assert "sparat" in _texts(replies)

    [concern] = _concerns(stack, marker)
    assert concern.suggestion == "att polisen syns mer där"
    assert {a.theme_code for a in concern.theme_assignments if a.source == "resident"} == {"trafik"}

    session, replies = stack.chat(session, "ja, en sak till")
    assert "Berätta med egna ord" in _texts(replies)


def test_an_english_resident_naming_a_swedish_place_gets_english(stack: Stack) -> None:
    session, replies = stack.chat(None, "people are selling drugs at Söderäng torg every evening")
    text = _texts(replies)
    assert "Var händer det" not in text and "Where does it happen" not in text  # the place was in the message
    assert "In your own words" not in text  # nor what happens
    assert "On which days does it happen" in text, text  # and the evening was understood too


def test_none_of_the_themes_leaves_no_resident_theme(stack: Stack) -> None:
    marker = "Någon har ställt en soffa och sopsäckar i vår cykelkällare"
    session, replies = stack.chat(None, marker)
    answers = {
        "Var händer det": "cykelkällaren i Tallmo",
        "När på dygnet": "vet inte",
        "Vilka dagar": "hoppa över",
        "Hur ofta": "en gång",
        "Hur trygg": "hoppa över",
        "tryggare": "hoppa över",
    }
    session, _summary = _answer(stack, session, replies, answers)
    session, replies = stack.chat(session, "temat är fel")
    assert "Vilket ämne passar bäst" in _texts(replies)
    session, replies = stack.chat(session, '/inform{"theme": "inget"}')
    assert "Det låter som att det handlar om" not in _texts(replies)
    assert "Stämmer det" in _texts(replies)
    session, replies = stack.chat(session, "ja")
    session, replies = stack.chat(session, "ja")
    [concern] = _concerns(stack, marker)
    assert not [a for a in concern.theme_assignments if a.source == "resident"]
