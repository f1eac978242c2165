"""Starting, summarising, changing, going back in and cancelling a concern."""

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import concern_flow
from actions.concern_flow import (
    ActionCancelConcern,
    ActionChangeAnswer,
    ActionGoBack,
    ActionStartConcern,
    ActionSummarizeConcern,
)
from actions.concern_slots import (
    FORM_SLOTS,
    SUGGESTION,
    THEME_CANDIDATES,
    THEME_CHANGE,
    THEME_CHOICE,
    THEME_SLOTS,
    THEMES,
)
from tests.actions.conftest import make_tracker, said, texts

RESET = [SlotSet(slot, None) for slot in (*FORM_SLOTS, *THEME_SLOTS)]


@pytest.fixture
def no_theme_suggestion(monkeypatch: pytest.MonkeyPatch) -> None:
    async def unavailable(text: str) -> None:
        return None

    monkeypatch.setattr(concern_flow, "classify_text", unavailable)


async def test_start_keeps_what_the_first_message_said(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "Det langas knark vid Stationsgatan på kvällarna"
    tracker = make_tracker(
        text=text,
        entities=[{"entity": "place", "value": "Stationsgatan"}, {"entity": "time_of_day", "value": "kvall"}],
    )
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert events == [
        *RESET,
        SlotSet("intro_shown", True),
        SlotSet("concern_description", text),
        SlotSet("concern_place", "Stationsgatan"),
        SlotSet("concern_time_of_day", "kvall"),
    ]
    assert said(dispatcher, "intro_short")


async def test_start_keeps_the_time_a_description_says_in_words(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    # The model tagged only the places; "varje kväll" still says when and how often, so neither is asked again.
    text = "det luktar gräs i trapphuset varje kväll på Storgatan"
    tracker = make_tracker(text=text, entities=[{"entity": "place", "value": "Storgatan"}], slots={"intro_shown": True})
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert events == [
        *RESET,
        SlotSet("concern_description", text),
        SlotSet("concern_place", "Storgatan"),
        SlotSet("concern_time_of_day", "kvall"),
        SlotSet("concern_frequency", "dagligen"),
    ]


async def test_the_models_entities_win_over_words_in_the_description(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "de bråkar på helgerna, mest på natten men ibland varje kväll"
    entities = [{"entity": "time_of_day", "value": "natt"}]
    tracker = make_tracker(text=text, entities=entities, slots={"intro_shown": True})
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert SlotSet("concern_time_of_day", "natt") in events
    assert SlotSet("concern_time_of_day", "kvall") not in events
    assert SlotSet("concern_weekday", "helger") in events


@pytest.mark.parametrize(
    "text", ["man vågar inte gå ut sent", "min son blev rånad vid dagis", "det är mörkt i tunneln"]
)
def test_a_description_without_a_time_phrase_sets_no_time(text: str) -> None:
    assert concern_flow.answers.when_in_description(text) == {}


async def test_after_a_greeting_the_short_introduction_is_not_repeated(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionStartConcern().run(dispatcher, make_tracker(intent="greet", text="hej"), domain)
    assert events == [*RESET, SlotSet("intro_shown", True)]
    assert dispatcher.messages == []
    again = CollectingDispatcher()
    await ActionStartConcern().run(again, make_tracker(intent="describe_concern", slots={"intro_shown": True}), domain)
    assert again.messages == []


async def test_summary_says_codes_in_plain_words(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], no_theme_suggestion: None
) -> None:
    slots = {
        "concern_description": "Mopeder på gångvägen",
        "concern_place": "Kvarnbäcken",
        "concern_time_of_day": "kvall",
        "concern_weekday": "helger",
        "concern_frequency": "varje_vecka",
        "concern_felt_safety": "2",
        "concern_suggestion": "hoppade_over",
    }
    await ActionSummarizeConcern().run(dispatcher, make_tracker(slots=slots), domain)
    assert said(
        dispatcher, "concern_summary", what="Mopeder på gångvägen", where="Kvarnbäcken",
        when="på kvällen, på helger", how_often="varje vecka", felt_safety="2 av 5", suggestion="inget",
        themes_line="",
    )
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]
    english = CollectingDispatcher()
    await ActionSummarizeConcern().run(english, make_tracker(slots={**slots, "language": "en"}), domain)
    assert "in the evening, at weekends" in texts(english)[0]


async def test_change_answer_clears_that_slot(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    tracker = make_tracker(intent="change_answer", entities=[{"entity": "change_slot", "value": "concern_place"}])
    assert await ActionChangeAnswer().run(dispatcher, tracker, domain) == [SlotSet("concern_place", None)]


async def test_change_answer_without_slot_asks_what(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    assert await ActionChangeAnswer().run(dispatcher, make_tracker(intent="change_answer"), domain) == []
    assert dispatcher.messages[0]["response"] == "utter_ask_what_to_change"


@pytest.mark.parametrize(
    ("filled", "requested", "cleared"),
    [
        (["concern_description", "concern_place"], "concern_time_of_day", "concern_place"),
        (["concern_description"], "concern_place", "concern_description"),
    ],
)
async def test_go_back_clears_the_previous_answer(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], filled: list[str], requested: str, cleared: str
) -> None:
    slots = {slot: "x" for slot in filled} | {"requested_slot": requested}
    events = await ActionGoBack().run(dispatcher, make_tracker(slots=slots, intent="go_back"), domain)
    assert events == [SlotSet(cleared, None), SlotSet("requested_slot", None)]


async def test_go_back_at_the_first_question(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    tracker = make_tracker(slots={"requested_slot": "concern_description"}, intent="go_back")
    assert await ActionGoBack().run(dispatcher, tracker, domain) == []
    assert said(dispatcher, "cannot_go_back")


async def test_cancel_forgets_everything(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    events = await ActionCancelConcern().run(dispatcher, make_tracker(slots={"concern_description": "x"}), domain)
    assert events == RESET
    assert dispatcher.messages == []  # the rule says utter_cancelled


async def test_summary_proposes_the_themes_in_plain_words(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []

    async def suggest(text: str) -> dict[str, Any]:
        sent.append(text)
        return {"themes": ["trafik", "fysisk_miljo"],
                "labels": {"trafik": "Trafik", "fysisk_miljo": "Belysning och fysisk miljö"}}

    monkeypatch.setattr(concern_flow, "classify_text", suggest)
    slots = {"concern_description": "Mörkt vid övergångsstället, ring 070-123 45 67", "concern_place": "Storgatan"}
    events = await ActionSummarizeConcern().run(dispatcher, make_tracker(slots=slots), domain)
    assert "Det låter som att det handlar om trafik och belysning och fysisk miljö." in texts(dispatcher)[0]
    assert events == [
        SlotSet(THEME_CHANGE, None),
        SlotSet(THEME_CANDIDATES, ["trafik", "fysisk_miljo"]),
        SlotSet(THEMES, ["trafik", "fysisk_miljo"]),
    ]
    assert "070-123 45 67" not in sent[0]  # only scrubbed text leaves the action server


async def test_the_theme_choices_are_the_classifiers_best_themes(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def classify(text: str) -> dict[str, Any]:
        scores = {"narkotika": 0.8, "trafik": 0.1, "alkohol": 0.5, "vald_hot": 0.3, "bedrageri": 0.05,
                  "nedskrapning": 0.2, "retired_code": 0.9}
        return {"themes": ["narkotika"], "scores": scores, "labels": {"narkotika": "Narkotika"}}

    monkeypatch.setattr(concern_flow, "classify_text", classify)
    slots = {"concern_description": "knark och fylla i parken", "language": "en"}
    events = await ActionSummarizeConcern().run(dispatcher, make_tracker(slots=slots), domain)
    assert SlotSet(THEME_CANDIDATES, ["narkotika", "alkohol", "vald_hot", "nedskrapning", "trafik"]) in events
    assert "It sounds like it is about drugs." in texts(dispatcher)[0]  # the English name, not the label


@pytest.mark.parametrize(
    ("choice", "themes", "line"),
    [
        ("trafik", ["trafik"], "Det låter som att det handlar om trafik. "),
        ("inget", None, ""),
    ],
)
async def test_a_theme_the_resident_chose_replaces_the_proposal(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
    themes: list[str] | None,
    line: str,
) -> None:
    async def must_not_classify(text: str) -> None:
        raise AssertionError("the resident's choice is not classified again")

    monkeypatch.setattr(concern_flow, "classify_text", must_not_classify)
    slots = {"concern_description": "Mopeder på gångvägen", THEME_CHOICE: choice, THEMES: ["narkotika"]}
    events = await ActionSummarizeConcern().run(dispatcher, make_tracker(slots=slots), domain)
    assert events == [SlotSet(THEME_CHANGE, None), SlotSet(THEMES, themes)]
    assert f"{line}Stämmer det?" in texts(dispatcher)[0]
    assert "narkotika" not in texts(dispatcher)[0]


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ('/change_answer{"change_slot": "concern_themes"}', None),  # the button: the form asks the question
        ("temat är fel", None),
        ("det handlar inte om narkotika", None),  # names what it is NOT about
        ("nej, det handlar om trafiken", "trafik"),  # names the right theme: taken at once
        ("fel ämne, det är knark det gäller", "narkotika"),
    ],
)
async def test_changing_the_themes(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], text: str, choice: str | None
) -> None:
    tracker = make_tracker(
        intent="change_answer", text=text, entities=[{"entity": "change_slot", "value": "concern_themes"}]
    )
    events = await ActionChangeAnswer().run(dispatcher, tracker, domain)
    assert events == [SlotSet(THEME_CHANGE, True), SlotSet(THEME_CHOICE, choice)]
    assert dispatcher.messages == []  # the form asks (action_ask_concern_theme_choice) or completes


async def test_a_theme_correction_is_taken_when_the_model_marks_the_whole_message_as_the_slot(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    # DIET sometimes tags all of "det handlar om trafiken" as change_slot, a value that names no slot.
    entities = [{"entity": "change_slot", "value": "det handlar om trafiken"}]
    tracker = make_tracker(intent="change_answer", text="det handlar om trafiken", entities=entities)
    events = await ActionChangeAnswer().run(dispatcher, tracker, domain)
    assert events == [SlotSet(THEME_CHANGE, True), SlotSet(THEME_CHOICE, "trafik")]
    assert dispatcher.messages == []


async def test_an_unknown_slot_naming_no_theme_asks_what_to_change(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    entities = [{"entity": "change_slot", "value": "det där"}]
    tracker = make_tracker(intent="change_answer", text="jag vill ändra det där", entities=entities)
    assert await ActionChangeAnswer().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages[0]["response"] == "utter_ask_what_to_change"


async def test_a_suggestion_as_the_first_message_is_kept_as_the_suggestion(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(intent="suggest", text="det borde finnas kameror vid stationen", slots={"intro_shown": True})
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert events == [*RESET, SlotSet(SUGGESTION, "det borde finnas kameror vid stationen")]


def test_spoken_list() -> None:
    assert concern_flow.spoken_list(["a"], "och") == "a"
    assert concern_flow.spoken_list(["a", "b", "c"], "och") == "a, b och c"


async def test_a_first_answer_that_says_more_than_a_place_is_the_description(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "narkotikaförsäljning bakom pizzerian på Storgatan"
    tracker = make_tracker(
        intent="inform", text=text, entities=[{"entity": "place", "value": "Storgatan", "start": 41, "end": 50}]
    )
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert SlotSet("concern_description", text) in events
    assert SlotSet("concern_place", "Storgatan") in events


async def test_a_bare_place_is_not_a_description(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        intent="inform", text="vid Stationsgatan",
        entities=[{"entity": "place", "value": "Stationsgatan", "start": 4, "end": 17}],
    )
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert not any(event.get("name") == "concern_description" and event.get("value") for event in events)


async def test_unknown_codes_from_the_first_message_are_dropped(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        text="People are selling drugs in the park every evening",
        entities=[{"entity": "frequency", "value": "every"}, {"entity": "time_of_day", "value": "kvall"}],
    )
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert SlotSet("concern_time_of_day", "kvall") in events
    assert SlotSet("concern_frequency", "every") not in events


async def test_overlapping_extractors_do_not_hide_a_description(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "det är mörkt i gångtunneln vid stationen"
    place = {"entity": "place", "value": "gångtunneln vid stationen", "start": 15, "end": 40}
    tracker = make_tracker(intent="inform", text=text, entities=[place, dict(place)])
    events = await ActionStartConcern().run(dispatcher, tracker, domain)
    assert SlotSet("concern_description", text) in events
