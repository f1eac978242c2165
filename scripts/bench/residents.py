"""Simulated residents: whole conversations through the chat gateway (ours) or Rasa's REST channel (stock Rasa).

A resident opens (sometimes with a greeting), tells a concern in their own words, answers the form's questions the
way people do (buttons, free text, "vet inte", skipping), confirms the summary, consents or declines and says
goodbye. The bot's replies decide the next message, so a reply that fits no step ends the conversation as
"off script" (counted separately from HTTP errors). Used by the bench (scripts/bench/section_chat.py) and by the
scale-out test (tests/e2e/test_scale_out.py). Needs httpx (the API venv).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

# Concerns as residents write them: short and long, colloquial, the odd typo. No personal data.
DESCRIPTIONS = (
    "Det står ett gäng och langar knark vid busshållplatsen, man vågar knappt gå förbi",
    "mopeder som kör som galningar på gång och cykelvägen, nån kommer bli påkörd snart",
    "Gatlyktorna i gångtunneln har varit trasiga i flera veckor och det är kolsvart där på kvällen",
    "Det är mycket klotter och krossat glas överallt, känns som ingen bryr sig om området längre",
    "ungdomar som samlas och skriker och slänger saker på bilar sent på nätterna",
    "Det har varit flera förrådsinbrott i vårt hus den senaste månaden, man känner sig inte trygg",
    "jag blir otrygg av att det sitter folk och dricker i parken hela dagarna och bråkar",
    "Bilar som kör alldeles för fort förbi skolan, barnen måste korsa vägen utan övergångsställe",
    "det är så mörkt och buskigt på vägen hem från stationen att jag tar omvägar",
    "Cykelstölder hela tiden vid stationen, min granne har fått sin cykel stulen två gånger",
    "Folk som säljer droger öppet bakom affären, alla vet om det men inget händer",
    "Det är raggningsbilar som kör runt runt på torget med hög musik och bränner däck",
    "Jag har sett personer som hotar och tar saker av yngre barn vid fritidsgården",
    "Det sover folk i trappuppgången och ytterdörren går inte i lås, det känns otryggt att komma hem",
    "misshandel utanför krogen i helgerna, det blir bråk varje gång de stänger",
    "Skadegörelse på lekplatsen, gungorna är sönderskurna och klotter på rutschkanan",
    "Äldre i området är rädda att gå ut efter att det varit flera väskryckningar",
    "Det brinner i papperskorgar och containrar nästan varje vecka här",
    "ensamma tjejer blir trakasserade och förföljda av killar i gallerian",
    "Vi har problem med inbrott i bilar på parkeringen, rutor krossas hela tiden",
    "Hundägare som låter stora hundar springa lösa och skrämmer barn i parken",
    "det e otryggt på pendeltågsperrongen sent, inga vakter och folk som är påverkade",
    "Ett övergivet hus där folk går in och ut och det har brunnit en gång redan",
    "Jag känner mig otrygg när jag går genom skogsdungen till jobbet tidigt på morgonen",
)
PLACES = ("Stationsgatan", "Stadsparken", "vid Storgatan", "Stortorget", "i Norrby", "Hamnen", "nere vid stationen",
          "Gallerian Kronan", "Söderäng", "Kyrkogatan", "i centrum", "Björkhagen")
TIMES = ('/inform{"time_of_day": "kvall"}', "på natten mest", "kvällar", '/inform{"time_of_day": "natt"}',
         "vet inte", "hela dygnet typ", "eftermiddagar")
DAYS = ("mest på helgerna", "hoppa över", "fredagar och lördagar", "vardagar", "alla dagar", "vet ej")
HOW_OFTEN = ("varje dag typ", "varje vecka", "ibland", "en gång i månaden ungefär", "vet inte", "hela tiden")
SAFETY = ("2", "1", "3", "hoppa över", "1 typ", "2")
SUGGESTIONS = ("Bättre belysning och att polisen kommer förbi ibland", "hoppa över", "mer vuxna ute på kvällarna",
               "kameror kanske", "nej", "Att någon städar och lagar det som är trasigt")
OPENINGS = ("Hej!", "hej", "Hallå", "god kväll")
AFFIRM = ("ja det stämmer", "/affirm", "ja", "japp stämmer bra")
CONSENT = ("ja", "/affirm", "ja, spara")
DECLINE = ("nej, spara inte", "/deny", "nej tack, spara inte")
GOODBYE = ("nej tack, det var allt", "/deny", "nej det var allt")

# What the bot says → which answers fit (matched on a phrase of the reply, first match wins).
QUESTIONS = (
    ("Var händer det", PLACES),
    ("När på dygnet", TIMES),
    ("vilken tid du menar", ("vet inte",)),
    ("Vilka dagar", DAYS),
    ("vilka dagar du menar", ("hoppa över",)),
    ("Hur ofta", HOW_OFTEN),
    ("hur ofta", ("vet inte",)),
    ("Hur trygg", SAFETY),
    ("Svara med en siffra", ("hoppa över",)),
    ("tryggare", SUGGESTIONS),
)
SUMMARY, ASK_CONSENT, ASK_ANOTHER = "Stämmer det", "Får jag spara", "Vill du berätta om något mer"
SAVED, NOT_SAVED, CLOSING = "sparat", "sparar ingenting", "Hej då"
MAX_TURNS = 16


@dataclass
class Resident:
    """One resident's conversation plan; `rng` picks the answers."""

    description: str
    consents: bool = True
    greets: bool = False
    rng: random.Random = field(default_factory=random.Random)

    def opening(self) -> list[str]:
        return [self.rng.choice(OPENINGS), self.description] if self.greets else [self.description]

    def answer(self, reply: str) -> str | None:
        """The next message after the bot's `reply`, or None when the conversation is over or off script."""
        if ASK_CONSENT in reply:
            return self.rng.choice(CONSENT if self.consents else DECLINE)
        if SUMMARY in reply:
            return self.rng.choice(AFFIRM)
        for phrase, answers in QUESTIONS:
            if phrase in reply:
                return self.rng.choice(answers)
        if ASK_ANOTHER in reply:
            return self.rng.choice(GOODBYE)
        return None


def residents(count: int, seed: int, decline_every: int = 5) -> list[Resident]:
    """`count` residents with distinct descriptions while they last; every `decline_every`-th declines consent."""
    rng = random.Random(seed)
    order = rng.sample(DESCRIPTIONS, len(DESCRIPTIONS))
    return [
        Resident(
            description=order[number % len(order)],
            consents=(number % decline_every) != decline_every - 1,
            greets=rng.random() < 0.4,
            rng=random.Random(rng.random()),
        )
        for number in range(count)
    ]


def random_resident(rng: random.Random, consent_share: float = 0.8) -> Resident:
    """A resident for the load bench: any description, consents with probability `consent_share`."""
    return Resident(description=rng.choice(DESCRIPTIONS), consents=rng.random() < consent_share,
                    greets=rng.random() < 0.4, rng=random.Random(rng.random()))


@dataclass
class Conversation:
    """What happened in one conversation."""

    outcome: str = "unfinished"  # saved, declined, closed, off_script, error, unfinished
    latencies: list[float] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    session_id: str | None = None


# A bot: send(client, session, text) → (session, joined reply text). Ours keeps the gateway's session id;
# stock Rasa takes any sender id.
Send = Callable[[httpx.AsyncClient, str | None, str], Awaitable[tuple[str, str]]]


def gateway(api_url: str) -> Send:
    """POST /api/v1/chat of our API."""

    async def send(client: httpx.AsyncClient, session: str | None, text: str) -> tuple[str, str]:
        response = await client.post(f"{api_url}/api/v1/chat", json={"session_id": session, "text": text})
        response.raise_for_status()
        body = response.json()
        return body["session_id"], "\n".join(reply["text"] for reply in body["replies"])

    return send


def rest_channel(rasa_url: str) -> Send:
    """Rasa's REST channel (the stock project)."""
    counter = iter(range(10**9))

    async def send(client: httpx.AsyncClient, session: str | None, text: str) -> tuple[str, str]:
        session = session or f"bench-{time.monotonic_ns()}-{next(counter)}"
        response = await client.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": session, "message": text})
        response.raise_for_status()
        return session, "\n".join(str(message.get("text", "")) for message in response.json())

    return send


async def _think(rng: random.Random, think_seconds: tuple[float, float]) -> None:
    if think_seconds[1] > 0:
        await asyncio.sleep(rng.uniform(*think_seconds))


async def converse(client: httpx.AsyncClient, send: Send, resident: Resident, deadline: float | None = None,
                   think_seconds: tuple[float, float] = (0.0, 0.0)) -> Conversation:
    """Run one whole conversation (stops early at `deadline`, a time.monotonic() value).

    Before each turn after the first the resident "thinks" a random time in `think_seconds` (people read and
    type); the pause is not part of the measured latency.
    """
    result = Conversation()
    state: dict[str, bool] = {}
    pending = resident.opening()
    reply = ""
    for _ in range(MAX_TURNS):
        if deadline is not None and time.monotonic() > deadline:
            return result
        text = pending.pop(0) if pending else resident.answer(reply)
        if text is None:
            result.outcome = "off_script"
            return result
        if result.latencies:
            await _think(resident.rng, think_seconds)
        started = time.perf_counter()
        try:
            result.session_id, reply = await send(client, result.session_id, text)
        except (httpx.HTTPError, KeyError, ValueError) as error:
            result.errors.append(f"{type(error).__name__}: {error}")
            result.outcome = "error"
            return result
        result.latencies.append(time.perf_counter() - started)
        result.transcript.append((text, reply))
        state["saved"] = state.get("saved", False) or SAVED in reply
        state["declined"] = state.get("declined", False) or NOT_SAVED in reply
        if CLOSING in reply or (state["declined"] and ASK_ANOTHER not in reply):
            result.outcome = "saved" if state["saved"] else "declined" if state["declined"] else "closed"
            return result
    result.outcome = "off_script"
    return result


def moodbot_resident(rng: random.Random) -> list[str]:
    """A whole conversation with `rasa init`'s mood bot (its replies do not branch beyond this)."""
    return rng.choice((
        ["hello", "I am sad", "yes", "bye"],
        ["hi", "great", "goodbye"],
        ["hey there", "not good", "no", "bye bye"],
        ["good morning", "very good", "see you later"],
    ))


async def converse_script(client: httpx.AsyncClient, send: Send, messages: list[str], deadline: float | None = None,
                          think_seconds: tuple[float, float] = (0.0, 0.0), rng: random.Random | None = None
                          ) -> Conversation:
    """A fixed script (the stock bot): every turn must answer with some text."""
    result = Conversation()
    rng = rng or random.Random()
    for text in messages:
        if deadline is not None and time.monotonic() > deadline:
            return result
        if result.latencies:
            await _think(rng, think_seconds)
        started = time.perf_counter()
        try:
            result.session_id, reply = await send(client, result.session_id, text)
        except (httpx.HTTPError, KeyError, ValueError) as error:
            result.errors.append(f"{type(error).__name__}: {error}")
            result.outcome = "error"
            return result
        result.latencies.append(time.perf_counter() - started)
        result.transcript.append((text, reply))
        if not reply:
            result.outcome = "off_script"
            return result
    result.outcome = "closed"
    return result


# Starts and runs one whole conversation with a resident (the load bench's unit of work); the float is the
# deadline (time.monotonic()) after which no new turn starts.
NextConversation = Callable[[httpx.AsyncClient, float], Awaitable[Conversation]]


@dataclass
class LoadResult:
    """Every turn's latency and every conversation's outcome of one load run."""

    concurrency: int
    seconds: float
    latencies: list[float]
    outcomes: dict[str, int]
    errors: list[str]

    @property
    def turns(self) -> int:
        return len(self.latencies)


async def load(next_conversation: NextConversation,
               concurrency: int, seconds: float, stagger_seconds: float, seed: int, timeout: float = 60.0,
               grace_seconds: float = 0.0) -> LoadResult:
    """`concurrency` residents, each running whole conversations back to back for `seconds`.

    No conversation starts after `seconds`; one under way may go on for up to `grace_seconds` more, so that whole
    conversations (their later, heavier turns too) are measured, not just their openings.
    """
    rng = random.Random(seed)
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency + 10)
    started = time.monotonic()
    deadline = started + seconds

    async def resident_loop(client: httpx.AsyncClient) -> None:
        # Stagger the start so the residents do not all send their first message in the same millisecond.
        await asyncio.sleep(rng.uniform(0, stagger_seconds))
        while time.monotonic() < deadline:
            conversation = await next_conversation(client, deadline + grace_seconds)
            latencies.extend(conversation.latencies)
            outcomes[conversation.outcome] = outcomes.get(conversation.outcome, 0) + 1
            errors.extend(conversation.errors)

    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        await asyncio.gather(*(resident_loop(client) for _ in range(concurrency)))
    return LoadResult(concurrency, time.monotonic() - started, latencies, outcomes, errors)

