"""ValidateConcernForm: each answer is checked, normalised or re-asked."""

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.concern_slots import FORM_SLOTS, SKIPPED, THEME_CANDIDATES, THEME_CHANGE, THEME_CHOICE
from actions.report_form import ASK_ACTIONS, ActionAskConcernThemeChoice, ValidateConcernForm
from tests.actions.conftest import make_tracker, said

form = ValidateConcernForm()


def test_description_is_kept(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    text = "Det sitter gäng i gångtunneln och kastar saker på folk"
    result = form.validate_concern_description(text, dispatcher, make_tracker(text=text), domain)
    assert result == {"concern_description": text}
    assert dispatcher.messages == []


@pytest.mark.parametrize(("text", "intent"), [("vet inte", "dont_know"), ("nej", "deny"), ("a", "nlu_fallback")])
def test_description_without_content_is_asked_again(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], text: str, intent: str
) -> None:
    result = form.validate_concern_description(text, dispatcher, make_tracker(text=text, intent=intent), domain)
    assert result == {"concern_description": None}
    assert said(dispatcher, "need_description")


def test_very_long_description_is_shortened_and_said(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    text = "mopeder " * 400
    result = form.validate_concern_description(text, dispatcher, make_tracker(text=text), domain)
    assert len(result["concern_description"]) == 2000
    assert said(dispatcher, "text_shortened", limit=2000)


@pytest.mark.parametrize(
    ("slot", "value", "intent", "expected"),
    [
        ("concern_time_of_day", "kvall", "inform", "kvall"),
        ("concern_time_of_day", "sent på kvällen", "inform", "kvall"),
        ("concern_time_of_day", "vet inte", "dont_know", "vet_inte"),
        ("concern_weekday", "hoppa över", "skip", SKIPPED),
        ("concern_weekday", "helger", "inform", "helger"),
        ("concern_frequency", "nästan varje dag", "inform", "dagligen"),
        ("concern_frequency", "hoppa över", "skip", "vet_inte"),
        ("concern_felt_safety", "2", "inform", "2"),
        ("concern_felt_safety", "hoppa över", "skip", SKIPPED),
        ("concern_suggestion", "mer ljus i tunneln", "inform", "mer ljus i tunneln"),
        ("concern_suggestion", "nej", "deny", SKIPPED),
        ("concern_place", "vet inte", "dont_know", "vet_inte"),
        ("concern_place", "bakom Coop", "inform", "bakom Coop"),
    ],
)
def test_answers_are_normalised(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], slot: str, value: str, intent: str, expected: str
) -> None:
    validate = getattr(form, f"validate_{slot}")
    assert validate(value, dispatcher, make_tracker(text=value, intent=intent), domain) == {slot: expected}
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", ["concern_time_of_day", "concern_weekday", "concern_frequency", "concern_felt_safety"])
def test_unclear_coded_answers_are_asked_again(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], slot: str
) -> None:
    validate = getattr(form, f"validate_{slot}")
    tracker = make_tracker(text="banan", intent="inform", slots={"requested_slot": slot})
    assert validate("banan", dispatcher, tracker, domain) == {slot: None}
    assert said(dispatcher, f"not_understood_{slot}")


@pytest.mark.parametrize(
    "slot",
    ["concern_description", "concern_place", "concern_time_of_day", "concern_weekday", "concern_frequency",
     "concern_felt_safety", "concern_suggestion"],
)
def test_cleared_slots_stay_unanswered_silently(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], slot: str
) -> None:
    # A new concern or "ändra platsen" clears slots; the form validates those too and must not fill them.
    validate = getattr(form, f"validate_{slot}")
    assert validate(None, dispatcher, make_tracker(intent="greet", text="hej"), domain) == {slot: None}
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", list(ASK_ACTIONS))
async def test_each_question_is_asked_in_the_residents_language(domain: dict[str, Any], slot: str) -> None:
    action = ASK_ACTIONS[slot]()
    assert action.name() == f"action_ask_{slot}"
    swedish, english = CollectingDispatcher(), CollectingDispatcher()
    await action.run(swedish, make_tracker(slots={"language": "sv"}), domain)
    await action.run(english, make_tracker(slots={"language": "en"}), domain)
    assert said(swedish, f"ask_{slot}") and said(english, f"ask_{slot}", language="en")
    assert swedish.messages[0]["text"] != english.messages[0]["text"]


def test_every_message_has_swedish_and_english() -> None:
    from actions.messages import catalog

    for key, variants in catalog().items():
        assert set(variants) == {"sv", "en"}, key


def test_unclear_code_for_a_question_not_asked_is_dropped_silently(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(text="det händer i parken", intent="inform", slots={"requested_slot": "concern_place"})
    assert form.validate_concern_frequency("i", dispatcher, tracker, domain) == {"concern_frequency": None}
    assert dispatcher.messages == []


DOMAIN_SLOTS = [*FORM_SLOTS, THEME_CHOICE]


@pytest.mark.parametrize(("changing", "expected"), [(None, list(FORM_SLOTS)), (True, DOMAIN_SLOTS)])
async def test_the_theme_question_is_asked_only_when_the_resident_changes_the_themes(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], changing: bool | None, expected: list[str]
) -> None:
    tracker = make_tracker(slots={THEME_CHANGE: changing})
    assert await form.required_slots(DOMAIN_SLOTS, dispatcher, tracker, domain) == expected


@pytest.mark.parametrize(
    ("value", "intent", "expected"),
    [
        ("trafik", "inform", "trafik"),  # a button
        ("inget", "inform", "inget"),  # the "none of them" button
        ("det handlar mer om knark", "describe_concern", "narkotika"),
        ("Belysning och fysisk miljö", "inform", "fysisk_miljo"),
        ("inget av dem", "deny", "inget"),
        ("hoppa över", "skip", "inget"),
        ("violence", "inform", "vald_hot"),
    ],
)
def test_a_theme_choice_is_a_theme_code(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], value: str, intent: str, expected: str
) -> None:
    tracker = make_tracker(text=value, intent=intent, slots={"requested_slot": THEME_CHOICE})
    assert form.validate_concern_theme_choice(value, dispatcher, tracker, domain) == {THEME_CHOICE: expected}
    assert dispatcher.messages == []


def test_an_unknown_theme_is_asked_again(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    tracker = make_tracker(text="blä", intent="nlu_fallback", slots={"requested_slot": THEME_CHOICE})
    assert form.validate_concern_theme_choice("blä", dispatcher, tracker, domain) == {THEME_CHOICE: None}
    assert said(dispatcher, "not_understood_concern_theme_choice")


@pytest.mark.parametrize(
    ("language", "titles"),
    [("sv", ["Narkotika", "Trafik", "Inget av dem"]), ("en", ["Drugs", "Traffic", "None of them"])],
)
async def test_the_theme_question_offers_the_candidates_and_none(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], language: str, titles: list[str]
) -> None:
    tracker = make_tracker(slots={"language": language, THEME_CANDIDATES: ["narkotika", "trafik"]})
    action = ActionAskConcernThemeChoice()
    assert action.name() == "action_ask_concern_theme_choice"
    assert await action.run(dispatcher, tracker, domain) == []
    assert said(dispatcher, "ask_concern_theme_choice", language=language)
    buttons = dispatcher.messages[0]["buttons"]
    assert [button["title"] for button in buttons] == titles
    assert [button["payload"] for button in buttons] == [
        '/inform{"theme": "narkotika"}',
        '/inform{"theme": "trafik"}',
        '/inform{"theme": "inget"}',
    ]


async def test_without_candidates_the_theme_question_still_offers_themes(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await ActionAskConcernThemeChoice().run(dispatcher, make_tracker(), domain)
    assert len(dispatcher.messages[0]["buttons"]) == 6  # five themes and "Inget av dem"


@pytest.mark.parametrize(
    ("slot", "value"),
    [("concern_weekday", SKIPPED), ("concern_felt_safety", SKIPPED), ("concern_suggestion", SKIPPED),
     ("concern_time_of_day", "vet_inte"), ("concern_place", "vet_inte"), ("concern_theme_choice", "inget")],
)
def test_answers_revalidated_when_the_form_starts_again_are_kept(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], slot: str, value: str
) -> None:
    # "ändra ämnet" restarts the form, and Rasa validates every filled slot again with the latest intent.
    tracker = make_tracker(intent="change_answer", text="ändra ämnet", slots={"requested_slot": None})
    assert getattr(form, f"validate_{slot}")(value, dispatcher, tracker, domain) == {slot: value}
    assert dispatcher.messages == []
