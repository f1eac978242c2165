"""Replies on channels without buttons: numbered choices, answers by number or words, SMS alphabet and parts."""

import pytest

from bot.channels.replies import (
    MAX_TWILIO_BODY,
    channel_texts,
    is_gsm7,
    last_choices,
    numbered,
    resolve_answer,
    sms_bodies,
    sms_segments,
    telegram_buttons,
    to_gsm7,
    whatsapp_bodies,
)

TIME_BUTTONS = [
    {"title": "Morgon", "payload": '/inform{"time_of_day": "morgon"}'},
    {"title": "Dag", "payload": '/inform{"time_of_day": "dag"}'},
    {"title": "Kväll", "payload": '/inform{"time_of_day": "kvall"}'},
    {"title": "Vet inte", "payload": "/dont_know"},
]
CONSENT_BUTTONS = [{"title": "Ja, spara", "payload": "/affirm"}, {"title": "Nej, spara inte", "payload": "/deny"}]


def test_buttons_become_numbered_choices() -> None:
    assert numbered("När på dygnet händer det oftast?", TIME_BUTTONS) == (
        "När på dygnet händer det oftast?\n1 = Morgon\n2 = Dag\n3 = Kväll\n4 = Vet inte\nSvara 1, 2, 3 eller 4."
    )
    assert numbered("Is that right?", CONSENT_BUTTONS, "en").endswith("Reply 1 or 2.")


def test_a_single_option_leaves_room_for_own_words() -> None:
    assert numbered("Var händer det?", [{"title": "Vet inte", "payload": "/dont_know"}]) == (
        "Var händer det?\n1 = Vet inte\nSvara 1 eller skriv med egna ord."
    )


def test_buttons_titled_with_their_own_number_need_no_line() -> None:
    scale = [{"title": str(n), "payload": f'/inform{{"felt_safety": "{n}"}}'} for n in range(1, 6)]
    text = numbered("Hur trygg?", [*scale, {"title": "Hoppa över", "payload": "/skip"}])
    assert text == "Hur trygg?\n6 = Hoppa över\nSvara 1, 2, 3, 4, 5 eller 6."


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("3", '/inform{"time_of_day": "kvall"}'),
        (" 3. ", '/inform{"time_of_day": "kvall"}'),
        ("#4", "/dont_know"),
        ("kväll", '/inform{"time_of_day": "kvall"}'),
        ("VET INTE!", "/dont_know"),
        ("5", "5"),  # no fifth option: the text goes to the NLU unchanged
        ("0", "0"),
        ("på kvällen mest", "på kvällen mest"),
    ],
)
def test_answers_by_number_or_title(answer: str, expected: str) -> None:
    assert resolve_answer(answer, TIME_BUTTONS) == expected


def test_without_choices_a_number_is_just_text() -> None:
    assert resolve_answer("2", []) == "2"


def test_choices_are_those_of_the_last_bot_message_since_the_resident_wrote() -> None:
    events = [
        {"event": "bot", "text": "Får jag spara?", "data": {"buttons": CONSENT_BUTTONS}},
        {"event": "user", "text": "1"},
        {"event": "bot", "text": "När?", "data": {"buttons": TIME_BUTTONS}},
        {"event": "action", "name": "action_listen"},
        {"event": "bot", "text": "Tack!", "data": {"buttons": None}},
    ]
    assert last_choices(events) == TIME_BUTTONS
    # Once the resident has answered, the old numbers mean nothing any more.
    assert last_choices([*events, {"event": "user", "text": "3"}]) == []


def test_only_the_last_message_with_buttons_is_numbered() -> None:
    messages = [
        {"text": "Ring 112 nu om någon är i fara.", "buttons": None},
        {"text": "Får jag spara?", "buttons": CONSENT_BUTTONS},
        {"text": "När?", "buttons": TIME_BUTTONS},
    ]
    texts = channel_texts(messages)
    assert texts[0].startswith("Ring 112")
    assert texts[1] == "Får jag spara?"
    assert texts[2].endswith("Svara 1, 2, 3 eller 4.")


def test_swedish_letters_are_gsm7_but_typographic_dashes_are_replaced() -> None:
    assert is_gsm7("Åsa och Örjan går över älven, é")
    assert not is_gsm7("ring 112 – nu")
    assert to_gsm7("ring 112 – nu • “citat” …") == 'ring 112 - nu - "citat" ...'
    assert is_gsm7(to_gsm7("Du är inte ensam – ring 90101."))


@pytest.mark.parametrize(
    ("text", "parts"),
    [("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("€" * 80, 1), ("€" * 81, 2),
     ("ö" * 160, 1), ("😀" * 35, 1), ("😀" * 36, 2), ("–" * 70, 1), ("–" * 71, 2)],
)
def test_sms_parts(text: str, parts: int) -> None:
    assert sms_segments(text) == parts


def test_one_turns_replies_share_sms_bodies_in_order_within_the_part_limit() -> None:
    texts = ["Ring 112 nu om någon är i fara – ingen läser chatten.", "Jag har pausat frågorna.", "x" * 560]
    bodies = sms_bodies(texts)
    assert bodies[0].startswith("Ring 112 nu") and "Jag har pausat" in bodies[0]
    assert all(is_gsm7(body) and sms_segments(body) <= 4 for body in bodies)
    assert len(bodies) == 2


def test_a_very_long_reply_is_split_at_sentences_and_nothing_is_lost() -> None:
    sentence = "Det här är en mening om trygghet i Norrby. "
    text = (sentence * 40).strip()
    bodies = sms_bodies([text])
    assert len(bodies) > 1
    assert all(sms_segments(body) <= 4 for body in bodies)
    assert " ".join(bodies).split() == text.split()


def test_whatsapp_keeps_any_character_up_to_twilios_body_limit() -> None:
    bodies = whatsapp_bodies(["Hej – 😀", "y " * 1000])
    assert bodies[0].startswith("Hej – 😀")
    assert all(len(body) <= MAX_TWILIO_BODY for body in bodies)


def test_telegram_callback_data_over_64_bytes_is_sent_as_the_option_number() -> None:
    long_payload = '/change_answer{"change_slot": "concern_description", "note": "xxxxxxxxxxxxxxxx"}'
    buttons = telegram_buttons([{"title": "Vad", "payload": long_payload}, *CONSENT_BUTTONS])
    assert [button["payload"] for button in buttons] == ["#1", "/affirm", "/deny"]
    assert resolve_answer("#1", [{"title": "Vad", "payload": long_payload}]) == long_payload
