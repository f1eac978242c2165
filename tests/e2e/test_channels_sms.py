"""SMS and WhatsApp end to end: Twilio's signed form posts sent to Rasa's Twilio webhook (our connector), replies
captured by a local fake of Twilio's Messages API, concerns read from the API's database."""

import base64
import hashlib
import hmac
import secrets
import sqlite3
import time

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from api.models import Concern
from bot.channels.replies import is_gsm7, sms_segments
from tests.e2e.conftest import Stack
from tests.e2e.messaging_fakes import TWILIO_NUMBER, TWILIO_WEBHOOK_URL, WHATSAPP_NUMBER, Call, MessagingPlatforms


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """How Twilio signs a webhook (twilio.com/docs/usage/security): HMAC-SHA1 over the URL followed by every
    parameter name and value, sorted by name, base64-encoded. Written out here, not taken from the code under test."""
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class TwilioResident:
    """A resident writing from a phone; each message is the form Twilio posts for an incoming SMS/WhatsApp."""

    def __init__(self, stack: Stack, platforms: MessagingPlatforms, *, whatsapp: bool = False) -> None:
        self.stack, self.fake, self.auth_token = stack, platforms.twilio, platforms.twilio_auth_token
        self.account_sid = platforms.env["TWILIO_ACCOUNT_SID"]
        self.number = f"+4670{secrets.randbelow(10**7):07d}"
        self.address = f"whatsapp:{self.number}" if whatsapp else self.number
        self.our_number = WHATSAPP_NUMBER if whatsapp else TWILIO_NUMBER

    def form(self, text: str, **extra: str) -> dict[str, str]:
        sid = "SM" + secrets.token_hex(16)
        return {
            "ToCountry": "SE", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "", "FromZip": "",
            "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": text,
            "FromCountry": "SE", "To": self.our_number, "ToZip": "", "NumSegments": "1", "MessageSid": sid,
            "AccountSid": self.account_sid, "From": self.address, "ApiVersion": "2010-04-01", **extra,
        }

    def post(self, form: dict[str, str], signature: str | None = None) -> httpx.Response:
        if signature is None:
            signature = twilio_signature(self.auth_token, TWILIO_WEBHOOK_URL, form)
        return httpx.post(f"{self.stack.rasa_url}/webhooks/twilio/webhook", data=form,
                          headers={"X-Twilio-Signature": signature}, timeout=30)

    def mine(self, calls: list[Call]) -> list[str]:
        return [str(call.params["Body"]) for call in calls if call.params.get("To") == self.address]

    def say(self, text: str, until: tuple[str, ...]) -> list[str]:
        """Sends an SMS and waits until a reply contains one of the `until` phrases."""
        start = self.fake.mark()
        response = self.post(self.form(text))
        assert response.status_code == 200, response.text
        calls = self.fake.wait_for(
            start, lambda calls: any(phrase in body for body in self.mine(calls) for phrase in until)
        )
        assert all(call.params["From"] == self.our_number for call in calls if call.params.get("To") == self.address)
        return self.mine(calls)


def _concerns(stack: Stack, description_part: str) -> list[Concern]:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Concern).where(Concern.description.contains(description_part))).all())
    engine.dispose()
    return rows


def _sqlite_dump(url: str) -> str:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return "\n".join(connection.iterdump())


def _digits(number: str) -> str:
    return number.lstrip("+")


@pytest.fixture
def sms(stack: Stack, messaging_platforms: MessagingPlatforms) -> TwilioResident:
    return TwilioResident(stack, messaging_platforms)


# What the resident answers to each of the form's questions (matched on a phrase of the question).
SMS_ANSWERS = {
    "Var händer det": "Stationsgatan",
    "När på dygnet": "3",  # Kväll
    "Vilka dagar": "2",  # Helger
    "Hur ofta": "Varje vecka",  # the words of option 2 work as well as the number
    "Hur trygg": "2",
    "tryggare": "Bättre belysning och fler vuxna ute på kvällarna",
}
SUMMARY = "Stämmer det"


def _answer_until_summary(resident: TwilioResident, first_message: str, answers: dict[str, str]) -> list[str]:
    """Answers the form's questions, whichever it asks; returns every SMS received, the summary last."""
    bodies = resident.say(first_message, until=(*answers, SUMMARY))
    received, asked = list(bodies), []
    while SUMMARY not in bodies[-1]:
        question = next(q for q in answers if q in bodies[-1])
        assert question not in asked, f"asked twice: {question}"
        asked.append(question)
        bodies = resident.say(answers[question], until=(*answers, SUMMARY))
        received += bodies
    return received


def test_a_full_sms_conversation_with_numbered_choices_stores_an_sms_concern(
    stack: Stack, sms: TwilioResident
) -> None:
    sms.say("Hej", until=("Berätta med egna ord",))
    # A description of its own (the other tests' concerns share the database and are looked up by their words).
    received = _answer_until_summary(sms, "Folk langar och lämnar sprutor överallt, man blir rädd att gå hem",
                                     SMS_ANSWERS)
    time_question = next(body for body in received if "När på dygnet" in body)
    assert "3 = Kväll" in time_question and time_question.endswith("Svara 1, 2, 3, 4, 5 eller 6.")
    assert "1 = Ja, det stämmer" in received[-1]
    sms.say("1", until=("Får jag spara",))
    received += sms.say("1", until=("sparat",))

    # Every SMS stays in the 7-bit alphabet (160 characters per part) and within four parts.
    for body in received:
        assert is_gsm7(body), body
        assert sms_segments(body) <= 4

    stored = _concerns(stack, "lämnar sprutor överallt")
    assert [concern.channel for concern in stored] == ["sms"]
    concern = stored[0]
    assert (concern.time_of_day, concern.weekday, concern.frequency, concern.felt_safety) == (
        "kvall", "helger", "varje_vecka", 2
    )
    # The phone number reaches neither the API's database nor Rasa's tracker store.
    for dump in (_sqlite_dump(stack.database_url), _sqlite_dump(stack.tracker_store_url)):
        assert _digits(sms.number) not in dump


def test_a_whatsapp_conversation_stores_a_whatsapp_concern(
    stack: Stack, messaging_platforms: MessagingPlatforms
) -> None:
    resident = TwilioResident(stack, messaging_platforms, whatsapp=True)
    answers = {**SMS_ANSWERS, "Vilka dagar": "Hoppa över", "tryggare": "Fler lampor längs gångvägen"}
    _answer_until_summary(resident, "Mopeder kör som galningar på gångvägen så barnen hinner knappt flytta sig",
                          answers)
    resident.say("1", until=("Får jag spara",))
    resident.say("1", until=("sparat",))
    stored = _concerns(stack, "Mopeder kör som galningar på gångvägen")
    assert [concern.channel for concern in stored] == ["whatsapp"]
    assert _digits(resident.number) not in _sqlite_dump(stack.database_url)


@pytest.mark.parametrize("whatsapp", [False, True])
def test_an_emergency_gets_the_112_reply_first(
    stack: Stack, messaging_platforms: MessagingPlatforms, whatsapp: bool
) -> None:
    resident = TwilioResident(stack, messaging_platforms, whatsapp=whatsapp)
    bodies = resident.say("det står en kille med kniv utanför porten och väntar på mig", until=("112",))
    assert bodies[0].startswith("Ring 112 nu")


def test_requests_without_a_valid_signature_are_refused(
    sms: TwilioResident, messaging_platforms: MessagingPlatforms
) -> None:
    start = messaging_platforms.twilio.mark()
    form = sms.form("Hej")
    forged = twilio_signature("not-the-auth-token", TWILIO_WEBHOOK_URL, form)
    other_url = twilio_signature(sms.auth_token, "https://elsewhere.example.com/webhooks/twilio/webhook", form)
    tampered = twilio_signature(sms.auth_token, TWILIO_WEBHOOK_URL, {**form, "Body": "något annat"})
    for signature in ("", forged, other_url, tampered):
        assert sms.post(form, signature=signature).status_code == 403
    time.sleep(2)  # give a wrongly accepted message time to be answered
    assert sms.mine(messaging_platforms.twilio.since(start)) == []


def test_too_many_messages_get_one_slow_down_reply(
    sms: TwilioResident, messaging_platforms: MessagingPlatforms
) -> None:
    # Picture messages (MMS) count like any message but need no bot turn: the resident is asked to write text.
    start = messaging_platforms.twilio.mark()
    limit = int(messaging_platforms.env.get("CHANNEL_RATE_LIMIT_PER_MINUTE", "12"))
    picture = {"NumMedia": "1", "MediaContentType0": "image/jpeg",
               "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME"}
    for _ in range(limit + 3):
        assert sms.post(sms.form("", **picture)).status_code == 200
    messaging_platforms.twilio.wait_for(start, lambda calls: any("Vänta en minut" in b for b in sms.mine(calls)))
    time.sleep(2)  # messages over the limit must stay unanswered
    bodies = sms.mine(messaging_platforms.twilio.since(start))
    assert sum("bara läsa textmeddelanden" in body for body in bodies) == limit
    assert sum("Vänta en minut" in body for body in bodies) == 1
    assert len(bodies) == limit + 1
