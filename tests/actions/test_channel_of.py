"""The channel a concern is stored with, from the messaging connectors' metadata or Rasa's input channel."""

import pytest

from actions.consent import channel_of
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize(
    ("input_channel", "metadata", "expected"),
    [
        ("rest", {"channel": "web"}, "web"),
        ("telegram", {"channel": "telegram"}, "telegram"),
        ("twilio", {"channel": "sms"}, "sms"),
        ("twilio", {"channel": "whatsapp"}, "whatsapp"),
        ("twilio", {}, "sms"),  # Rasa's own Twilio connector sends no metadata
        ("rest", {"channel": "fax"}, "web"),  # unknown names are not stored
    ],
)
def test_channel_of(input_channel: str, metadata: dict[str, str], expected: str) -> None:
    assert channel_of(make_tracker(input_channel=input_channel, metadata=metadata)) == expected
