"""The Swedish/English guess behind the `language` slot."""

import pytest

rasa = pytest.importorskip("rasa")

from bot.components.language_detector import detect_language  # noqa: E402


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("There are people selling drugs in the park every evening", "en"),
        ("I feel unsafe at the bus stop", "en"),
        ("hello", "en"),
        ("Det langas knark i parken varje kväll", "sv"),
        ("jag känner mig otrygg vid busshållplatsen", "sv"),
        ("hej", "sv"),
        ("Stationsgatan", None),
        ("ok", None),
        ('/inform{"time_of_day": "kvall"}', None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language
