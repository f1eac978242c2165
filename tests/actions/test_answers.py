"""The pure answer parsers used by the form."""

import pytest

from actions import answers


@pytest.mark.parametrize(
    ("text", "code"),
    [("på kvällarna", "kvall"), ("runt lunch", "dag"), ("mitt i natten", "natt"), ("tidigt på morronen", "morgon"),
     ("kl 23", "natt"), ("efter 18", "kvall"), ("dygnet runt", "hela_dygnet"), ("vet inte", "vet_inte"),
     ("blå", None)],
)
def test_time_of_day(text: str, code: str | None) -> None:
    assert answers.time_of_day_from_text(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("varje dag", "dagligen"), ("typ jämt", "dagligen"), ("varje helg", "varje_vecka"), ("då och då", "ibland"),
     ("bara en gång", "en_gang"), ("ingen aning", "vet_inte"), ("grön", None)],
)
def test_frequency(text: str, code: str | None) -> None:
    assert answers.frequency_from_text(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("helgerna", "helger"), ("mån-fre", "vardagar"), ("fredagar", "fredag"), ("lördagskvällar", "lordag"),
     ("alla dagar", "alla_dagar")],
)
def test_weekday(text: str, code: str) -> None:
    assert answers.weekday_from_text(text) == code


@pytest.mark.parametrize(("text", "level"), [("4", 4), ("typ en 2:a", 2), ("ganska otrygg", 2), ("helt trygg", 5),
                                             ("1 eller 5", None), ("banan", None)])
def test_felt_safety(text: str, level: int | None) -> None:
    assert answers.felt_safety_from_text(text) == level
